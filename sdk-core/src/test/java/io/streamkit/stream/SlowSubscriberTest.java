package io.streamkit.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.ServerListener;
import io.streamkit.hook.SkipEvent;
import io.streamkit.test.Await;
import io.streamkit.test.EngineFixture;
import io.streamkit.test.QueueSubscriber;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SlowSubscriberTest {
    private static final int GOP = 25;

    @Test
    void aSubscriberThatStopsReadingSkipsToAKeyframeWhileOthersLoseNothing() {
        List<SkipEvent> skips = new CopyOnWriteArrayList<>();
        ServerListener listener = new ServerListener() {
            @Override
            public void onSkip(SkipEvent event) {
                skips.add(event);
            }
        };
        try (EngineFixture fx = new EngineFixture(b -> b.listener(listener))) {
            StreamKey key = StreamKey.of("live", "slow");
            Publisher pub = fx.engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            Track audio = pub.addTrack(TestMedia.aac());
            RecordingSubscriber fast = new RecordingSubscriber();
            QueueSubscriber slow = new QueueSubscriber(20);
            fx.engine.subscribe(key, fast).toCompletableFuture().join();
            Subscription slowSub = fx.engine.subscribe(key, slow).toCompletableFuture().join();

            // 4 GOPs while the slow reader reads nothing: its 20-frame backlog fills, then it skips.
            long seq = writeGops(pub, video, audio, 0, 4);
            Await.until(Duration.ofSeconds(10), () -> fast.frames.size() == seq, () -> "fast got " + fast.frames.size());
            Await.until(Duration.ofSeconds(10), () -> slowSub.stats().framesDelivered() + slowSub.stats().framesSkipped() == seq,
                    () -> "slow saw every frame: " + slowSub.stats());
            assertEquals(20, slow.queue.size(), "backlog full, and bounded");
            assertEquals(20, slowSub.stats().framesDelivered());
            assertEquals(seq - 20, slowSub.stats().framesSkipped());
            assertEquals(1, slowSub.stats().skips(), "one fall-behind, however many frames it cost");

            // The reader catches up; the subscriber resumes at the next video keyframe, not mid-GOP.
            assertEquals(20, slow.drain());
            long more = writeGops(pub, video, audio, seq, 2) - seq;
            Await.until(Duration.ofSeconds(10), () -> fast.frames.size() == seq + more, () -> "fast got all");
            Await.until(Duration.ofSeconds(10), () -> slow.frames.size() > 20, () -> "slow resumed");
            // its loop may run behind the fast subscriber's: wait until it has seen every frame
            Await.until(Duration.ofSeconds(10),
                    () -> slowSub.stats().framesDelivered() + slowSub.stats().framesSkipped() == seq + more,
                    () -> "slow saw every frame again: " + slowSub.stats());
            RecordingSubscriber.Seen resumed = slow.frames.get(20);
            assertEquals(0, resumed.track(), "resumes on video");
            assertTrue(resumed.keyframe(), "resumes at a keyframe");
            assertEquals(seq, resumed.seq(), "at the first keyframe after it caught up");
            slow.drain();

            for (int i = 0; i < fast.frames.size(); i++) {
                assertEquals(i, fast.frames.get(i).seq(), "the fast subscriber lost nothing");
            }
            // Two GOPs overfill its 20-frame backlog again after it resumed: a second fall-behind.
            assertEquals(2, slowSub.stats().skips());
            assertEquals(2, skips.size());
            assertEquals(slowSub.id(), skips.get(0).subscriptionId());
            assertEquals(2, skips.get(1).skips());
            assertTrue(fast.violations.isEmpty() && slow.violations.isEmpty());
            pub.close();
        }
    }

    @Test
    void anAudioOnlySubscriberDropsOnlyWhileItCannotWrite() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults())) {
            StreamKey key = StreamKey.of("radio", "one");
            Publisher pub = fx.engine.publish(key);
            Track audio = pub.addTrack(TestMedia.aac());
            RecordingSubscriber sub = new RecordingSubscriber();
            Subscription s = fx.engine.subscribe(key, sub).toCompletableFuture().join();
            for (int i = 0; i < 10; i++) {
                pub.write(audio, i * 23_000L, i * 23_000L, true, TestMedia.payload(i, 100));
            }
            Await.until(Duration.ofSeconds(5), () -> sub.frames.size() == 10, () -> "10 frames");
            sub.writable(false);
            for (int i = 10; i < 15; i++) {
                pub.write(audio, i * 23_000L, i * 23_000L, true, TestMedia.payload(i, 100));
            }
            Await.until(Duration.ofSeconds(5), () -> s.stats().framesSkipped() == 5, () -> "5 skipped");
            sub.writable(true);
            pub.write(audio, 15 * 23_000L, 15 * 23_000L, true, TestMedia.payload(15, 100));
            Await.until(Duration.ofSeconds(5), () -> sub.frames.size() == 11, () -> "resumed");
            assertEquals(15, sub.frames.get(10).seq(), "audio resumes with the next frame");
            pub.close();
        }
    }

    /** Writes {@code gops} GOPs of 25 video frames, each followed by an audio frame; returns the next seq. */
    static long writeGops(Publisher pub, Track video, Track audio, long firstSeq, int gops) {
        long seq = firstSeq;
        int start = (int) (firstSeq / 2);
        for (int i = start; i < start + gops * GOP; i++) {
            long t = i * 40_000L;
            pub.write(video, t, t, i % GOP == 0, TestMedia.payload(seq++, 1_000));
            pub.write(audio, t + 5_000, t + 5_000, true, TestMedia.payload(seq++, 100));
        }
        return seq;
    }
}
