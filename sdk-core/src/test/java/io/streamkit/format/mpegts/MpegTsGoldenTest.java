package io.streamkit.format.mpegts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.format.mpegts.TsTestSupport.Fixture;
import io.streamkit.stream.Codec;
import io.streamkit.test.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2 s H.264+AAC FLV fixture muxed into TS, compared with the stored golden file and
 * checked by our demuxer and by ffprobe/ffmpeg.
 *
 * <p>To regenerate the golden after an intended change of the muxer's output, run
 * {@code src/test/resources/format/mpegts/make-golden.sh}, which runs this test with
 * {@code -Dstreamkit.mpegts.regenerate=true}: the test then writes the file into the
 * source tree instead of comparing. Check it with ffprobe before committing.
 */
class MpegTsGoldenTest {
    static final String GOLDEN = "h264-aac-160x120-2s.ts";
    private static final Path SOURCE = Path.of("src/test/resources/format/mpegts", GOLDEN);

    @Test
    void muxedFixtureMatchesGoldenByteForByte() throws IOException {
        byte[] actual;
        try (Fixture f = TsTestSupport.loadFlv()) {
            ByteBuf ts = TsTestSupport.mux(f);
            actual = ByteBufUtil.getBytes(ts);
            ts.release();
        }
        if (Boolean.getBoolean("streamkit.mpegts.regenerate")) {
            Files.write(SOURCE, actual);
            System.out.println("wrote " + SOURCE.toAbsolutePath() + " (" + actual.length + " bytes)");
            return;
        }
        byte[] golden = TsTestSupport.resource("/format/mpegts/" + GOLDEN);
        int n = Math.min(golden.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (golden[i] != actual[i]) {
                fail("TS differs from " + GOLDEN + " at offset " + i + " (packet " + i / 188 + ", byte " + i % 188
                        + "): golden " + String.format("%02x", golden[i]) + ", muxed "
                        + String.format("%02x", actual[i]) + "; regenerate with make-golden.sh if intended");
            }
        }
        assertEquals(golden.length, actual.length, "TS length differs from " + GOLDEN + " after offset " + n);
    }

    @Test
    void ourDemuxerReadsBackEveryFrameWithItsTimestamps() {
        List<MpegTsFrame> video = new ArrayList<>();
        List<MpegTsFrame> audio = new ArrayList<>();
        try (Fixture f = TsTestSupport.loadFlv();
                MpegTsDemuxer demuxer = new MpegTsDemuxer(PooledByteBufAllocator.DEFAULT,
                        MpegTsDemuxer.DEFAULT_MAX_PES_SIZE)) {
            demuxer.feed(Unpooled.wrappedBuffer(TsTestSupport.resource("/format/mpegts/" + GOLDEN)));
            demuxer.flush();
            for (MpegTsFrame frame; (frame = demuxer.next()) != null; ) {
                (frame.codec() == Codec.H264 ? video : audio).add(frame);
            }
            try {
                assertEquals(50, video.size(), "video frames");
                assertEquals(88, audio.size(), "audio frames");
                assertEquals(0, demuxer.skippedBytes() + demuxer.malformedPackets() + demuxer.malformedSections()
                        + demuxer.malformedPes() + demuxer.continuityErrors(), "nothing lost or malformed");
                List<long[]> videoTimes = new ArrayList<>();
                List<long[]> audioTimes = new ArrayList<>();
                for (int i = 0; i < f.frames.size(); i++) {
                    (f.frames.get(i).track() == f.video ? videoTimes : audioTimes).add(f.flvTimes.get(i));
                }
                for (int i = 0; i < video.size(); i++) {
                    MpegTsFrame v = video.get(i);
                    assertEquals(MpegTsMuxer.VIDEO_PID, v.pid());
                    assertEquals(i == 0 || i == 25, v.keyframe(), "keyframe flag of video frame " + i);
                    assertEquals(videoTimes.get(i)[0] * 90, v.dts90k(), "dts of video frame " + i);
                    assertEquals(videoTimes.get(i)[1] * 90, v.pts90k(), "pts of video frame " + i);
                    byte[] es = ByteBufUtil.getBytes(v.payload());
                    assertTrue(startsWith(es, 0, 0, 0, 1, 0x09, 0xf0), "video frame " + i + " starts with an AUD");
                    if (v.keyframe()) {
                        assertEquals(7, es[10] & 0x1f, "SPS after the AUD of keyframe " + i);
                        assertTrue(List.of(nalTypes(es)).contains(8), "PPS in keyframe " + i);
                    }
                }
                for (int i = 0; i < audio.size(); i++) {
                    MpegTsFrame a = audio.get(i);
                    assertEquals(MpegTsMuxer.AUDIO_PID, a.pid());
                    assertEquals(audioTimes.get(i)[0] * 90, a.pts90k(), "pts of audio frame " + i);
                    ByteBuf p = a.payload();
                    assertEquals(0xfff1, p.getUnsignedShort(p.readerIndex()), "ADTS sync of audio frame " + i);
                    int frameLength = (p.getUnsignedMedium(p.readerIndex() + 3) >> 5) & 0x1fff;
                    assertEquals(p.readableBytes(), frameLength, "ADTS frame_length of audio frame " + i);
                }
            } finally {
                video.forEach(MpegTsFrame::release);
                audio.forEach(MpegTsFrame::release);
            }
        }
    }

    @Test
    void ffprobeReadsTheGoldenAndFfmpegDecodesItSilently(@TempDir Path dir) throws IOException {
        ExternalTool.require("ffprobe");
        ExternalTool.require("ffmpeg");
        Path file = dir.resolve(GOLDEN);
        Files.write(file, TsTestSupport.resource("/format/mpegts/" + GOLDEN));
        String probe = ExternalTool.run(30, "ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames,sample_rate", "-of", "compact=p=0", file.toString());
        assertTrue(probe.contains("codec_name=h264|width=160|height=120|nb_read_frames=50"), probe);
        assertTrue(probe.contains("codec_name=aac|sample_rate=44100"), probe);
        String errors = ExternalTool.run(60, "sh", "-c", "ffmpeg -nostdin -v error -i '" + file + "' -f null - 2>&1");
        assertEquals("", errors.strip(), "ffmpeg -v error printed messages");
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** NAL unit types of an Annex B H.264 access unit, in order. */
    static Integer[] nalTypes(byte[] es) {
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i + 3 < es.length; i++) {
            if (es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1) {
                types.add(es[i + 3] & 0x1f);
                i += 3;
            }
        }
        return types.toArray(new Integer[0]);
    }
}
