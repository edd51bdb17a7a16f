package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamkit.engine.StreamEngine;
import io.streamkit.format.flv.FlvReader;
import io.streamkit.format.flv.FlvTag;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an FLV player reads: a header whose flags name the tracks there are, {@code onMetaData} as
 * the only script tag, at 0, sequence headers at the player's first frame, and its own timeline
 * from 0 (or the stream's clock with absolute time).
 */
class FlvPlayerTimelineTest {
    private StreamEngine engine;
    private Publisher publisher;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @BeforeEach
    void setUp() {
        FlvTagEncoder.forThisLoop().forget();
        engine = Engine.builder().build();
        publisher = engine.publish(StreamKey.of("live", "flv"));
    }

    @AfterEach
    void tearDown() {
        for (EmbeddedChannel c : channels) {
            assertFalse(c.finish());
        }
        FlvTagEncoder.forThisLoop().forget();
        publisher.close();
        engine.close();
    }

    @Test
    void aLateJoinerStartsAtZeroWithItsHeadersThere() {
        Track video = publisher.addTrack(TestMedia.h264());
        Track audio = publisher.addTrack(TestMedia.aac());
        EmbeddedChannel ch = channel();
        FlvPlayer p = player(ch, false);
        p.onTrack(video);
        p.onTrack(audio);
        p.onMetadata(Map.of("width", 320.0));
        p.attached();
        long t0 = 5_000_000;   // 83 minutes into the stream
        deliver(p, frame(video, t0, true, 3_000));
        deliver(p, frame(audio, t0 - 20, false, 300));
        deliver(p, frame(audio, t0 + 3, false, 300));
        deliver(p, frame(video, t0 + 40, false, 1_500));
        assertEquals(List.of("header audio video", "script 0", "video-config 0", "audio-config 0", "video 0", "audio 0",
                "audio 3", "video 40"), read(ch));
    }

    @Test
    void theHeaderNamesOnlyTheTracksThereAre() {
        Track audio = publisher.addTrack(TestMedia.aac());
        EmbeddedChannel ch = channel();
        FlvPlayer p = player(ch, false);
        p.onTrack(audio);
        p.attached();
        deliver(p, frame(audio, 700, true, 300));
        deliver(p, frame(audio, 723, true, 300));
        assertEquals(List.of("header audio", "audio-config 0", "audio 0", "audio 23"), read(ch));
    }

    @Test
    void absoluteTimeKeepsTheStreamClock() {
        Track video = publisher.addTrack(TestMedia.h264());
        EmbeddedChannel ch = channel();
        FlvPlayer p = player(ch, true);
        p.onTrack(video);
        p.attached();
        deliver(p, frame(video, 0x1000100L, true, 3_000));
        deliver(p, frame(video, 0x1000100L + 40, false, 1_500));
        assertEquals(List.of("header video", "video-config " + 0x1000100L, "video " + 0x1000100L,
                "video " + (0x1000100L + 40)), read(ch));
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        channels.add(ch);
        return ch;
    }

    private FlvPlayer player(EmbeddedChannel ch, boolean absolute) {
        return new FlvPlayer(ch, FlvPlayer.Framing.RAW, () -> { }, () -> { }, null, absolute);
    }

    private void deliver(FlvPlayer p, MediaFrame frame) {
        try {
            p.onFrame(frame);
            p.onFlush();
        } finally {
            frame.release();
        }
    }

    private static MediaFrame frame(Track track, long dtsMillis, boolean keyframe, int size) {
        return MediaFrame.of(track, dtsMillis * 1000, dtsMillis * 1000, keyframe, TestMedia.payload(dtsMillis, size));
    }

    /** The FLV the player wrote, as the header's flags and each tag's kind and timestamp. */
    private static List<String> read(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        List<String> out = new ArrayList<>();
        out.add("header" + ((all.getByte(4) & 4) != 0 ? " audio" : "") + ((all.getByte(4) & 1) != 0 ? " video" : ""));
        try (FlvReader reader = new FlvReader(PooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            reader.feed(all);
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                try {
                    ByteBuf body = tag.body();
                    boolean config = body.readableBytes() > 1 && body.getByte(body.readerIndex() + 1) == 0;
                    out.add(switch (tag.type()) {
                        case FlvTagHeader.TYPE_SCRIPT -> "script";
                        case FlvTagHeader.TYPE_VIDEO -> config ? "video-config" : "video";
                        default -> config ? "audio-config" : "audio";
                    } + " " + tag.timestamp());
                } finally {
                    tag.release();
                }
            }
        }
        return out;
    }
}
