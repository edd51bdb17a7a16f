package io.streamkit.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.test.Await;
import io.streamkit.test.EngineFixture;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A player that joins a running stream starts at a keyframe at once. */
class GopCacheTest {
    private final StreamKey key = StreamKey.of("live", "gop");

    @Test
    void aLateSubscriberStartsAtTheLastKeyframeWithoutWaiting() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults())) {
            Publisher pub = fx.engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            Track audio = pub.addTrack(TestMedia.aac());
            // Two and a half GOPs: keyframes at video frames 0, 25 and 50; 62 video frames.
            long seq = 0;
            long keySeq = -1;
            for (int i = 0; i < 62; i++) {
                long t = i * 40_000L;
                if (i == 50) {
                    keySeq = seq;
                }
                pub.write(video, t, t, i % 25 == 0, TestMedia.payload(seq++, 1_000));
                pub.write(audio, t + 5_000, t + 5_000, true, TestMedia.payload(seq++, 100));
            }
            long expected = seq - keySeq;

            RecordingSubscriber late = new RecordingSubscriber();
            fx.engine.subscribe(key, late).toCompletableFuture().join();
            // No further write: everything it gets comes from the cache.
            Await.until(Duration.ofSeconds(5), () -> late.frames.size() == expected,
                    () -> "cached frames: " + late.frames.size() + " of " + expected);
            RecordingSubscriber.Seen first = late.frames.get(0);
            assertTrue(first.keyframe());
            assertEquals(0, first.track());
            assertEquals(keySeq, first.seq());
            assertEquals(2_000_000, first.dts());
            assertEquals("track 0 H264", late.events.get(0), "tracks come before frames");
            for (int i = 0; i < late.frames.size(); i++) {
                assertEquals(keySeq + i, late.frames.get(i).seq());
            }
            pub.close();
        }
    }

    @Test
    void aSecondVideoTracksKeyframesNeitherRestartTheCacheNorStartPlayers() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults())) {
            Publisher pub = fx.engine.publish(key);
            Track main = pub.addTrack(TestMedia.h264());
            Track second = pub.addTrack(TestMedia.h264());   // a multitrack stream's track 1
            pub.write(main, 0, 0, true, TestMedia.payload(0, 1_000));
            pub.write(second, 10_000, 10_000, true, TestMedia.payload(1, 1_000));
            pub.write(main, 40_000, 40_000, false, TestMedia.payload(2, 1_000));
            pub.write(second, 50_000, 50_000, true, TestMedia.payload(3, 1_000));   // its keyframe: no restart

            RecordingSubscriber late = new RecordingSubscriber();
            fx.engine.subscribe(key, late).toCompletableFuture().join();
            Await.until(Duration.ofSeconds(5), () -> late.frames.size() == 4, () -> "cached: " + late.frames.size());
            assertEquals(0, late.frames.get(0).seq(), "starts at the first track's keyframe, with the whole GOP");

            RecordingSubscriber waiting = new RecordingSubscriber();
            Publisher restart = fx.engine.publish(StreamKey.of("live", "gop2"));
            Track m2 = restart.addTrack(TestMedia.h264());
            Track s2 = restart.addTrack(TestMedia.h264());
            restart.write(s2, 0, 0, true, TestMedia.payload(10, 500));   // no keyframe of the first track yet
            fx.engine.subscribe(StreamKey.of("live", "gop2"), waiting).toCompletableFuture().join();
            restart.write(s2, 40_000, 40_000, true, TestMedia.payload(11, 500));
            restart.write(m2, 80_000, 80_000, true, TestMedia.payload(12, 500));
            Await.until(Duration.ofSeconds(5), () -> waiting.frames.size() == 1, () -> "frames: " + waiting.frames.size());
            assertEquals(12, waiting.frames.get(0).seq(), "a player starts at the first video track's keyframe");
            restart.close();
            pub.close();
        }
    }

    @Test
    void aGopLargerThanTheCacheIsNotKeptAndPlayersWaitForTheNextKeyframe() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults().withGopCacheMaxBytes(10_000))) {
            Publisher pub = fx.engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            for (int i = 0; i < 20; i++) {   // 20 KB GOP, twice the bound
                pub.write(video, i * 40_000L, i * 40_000L, i == 0, TestMedia.payload(i, 1_000));
            }
            RecordingSubscriber late = new RecordingSubscriber();
            Subscription s = fx.engine.subscribe(key, late).toCompletableFuture().join();
            pub.write(video, 20 * 40_000L, 20 * 40_000L, false, TestMedia.payload(20, 1_000));
            pub.write(video, 21 * 40_000L, 21 * 40_000L, true, TestMedia.payload(21, 1_000));
            Await.until(Duration.ofSeconds(5), () -> late.frames.size() == 1, () -> "one frame");
            assertEquals(21, late.frames.get(0).seq(), "starts at the next keyframe");
            assertEquals(0, s.stats().framesSkipped(),
                    "the delta frame before a new player's first keyframe is held back, not skipped");
            pub.close();
        }
    }

    @Test
    void anAudioOnlyStreamKeepsAShortWindow() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults().withAudioWindow(Duration.ofMillis(500)))) {
            Publisher pub = fx.engine.publish(key);
            Track audio = pub.addTrack(TestMedia.aac());
            for (int i = 0; i < 100; i++) {   // 2.3 s of 23 ms frames
                pub.write(audio, i * 23_000L, i * 23_000L, true, TestMedia.payload(i, 100));
            }
            RecordingSubscriber late = new RecordingSubscriber();
            fx.engine.subscribe(key, late).toCompletableFuture().join();
            // Frames with dts >= 99 * 23 ms - 500 ms: 78 to 99.
            Await.until(Duration.ofSeconds(5), () -> late.frames.size() == 22, () -> "window: " + late.frames.size());
            assertEquals(78, late.frames.get(0).seq());
            assertEquals(99, late.frames.get(21).seq());
            pub.close();
        }
    }
}
