package io.streamkit.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A frame is encoded once per loop and form, and players starting from the GOP cache find
 * its frames' forms from when they were live; forms past the remembered number are released.
 */
class SharedEncodingTest {
    private static int builds;
    private static final SharedEncoding ENCODING = new SharedEncoding(SharedEncodingTest::build);

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private StreamEngine engine;
    private Publisher publisher;
    private Track video;
    private final List<MediaFrame> frames = new ArrayList<>();

    private static void build(ByteBufAllocator alloc, MediaFrame frame, long variant, long time, Consumer<ByteBuf> into) {
        builds++;
        into.accept(alloc.directBuffer(24).writeLong(frame.dts()).writeLong(variant).writeLong(time));
        into.accept(frame.content().retainedSlice());
    }

    @BeforeEach
    void setUp() {
        builds = 0;
        ENCODING.forget();
        engine = Engine.builder().build();
        publisher = engine.publish(StreamKey.of("live", "encoding"));
        video = publisher.addTrack(TestMedia.h264());
    }

    @AfterEach
    void tearDown() {
        ENCODING.forget();
        for (MediaFrame f : frames) {
            assertEquals(1, f.refCnt(), "only the test holds frame " + f.dts() + " once the encoding forgot it");
            f.release();
        }
        publisher.close();
        engine.close();
    }

    @Test
    void aLiveFrameIsEncodedOncePerFormForAllItsPlayers() {
        MediaFrame f = frame(0);
        SharedEncoding.Parts first = ENCODING.acquire(alloc, f, 1, 0);
        for (int player = 0; player < 10; player++) {
            SharedEncoding.Parts again = ENCODING.acquire(alloc, f, 1, 0);
            assertSame(first, again);
            again.release();
        }
        SharedEncoding.Parts other = ENCODING.acquire(alloc, f, 2, 0);
        SharedEncoding.Parts later = ENCODING.acquire(alloc, f, 1, 40);
        assertEquals(3, builds, "one build per form: variant and time");
        assertSame(later, ENCODING.acquire(alloc, f, 1, 40).release() ? null : later, "the timed form is remembered");
        first.release();
        other.release();
        later.release();
    }

    @Test
    void aPlayerStartingFromTheGopCacheFindsItsFramesEncodedWhenLive() {
        List<SharedEncoding.Parts> live = new ArrayList<>();
        for (int i = 0; i < 150; i++) {   // a 2 s GOP of a 25 fps + 48 kHz AAC stream, played live
            live.add(ENCODING.acquire(alloc, frame(i), 1, 0));
        }
        assertEquals(150, builds);
        for (int player = 0; player < 3; player++) {   // players joining: the whole GOP, in order
            for (int i = 0; i < 150; i++) {
                SharedEncoding.Parts p = ENCODING.acquire(alloc, frames.get(i), 1, 0);
                assertSame(live.get(i), p, "frame " + i);
                p.release();
            }
        }
        assertEquals(150, builds, "no frame encoded again");
        live.forEach(SharedEncoding.Parts::release);
    }

    @Test
    void formsPastTheRememberedNumberAreReleasedAndBuiltAgain() {
        int n = SharedEncoding.RECENT + 10;
        for (int i = 0; i < n; i++) {
            ENCODING.acquire(alloc, frame(i), 1, 0).release();
        }
        assertEquals(n, builds);
        for (int i = 0; i < 10; i++) {   // the oldest ten were released: they hold no slice of their frames
            assertEquals(1, frames.get(i).refCnt(), "frame " + i + " is held by the test alone");
        }
        assertEquals(2, frames.get(n - 1).refCnt(), "the newest frame's form still holds a slice of it");
        ENCODING.acquire(alloc, frames.get(0), 1, 0).release();
        assertEquals(n + 1, builds, "a forgotten frame is built again");
        ENCODING.acquire(alloc, frames.get(n - 1), 1, 0).release();
        assertEquals(n + 1, builds, "a remembered one is not");
    }

    private MediaFrame frame(int i) {
        MediaFrame f = MediaFrame.of(video, i * 20_000L, i * 20_000L, i == 0, TestMedia.payload(i, 64));
        frames.add(f);
        return f;
    }
}
