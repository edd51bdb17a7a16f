package io.streamkit.format.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.ExternalTool;
import io.streamkit.test.FlvFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2 s H.264+AAC fixture written by {@link FlvMuxer}: our reader gets every frame back with
 * its time from the first frame, flvmeta finds the file valid, ffprobe counts the frames.
 */
class FlvMuxerTest {
    private StreamEngine engine;
    private Publisher publisher;
    private FlvFixture fixture;

    @BeforeEach
    void load() {
        engine = Engine.builder().build();
        publisher = engine.publish(StreamKey.of("test", "flvmux"));
        fixture = FlvFixture.load(FlvFixture.H264_AAC, publisher);
    }

    @AfterEach
    void release() {
        fixture.close();
        publisher.close();
        engine.close();
    }

    private ByteBuf mux() {
        FlvMuxer muxer = new FlvMuxer(List.of(fixture.video(), fixture.audio()));
        ByteBuf out = Unpooled.buffer();
        muxer.writeHeader(out);
        for (MediaFrame frame : fixture.frames()) {
            muxer.writeFrame(out, frame);
        }
        return out;
    }

    @Test
    void everyFrameReadsBackWithItsPayloadAndTime() {
        ByteBuf out = mux();
        long first = fixture.frames().get(0).dts();
        List<String> read = new ArrayList<>();
        int configs = 0;
        int scripts = 0;
        try (FlvReader reader = new FlvReader(PooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            reader.feed(out);
            assertTrue(reader.header() == null || reader.header().audio() && reader.header().video(), "audio and video flags");
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                try {
                    ByteBuf body = tag.body();
                    if (tag.type() == FlvTagHeader.TYPE_SCRIPT) {
                        scripts++;
                    } else if (tag.type() == FlvTagHeader.TYPE_VIDEO) {
                        FlvVideoTag v = FlvVideoTag.parse(body);
                        if (v.kind() == FlvPacketKind.CONFIG) {
                            configs++;
                            assertEquals(ByteBufUtil.hexDump(fixture.video().format().config()), ByteBufUtil.hexDump(v.payload(body)));
                        } else {
                            read.add("v " + tag.timestamp() + " " + v.compositionTime() + " " + v.keyframe() + " "
                                    + ByteBufUtil.hexDump(v.payload(body)));
                        }
                    } else {
                        FlvAudioTag a = FlvAudioTag.parse(body);
                        if (a.kind() == FlvPacketKind.CONFIG) {
                            configs++;
                        } else {
                            read.add("a " + tag.timestamp() + " " + ByteBufUtil.hexDump(a.payload(body)));
                        }
                    }
                } finally {
                    tag.release();
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (MediaFrame f : fixture.frames()) {
            long ms = (f.dts() - first) / 1000;
            expected.add(f.track() == fixture.video()
                    ? "v " + ms + " " + f.compositionOffset() / 1000 + " " + f.keyframe() + " " + ByteBufUtil.hexDump(f.payload())
                    : "a " + ms + " " + ByteBufUtil.hexDump(f.payload()));
        }
        assertEquals(1, scripts, "one onMetaData");
        assertEquals(2, configs, "a sequence header per track");
        assertEquals(expected, read);
    }

    @Test
    void flvmetaFindsTheFileValidAndFfprobeCountsItsFrames(@TempDir Path dir) throws IOException {
        ExternalTool.require("flvmeta");
        ExternalTool.require("ffprobe");
        Path file = dir.resolve("muxed.flv");
        ByteBuf out = mux();
        try {
            Files.write(file, ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
        String check = ExternalTool.run(30, "sh", "-c", "flvmeta --check '" + file + "' 2>&1; echo exit=$?");
        assertTrue(check.contains("exit=0") && check.contains("0 error(s), 0 warning(s)"), check);
        String probe = ExternalTool.run(30, "ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames", "-of", "compact", file.toString());
        assertTrue(probe.contains("codec_name=h264|width=160|height=120|nb_read_frames=50"), probe);
        assertTrue(probe.contains("codec_name=aac|nb_read_frames=88"), probe);
    }
}
