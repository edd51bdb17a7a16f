package io.streamkit.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.test.Await;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FanOutTest {
    private static final int SUBSCRIBERS = 1_000;
    private static final int LOOPS = 4;
    private static final int FRAMES = 300;

    private EventExecutorGroup loops;
    private StreamEngine engine;

    @BeforeEach
    void start() {
        loops = new DefaultEventExecutorGroup(LOOPS);
        engine = Engine.builder().executor(loops).policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        engine.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void thousandSubscribersOnSeveralLoopsReceiveEveryFrameInOrder() {
        StreamKey key = StreamKey.of("live", "fan");
        Publisher pub = engine.publish(key);
        Track video = pub.addTrack(TestMedia.h264());
        Track audio = pub.addTrack(TestMedia.aac());

        List<RecordingSubscriber> subs = new ArrayList<>();
        List<CompletableFuture<Subscription>> attached = new ArrayList<>();
        Set<EventExecutor> used = new HashSet<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            EventExecutor loop = loops.next();
            used.add(loop);
            RecordingSubscriber s = new RecordingSubscriber();
            subs.add(s);
            attached.add(engine.subscribe(key, s, SubscribeOptions.defaults().executor(loop)).toCompletableFuture());
        }
        CompletableFuture.allOf(attached.toArray(new CompletableFuture[0])).join();
        assertEquals(LOOPS, used.size());
        assertEquals(SUBSCRIBERS, engine.stream(key).orElseThrow().subscribers());

        // 25 fps video with a keyframe every 25 frames, and an audio frame after each video frame.
        long seq = 0;
        for (int i = 0; i < FRAMES / 2; i++) {
            long t = i * 40_000L;
            pub.write(video, t, t + 80_000, i % 25 == 0, TestMedia.payload(seq++, 1_200));
            pub.write(audio, t + 10_000, t + 10_000, true, TestMedia.payload(seq++, 200));
        }
        Await.until(Duration.ofSeconds(30), () -> subs.stream().allMatch(s -> s.frames.size() == FRAMES),
                () -> "every subscriber has " + FRAMES + " frames; fewest: "
                        + subs.stream().mapToInt(s -> s.frames.size()).min().orElse(-1));

        for (RecordingSubscriber s : subs) {
            assertEquals(List.of("track 0 H264", "track 1 AAC"), s.events.subList(0, 2));
            for (int i = 0; i < FRAMES; i++) {
                RecordingSubscriber.Seen f = s.frames.get(i);
                assertEquals(i, f.seq(), "frame order");
                assertEquals(i % 2 == 0 ? 0 : 1, f.track());
                assertEquals(i % 2 == 0 ? 1_200 : 200, f.size());
            }
            assertEquals(80_000, s.frames.get(0).pts() - s.frames.get(0).dts(), "composition offset kept");
            assertTrue(s.flushes.get() > 0 && s.flushes.get() <= FRAMES, "flushed once per batch, not per frame");
            assertTrue(s.violations.isEmpty(), s.violations::toString);
        }
        for (CompletableFuture<Subscription> f : attached) {
            SubscriberStats st = f.join().stats();
            assertEquals(FRAMES, st.framesDelivered());
            assertEquals(0, st.framesSkipped());
        }
        assertEquals(FRAMES / 2, video.stats().frames());
        assertEquals(FRAMES / 2 / 25, video.stats().keyframes());

        pub.close();
        for (RecordingSubscriber s : subs) {
            assertEquals(EndReason.UNPUBLISHED, s.ended.orTimeout(10, TimeUnit.SECONDS).join());
        }
        Await.until(Duration.ofSeconds(5), () -> engine.stream(key).isEmpty(), () -> "stream removed");
    }
}
