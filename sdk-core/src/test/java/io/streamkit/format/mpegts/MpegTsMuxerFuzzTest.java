package io.streamkit.format.mpegts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.streamkit.codec.Fixtures;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.TrackFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the round trip of a transport stream: frames of an H.264 track and an AAC or MP3 track
 * with fuzzed payloads and timestamps, muxed by {@link MpegTsMuxer} (tables first, as a segment
 * starts) and read back by {@link MpegTsDemuxer} from the bytes cut at any packet.
 *
 * <p>Properties: the muxer throws nothing but {@link MediaFormatException} (for an H.264 payload
 * whose NAL unit lengths run past its end, or an audio frame over a PES) and then writes
 * nothing; the demuxer reports no malformed packet, section or PES, no skipped byte and no
 * continuity error in what the muxer wrote; every frame written comes back once, on its
 * track's PID, in order, with its PTS and DTS in 90 kHz ticks; an MP3 frame comes back
 * unchanged, an AAC frame behind its 7-byte ADTS header, an H.264 frame with each of its NAL
 * units behind a start code.
 */
class MpegTsMuxerFuzzTest {
    private static final TrackFormat H264 = TrackFormat.of(Codec.H264,
            Unpooled.wrappedBuffer(Fixtures.read("h264-baseline-320x240-25.avcC")));
    private static final TrackFormat AAC = TrackFormat.of(Codec.AAC,
            Unpooled.wrappedBuffer(Fixtures.read("aac-lc-44100-2.asc")));
    private static final TrackFormat MP3 = TrackFormat.of(Codec.MP3);

    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        TsTestSupport.TestTrack video = new TsTestSupport.TestTrack(0, H264);
        TsTestSupport.TestTrack audio = new TsTestSupport.TestTrack(1, data.consumeBoolean() ? AAC : MP3);
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(video, audio));
        ByteBuf ts = Unpooled.buffer();
        List<MediaFrame> written = new ArrayList<>();
        try {
            muxer.writeTables(ts);
            int count = data.consumeInt(0, 8);
            long dts = data.consumeLong(-1L << 40, 1L << 40);
            for (int i = 0; i < count; i++) {
                boolean isVideo = data.consumeBoolean();
                dts += data.consumeInt(0, 100_000);
                long pts = dts + data.consumeInt(0, 200_000);
                byte[] payload = isVideo ? accessUnit(data) : data.consumeBytes(data.consumeInt(1, 600));
                MediaFrame frame = MediaFrame.of(isVideo ? video : audio, dts, pts, isVideo && data.consumeBoolean(),
                        Unpooled.wrappedBuffer(payload));
                int before = ts.writerIndex();
                try {
                    assertTrue(muxer.writeFrame(ts, frame), "a frame of a configured track skipped");
                    written.add(frame);
                } catch (MediaFormatException e) {
                    assertEquals(before, ts.writerIndex(), "the muxer left part of a refused frame");
                    frame.release();
                }
            }
            assertEquals(0, ts.readableBytes() % 188, "not whole packets");
            check(ts, written, data);
        } finally {
            ts.release();
            written.forEach(MediaFrame::release);
        }
    }

    /** A fuzzed access unit: length-prefixed NAL units, well formed or not. */
    private static byte[] accessUnit(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            return data.consumeBytes(data.consumeInt(1, 600));
        }
        ByteBuf au = Unpooled.buffer();
        try {
            int nals = data.consumeInt(1, 4);
            for (int i = 0; i < nals; i++) {
                byte[] nal = data.consumeBytes(data.consumeInt(1, 300));
                au.writeInt(nal.length).writeBytes(nal);
            }
            return ByteBufUtil.getBytes(au);
        } finally {
            au.release();
        }
    }

    private static void check(ByteBuf ts, List<MediaFrame> written, FuzzedDataProvider data) {
        MpegTsDemuxer demuxer = new MpegTsDemuxer(UnpooledByteBufAllocator.DEFAULT, MpegTsDemuxer.DEFAULT_MAX_PES_SIZE);
        List<MpegTsFrame> read = new ArrayList<>();
        try {
            byte[] bytes = ByteBufUtil.getBytes(ts);
            int at = 0;
            while (at < bytes.length) {
                int n = data.remainingBytes() == 0 ? bytes.length - at
                        : Math.min(bytes.length - at, 188 * data.consumeInt(1, 8));
                demuxer.feed(Unpooled.wrappedBuffer(bytes, at, n));
                at += n;
                for (MpegTsFrame f; (f = demuxer.next()) != null; ) {
                    read.add(f);
                }
            }
            demuxer.flush();
            for (MpegTsFrame f; (f = demuxer.next()) != null; ) {
                read.add(f);
            }
            assertEquals(List.of(0L, 0L, 0L, 0L, 0L), List.of(demuxer.skippedBytes(), demuxer.malformedPackets(),
                    demuxer.malformedSections(), demuxer.malformedPes(), demuxer.continuityErrors()),
                    "skipped bytes, malformed packets, sections, PES, continuity errors");
            List<MediaFrame> videoIn = written.stream().filter(f -> f.track().id() == 0).toList();
            List<MediaFrame> audioIn = written.stream().filter(f -> f.track().id() == 1).toList();
            List<MpegTsFrame> videoOut = read.stream().filter(f -> f.pid() == MpegTsMuxer.VIDEO_PID).toList();
            List<MpegTsFrame> audioOut = read.stream().filter(f -> f.pid() == MpegTsMuxer.AUDIO_PID).toList();
            assertEquals(videoIn.size(), videoOut.size(), "video frames");
            assertEquals(audioIn.size(), audioOut.size(), "audio frames");
            for (int i = 0; i < videoIn.size(); i++) {
                MediaFrame in = videoIn.get(i);
                MpegTsFrame out = videoOut.get(i);
                assertTimes(in, out);
                byte[] annexB = ByteBufUtil.getBytes(out.content());
                ByteBuf au = in.content();
                for (int p = au.readerIndex(); p + 4 <= au.writerIndex(); ) {
                    int n = au.getInt(p);
                    byte[] nal = ByteBufUtil.getBytes(au, p + 4, n);
                    byte[] withStart = new byte[nal.length + 3];
                    withStart[2] = 1;
                    System.arraycopy(nal, 0, withStart, 3, nal.length);
                    assertTrue(indexOf(annexB, withStart) >= 0, "NAL unit of " + n + " bytes missing from frame " + i);
                    p += 4 + n;
                }
            }
            for (int i = 0; i < audioIn.size(); i++) {
                MediaFrame in = audioIn.get(i);
                MpegTsFrame out = audioOut.get(i);
                assertTimes(in, out);
                byte[] raw = ByteBufUtil.getBytes(in.content());
                byte[] got = ByteBufUtil.getBytes(out.content());
                int header = in.track().format().codec() == Codec.AAC ? 7 : 0;
                assertEquals(raw.length + header, got.length, "audio frame " + i + "'s length");
                assertArrayEquals(raw, java.util.Arrays.copyOfRange(got, header, got.length), "audio frame " + i);
            }
        } finally {
            read.forEach(MpegTsFrame::release);
            demuxer.close();
        }
    }

    private static void assertTimes(MediaFrame in, MpegTsFrame out) {
        assertEquals(MpegTsMuxer.to90k(in.pts()), out.pts90k(), "PTS");
        assertEquals(MpegTsMuxer.to90k(in.dts()), out.dts90k(), "DTS");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
