package io.streamkit.format.mpegts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.mpegts.TsTestSupport.Packet;
import io.streamkit.format.mpegts.TsTestSupport.TestTrack;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.test.TestMedia;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MpegTsMuxerTest {
    private final TestTrack video = new TestTrack(0, TestMedia.h264());
    private final TestTrack audio = new TestTrack(1, TestMedia.aac());

    @Test
    void crcHasTheMpeg2CheckValue() {
        ByteBuf b = Unpooled.copiedBuffer("123456789", StandardCharsets.US_ASCII);
        assertEquals(0x0376E6E7, Crc32Mpeg2.compute(b, 0, 9));
        assertEquals(bitwiseCrc(ByteBufUtil.getBytes(b)), Crc32Mpeg2.compute(b, 0, 9));
    }

    @Test
    void patAndPmtAreByteExact() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(video, audio));
        ByteBuf out = Unpooled.buffer();
        muxer.writeTables(out);
        assertEquals(376, out.readableBytes());
        // PAT: sync, PUSI + PID 0, payload only CC 0, pointer 0; table 0, length 13, tsid 1, version 0,
        // program 1 -> PMT PID 0x1000; CRC-32/MPEG-2.
        String pat = "4740001000" + "00b00d0001c10000" + "0001f000" + "2ab104b2";
        // PMT: table 2, length 23, program 1, version 0, PCR PID 0x100, no program info,
        // H.264 on 0x100 and AAC ADTS on 0x101 without descriptors.
        String pmtSection = "02b0170001c10000e100f000" + "1be100f000" + "0fe101f000";
        String pmt = "4750001000" + pmtSection + hex(bitwiseCrc(ByteBufUtil.decodeHexDump(pmtSection)));
        assertEquals(pad(pat), ByteBufUtil.hexDump(out, 0, 188));
        assertEquals(pad(pmt), ByteBufUtil.hexDump(out, 188, 188));
        out.release();
    }

    @Test
    void unsupportedCodecsAreLeftOutOfThePmtAndTheirFramesSkipped() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        TestTrack vp9 = new TestTrack(0, TrackFormat.of(Codec.VP9));
        TestTrack mp3 = new TestTrack(1, TrackFormat.of(Codec.MP3));
        assertFalse(muxer.supports(Codec.VP9));
        assertFalse(muxer.supports(Codec.AV1));
        assertFalse(muxer.supports(Codec.OPUS));
        assertTrue(muxer.supports(Codec.MP3));
        muxer.setTracks(List.of(vp9, mp3));
        ByteBuf out = Unpooled.buffer();
        muxer.writeTables(out);
        // PCR PID falls back to the audio PID; one stream of type 0x03.
        assertEquals("02b0120001c10000e101f000" + "03e101f000", ByteBufUtil.hexDump(out, 188 + 5, 17));
        MediaFrame frame = MediaFrame.of(vp9, 0, 0, true, Unpooled.wrappedBuffer(new byte[10]));
        try {
            int before = out.writerIndex();
            assertFalse(muxer.writeFrame(out, frame));
            assertEquals(before, out.writerIndex());
            assertEquals(1, muxer.skippedFrames());
        } finally {
            frame.release();
            out.release();
        }
    }

    @Test
    void continuityCountersRunOnAcrossSegmentsAndTables() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(video, audio));
        ByteBuf out = Unpooled.buffer();
        long t = 0;
        for (int segment = 0; segment < 2; segment++) {
            muxer.writeTables(out);
            for (int i = 0; i < 20; i++, t += 40_000) {
                write(muxer, out, video, t, t, i == 0, nal(0x65, 1000 + 97 * i));
                write(muxer, out, audio, t, t, true, Unpooled.wrappedBuffer(new byte[200 + i]));
            }
        }
        muxer.setTracks(List.of(video, audio)); // reconfiguring keeps the counters
        muxer.writeTables(out);
        write(muxer, out, video, t, t, true, nal(0x65, 500));
        Map<Integer, Integer> last = new HashMap<>();
        Map<Integer, Integer> counts = new HashMap<>();
        for (Packet p : TsTestSupport.packets(out)) {
            if (!p.hasPayload()) {
                continue;
            }
            Integer previous = last.put(p.pid(), p.continuity());
            if (previous != null) {
                assertEquals((previous + 1) & 0xf, p.continuity(), "continuity of PID " + p.pid() + " at packet "
                        + p.index());
            } else {
                assertEquals(0, p.continuity(), "first continuity_counter of PID " + p.pid());
            }
            counts.merge(p.pid(), 1, Integer::sum);
        }
        assertEquals(3, counts.get(MpegTsMuxer.PAT_PID));
        assertEquals(3, counts.get(MpegTsMuxer.PMT_PID));
        assertTrue(counts.get(MpegTsMuxer.VIDEO_PID) > 16, "video counter wraps at least once");
        out.release();
    }

    @ParameterizedTest(name = "{0} us -> {1}")
    @CsvSource({
        "0,              0",
        "1000000,        90000",
        "11,             0",
        "12,             1",
        "-1,             8589934591",
        "95443717688,    8589934591",
        "95443717689,    0",
        "95443718689,    90",
    })
    void microsecondsBecome33Bit90kHz(long micros, long expected) {
        assertEquals(expected, MpegTsMuxer.to90k(micros));
    }

    @Test
    void ptsAndDtsWrapAt33Bits() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(video, audio));
        ByteBuf out = Unpooled.buffer();
        muxer.writeTables(out);
        long dts = 95_443_717_688L - 40_000; // 3600 ticks before the wrap
        long pts = dts + 80_000;              // 3600 ticks after it
        write(muxer, out, video, dts, pts, true, nal(0x65, 300));
        List<MpegTsFrame> frames = demux(out);
        try {
            assertEquals(1, frames.size());
            assertEquals(MpegTsMuxer.to90k(dts), frames.get(0).dts90k());
            assertEquals((1L << 33) - 3601, frames.get(0).dts90k());
            assertEquals(3599, frames.get(0).pts90k());
        } finally {
            frames.forEach(MpegTsFrame::release);
        }
    }

    @Test
    void pcrOnEveryVideoPesIsItsDtsLessTheMuxDelayAndNeverOnAudio() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(video, audio));
        ByteBuf out = Unpooled.buffer();
        muxer.writeTables(out);
        for (int i = 0; i < 10; i++) {
            long t = i * 40_000L;
            write(muxer, out, video, t, t + 80_000, i % 5 == 0, nal(i % 5 == 0 ? 0x65 : 0x41, 400 + i * 50));
            write(muxer, out, audio, t + 1_000, t + 1_000, true, Unpooled.wrappedBuffer(new byte[300]));
        }
        int videoPes = 0;
        for (Packet p : TsTestSupport.packets(out)) {
            if (p.pid() == MpegTsMuxer.VIDEO_PID && p.start()) {
                assertEquals(videoPes * 3600L - MpegTsMuxer.MUX_DELAY_90K + (1L << 33), p.pcr(),
                        "PCR of video PES " + videoPes + ": its DTS less 700 ms, modulo 2^33");
                assertEquals(videoPes % 5 == 0, p.randomAccess(), "random_access_indicator of PES " + videoPes);
                videoPes++;
            } else {
                assertEquals(-1, p.pcr(), "no PCR outside the first packet of a video PES, packet " + p.index());
            }
            if (p.pid() == MpegTsMuxer.AUDIO_PID && p.start()) {
                assertTrue(p.randomAccess());
            }
        }
        assertEquals(10, videoPes);
        out.release();
    }

    @Test
    void sparseVideoGetsPcrOnlyPacketsAtLeastEvery100Ms() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(video, audio));
        ByteBuf out = Unpooled.buffer();
        muxer.writeTables(out);
        for (long t = 0; t < 3_000_000; t += 23_220) {
            if (t % 1_000_000 < 23_220) {
                write(muxer, out, video, t, t, true, nal(0x65, 700));
            }
            write(muxer, out, audio, t, t, true, Unpooled.wrappedBuffer(new byte[100]));
        }
        long previous = -1;
        int pcrOnly = 0;
        for (Packet p : TsTestSupport.packets(out)) {
            if (p.pcr() < 0) {
                continue;
            }
            assertEquals(MpegTsMuxer.VIDEO_PID, p.pid(), "PCR PID");
            if (!p.hasPayload()) {
                pcrOnly++;
            }
            if (previous >= 0) {   // the first PCRs are before 0 on the 33-bit clock: compare modulo 2^33
                long step = p.pcr() - previous & (1L << 33) - 1;
                assertTrue(step < 1L << 32, "PCR moves forward at packet " + p.index());
                assertTrue(step <= MpegTsMuxer.PCR_INTERVAL_90K, "PCR gap " + step + " at packet " + p.index());
            }
            previous = p.pcr();
        }
        assertTrue(pcrOnly > 20, "PCR-only packets: " + pcrOnly);
        out.release();
    }

    @Test
    void audioOnlyStreamsCarryPcrOnTheAudioPid() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(audio));
        ByteBuf out = Unpooled.buffer();
        muxer.writeTables(out);
        assertEquals(MpegTsMuxer.AUDIO_PID, out.getUnsignedShort(188 + 5 + 8) & 0x1fff, "PCR_PID");
        write(muxer, out, audio, 0, 0, true, Unpooled.wrappedBuffer(new byte[300]));
        write(muxer, out, audio, 23_220, 23_220, true, Unpooled.wrappedBuffer(new byte[300]));
        List<Long> pcrs = new ArrayList<>();
        for (Packet p : TsTestSupport.packets(out)) {
            if (p.pcr() >= 0) {
                assertEquals(MpegTsMuxer.AUDIO_PID, p.pid());
                pcrs.add(p.pcr());
            }
        }
        long wrap = 1L << 33;
        assertEquals(List.of(wrap - MpegTsMuxer.MUX_DELAY_90K, wrap + 2089L - MpegTsMuxer.MUX_DELAY_90K), pcrs,
                "DTS less 700 ms, modulo 2^33");
        out.release();
    }

    /** Access units in, Annex B NAL unit types out: AUD first, parameter sets on keyframes only when missing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "keyframe gets AUD SPS PPS,           true,  65,          9 7 8 5",
        "inter frame gets only an AUD,        false, 41,          9 1",
        "keyframe with SEI,                   true,  06 65,       9 7 8 6 5",
        "keyframe carrying its own SPS PPS,   true,  67 68 65,    9 7 8 5",
        "own AUD kept and sets follow it,     true,  09 65,       9 7 8 5",
        "own AUD on an inter frame,           false, 09 41,       9 1",
    })
    void h264AccessUnitsGetAudAndParameterSets(String name, boolean keyframe, String nalHeaders, String expected) {
        String[] headers = nalHeaders.split(" ");
        ByteBuf payload = Unpooled.buffer();
        for (String h : headers) {
            int type = Integer.parseInt(h, 16);
            byte[] unit = {(byte) type, (byte) 0x88, 0x10};
            if (type == 0x67) {
                unit = sps();
            } else if (type == 0x68) {
                unit = pps();
            } else if (type == 0x09) {
                unit = new byte[] {0x09, (byte) 0xf0};
            }
            payload.writeInt(unit.length).writeBytes(unit);
        }
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(video));
        ByteBuf out = Unpooled.buffer();
        write(muxer, out, video, 0, 0, keyframe, payload);
        List<MpegTsFrame> frames = demux(tablesThen(muxer, out));
        try {
            byte[] es = ByteBufUtil.getBytes(frames.get(0).payload());
            StringBuilder types = new StringBuilder();
            for (Integer t : MpegTsGoldenTest.nalTypes(es)) {
                types.append(types.length() == 0 ? "" : " ").append(t);
            }
            assertEquals(expected, types.toString());
            assertEquals(0, es[0] | es[1] | es[2], "4-byte start code");
            assertEquals(1, es[3]);
        } finally {
            frames.forEach(MpegTsFrame::release);
        }
    }

    @Test
    void aacFramesGetAnAdtsHeaderAndAnExactPesLength() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(audio));
        ByteBuf out = Unpooled.buffer();
        byte[] raw = new byte[371];
        raw[0] = 0x21;
        write(muxer, out, audio, 0, 0, true, Unpooled.wrappedBuffer(raw));
        assertEquals(3 * 188, out.readableBytes(), "14 + 7 + 371 bytes of PES need three packets");
        int pes = TsTestSupport.packets(out).get(0).payloadOffset();
        assertEquals(12, pes, "PES after an adaptation field with PCR and random_access_indicator");
        assertEquals(7 + 371 + 8, out.getUnsignedShort(pes + 4), "PES_packet_length");
        List<MpegTsFrame> frames = demux(tablesThen(muxer, out));
        try {
            ByteBuf adts = frames.get(0).payload();
            // AAC LC (object type 2 -> profile 1), 44.1 kHz (index 4), mono, frame length 378.
            assertEquals("fff150402f5ffc21", ByteBufUtil.hexDump(adts, adts.readerIndex(), 8));
            assertEquals(378, adts.readableBytes());
        } finally {
            frames.forEach(MpegTsFrame::release);
        }
    }

    @Test
    void aNalUnitLengthPastTheEndIsRejectedAndNothingIsWritten() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(video));
        ByteBuf out = Unpooled.buffer();
        ByteBuf bad = Unpooled.buffer().writeInt(50).writeBytes(new byte[] {0x65, 1, 2});
        MediaFrame frame = MediaFrame.of(video, 0, 0, true, bad);
        try {
            MediaFormatException e = assertThrows(MediaFormatException.class, () -> muxer.writeFrame(out, frame));
            assertTrue(e.getMessage().contains("50 bytes"), e.getMessage());
            assertEquals(0, out.writerIndex());
        } finally {
            frame.release();
            out.release();
        }
    }

    @Test
    void aNewFormatOnTheTrackIsPickedUpWithoutSetTracks() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        TestTrack track = new TestTrack(0, TestMedia.h264());
        muxer.setTracks(List.of(track));
        ByteBuf out = Unpooled.buffer();
        muxer.writeTables(out);
        write(muxer, out, track, 0, 0, true, nal(0x65, 100));
        byte[] hvcc = TsTestSupport.resource("/codec/hevc-main-320x240-25.hvcC");
        track.format = TrackFormat.of(Codec.H265, Unpooled.wrappedBuffer(hvcc));
        write(muxer, out, track, 40_000, 40_000, true, nal(0x26, 100));
        ByteBuf tables = Unpooled.buffer();
        muxer.writeTables(tables);
        assertEquals(MpegTsMuxer.STREAM_TYPE_H265, tables.getUnsignedByte(188 + 5 + 12));
        assertEquals(0xC3, tables.getUnsignedByte(188 + 5 + 5), "PMT version_number 1 after the change");
        tables.release();
        out.release();
    }

    private static ByteBuf tablesThen(MpegTsMuxer muxer, ByteBuf frames) {
        ByteBuf all = Unpooled.buffer();
        muxer.writeTables(all);
        all.writeBytes(frames);
        frames.release();
        return all;
    }

    static List<MpegTsFrame> demux(ByteBuf ts) {
        List<MpegTsFrame> frames = new ArrayList<>();
        try (MpegTsDemuxer demuxer = new MpegTsDemuxer(PooledByteBufAllocator.DEFAULT,
                MpegTsDemuxer.DEFAULT_MAX_PES_SIZE)) {
            demuxer.feed(ts);
            demuxer.flush();
            for (MpegTsFrame f; (f = demuxer.next()) != null; ) {
                frames.add(f);
            }
        }
        return frames;
    }

    static void write(MpegTsMuxer muxer, ByteBuf out, Track track, long dts, long pts, boolean key, ByteBuf payload) {
        MediaFrame frame = MediaFrame.of(track, dts, pts, key, payload);
        try {
            assertTrue(muxer.writeFrame(out, frame));
        } finally {
            frame.release();
        }
    }

    /** One length-prefixed NAL unit of {@code size} bytes with header {@code header}. */
    static ByteBuf nal(int header, int size) {
        ByteBuf b = Unpooled.buffer(size + 4).writeInt(size).writeByte(header);
        for (int i = 1; i < size; i++) {
            b.writeByte(0x80 | i & 0x7f); // no start code emulation
        }
        return b;
    }

    private static byte[] sps() {
        return java.util.Arrays.copyOfRange(TestMedia.AVC_320x240, 8, 8 + 0x18);
    }

    private static byte[] pps() {
        return java.util.Arrays.copyOfRange(TestMedia.AVC_320x240, 8 + 0x18 + 3, 8 + 0x18 + 3 + 5);
    }

    private static String pad(String hex) {
        return hex + "ff".repeat(188 - hex.length() / 2);
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }

    /** CRC-32/MPEG-2 bit by bit, independent of the table the muxer uses. */
    static int bitwiseCrc(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte b : data) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean in = (b >> bit & 1) != 0;
                boolean top = crc < 0;
                crc <<= 1;
                if (in ^ top) {
                    crc ^= 0x04C11DB7;
                }
            }
        }
        return crc;
    }

    @Test
    void spsAndPpsHelpersMatchTheRecord() {
        assertArrayEquals(sps(), io.streamkit.codec.h264.AvcDecoderConfigurationRecord
                .parse(Unpooled.wrappedBuffer(TestMedia.AVC_320x240)).sps().get(0));
        assertArrayEquals(pps(), io.streamkit.codec.h264.AvcDecoderConfigurationRecord
                .parse(Unpooled.wrappedBuffer(TestMedia.AVC_320x240)).pps().get(0));
    }
}
