package io.streamkit.format.mpegts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.format.mpegts.TsTestSupport.TestTrack;
import io.streamkit.stream.Codec;
import io.streamkit.stream.TrackFormat;
import io.streamkit.test.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H.265 path: a real hvcC, synthetic slices; checked by our demuxer and by ffprobe. */
class MpegTsHevcTest {
    private final TestTrack video = new TestTrack(0,
            TrackFormat.of(Codec.H265, Unpooled.wrappedBuffer(TsTestSupport.resource("/codec/hevc-main-320x240-25.hvcC"))));

    private ByteBuf mux() {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(List.of(video));
        ByteBuf out = Unpooled.buffer();
        muxer.writeTables(out);
        for (int i = 0; i < 10; i++) {
            boolean key = i % 5 == 0;
            // IDR_W_RADL (19) on keyframes, TRAIL_R (1) otherwise: 2-byte NAL headers, layer 0, tid 1.
            ByteBuf au = MpegTsMuxerTest.nal(key ? 19 << 1 : 1 << 1, 200);
            au.setByte(5, 0x01);
            // first_slice_segment_in_pic_flag 1, (no_output_of_prior_pics_flag 0,) slice_pic_parameter_set_id 0
            au.setByte(6, key ? 0xA0 : 0xC0);
            MpegTsMuxerTest.write(muxer, out, video, i * 40_000L, i * 40_000L, key, au);
        }
        return out;
    }

    @Test
    void accessUnitsGetTheHevcAudAndVpsSpsPpsBeforeKeyframes() {
        List<MpegTsFrame> frames = MpegTsMuxerTest.demux(mux());
        try {
            assertEquals(10, frames.size());
            for (int i = 0; i < frames.size(); i++) {
                MpegTsFrame f = frames.get(i);
                assertEquals(MpegTsMuxer.STREAM_TYPE_H265, f.streamType());
                assertEquals(Codec.H265, f.codec());
                assertEquals(i % 5 == 0, f.keyframe(), "keyframe " + i);
                byte[] es = ByteBufUtil.getBytes(f.payload());
                assertEquals("00000001460150", ByteBufUtil.hexDump(es, 0, 7), "AUD of frame " + i);
                assertEquals(i % 5 == 0 ? List.of(35, 32, 33, 34, 19) : List.of(35, 1), types(es), "frame " + i);
            }
        } finally {
            frames.forEach(MpegTsFrame::release);
        }
    }

    @Test
    void ffprobeSeesHevcWithThePictureSizeOfTheRecord(@TempDir Path dir) throws IOException {
        ExternalTool.require("ffprobe");
        Path file = dir.resolve("hevc.ts");
        ByteBuf ts = mux();
        try {
            Files.write(file, ByteBufUtil.getBytes(ts));
        } finally {
            ts.release();
        }
        String probe = ExternalTool.run(30, "ffprobe", "-v", "quiet", "-show_entries",
                "stream=codec_name,width,height", "-of", "compact=p=0", file.toString());
        assertTrue(probe.contains("codec_name=hevc|width=320|height=240"), probe);
    }

    private static List<Integer> types(byte[] es) {
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i + 3 < es.length; i++) {
            if (es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1) {
                types.add(es[i + 3] >> 1 & 0x3f);
                i += 3;
            }
        }
        return types;
    }
}
