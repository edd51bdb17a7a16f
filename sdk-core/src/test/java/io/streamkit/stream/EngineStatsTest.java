package io.streamkit.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.test.Await;
import io.streamkit.test.EngineFixture;
import io.streamkit.test.QueueSubscriber;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The engine's totals and a stream's delivery numbers: counted where they happen, kept after the end. */
class EngineStatsTest {
    private static final StreamPolicy NO_GRACE = StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)
            .withPlayWait(Duration.ZERO);
    private final StreamKey key = StreamKey.of("live", "stats");

    @Test
    void bytesAndPlayersAreCountedPerStreamAndSurviveItsEnd() {
        try (EngineFixture fx = new EngineFixture(NO_GRACE)) {
            Publisher pub = fx.engine.publish(key, PublishOptions.defaults().protocol("rtmp"));
            Track video = pub.addTrack(TestMedia.h264());
            RecordingSubscriber rtmp = new RecordingSubscriber();
            RecordingSubscriber flv = new RecordingSubscriber();
            RecordingSubscriber flv2 = new RecordingSubscriber();
            fx.engine.subscribe(key, rtmp, SubscribeOptions.defaults().protocol("rtmp")).toCompletableFuture().join();
            fx.engine.subscribe(key, flv, SubscribeOptions.defaults().protocol("http-flv")).toCompletableFuture().join();
            Subscription leaving = fx.engine.subscribe(key, flv2, SubscribeOptions.defaults().protocol("http-flv"))
                    .toCompletableFuture().join();
            for (int i = 0; i < 10; i++) {
                pub.write(video, i * 40_000L, i * 40_000L, true, TestMedia.payload(i, 500));
            }
            Await.until(Duration.ofSeconds(5), () -> rtmp.frames.size() == 10 && flv.frames.size() == 10
                    && flv2.frames.size() == 10, () -> "every player got 10 frames");

            StreamInfo info = fx.engine.stream(key).orElseThrow();
            assertEquals(Map.of("rtmp", 1, "http-flv", 2), info.subscribersByProtocol());
            assertEquals(5_000, info.bytesIn());
            assertEquals(15_000, info.bytesOut());
            assertEquals(0, info.framesSkipped());

            // A player leaves: it no longer counts as a player, but its bytes stay counted.
            leaving.close();
            Await.until(Duration.ofSeconds(5), () -> flv2.ended.isDone(), () -> "leaver ended");
            info = fx.engine.stream(key).orElseThrow();
            assertEquals(Map.of("rtmp", 1, "http-flv", 1), info.subscribersByProtocol());
            assertEquals(15_000, info.bytesOut());
            EngineStats live = fx.engine.stats();
            assertEquals(new EngineStats(1, 2, 5_000, 15_000, 0, 0, 0), live);

            pub.close();
            Await.until(Duration.ofSeconds(5), () -> rtmp.ended.isDone() && flv.ended.isDone(), () -> "players ended");
            Await.until(Duration.ofSeconds(5), () -> fx.engine.stats().subscribers() == 0, () -> "subscriptions retired");
            assertTrue(fx.engine.stream(key).isEmpty(), "the stream is gone");
            assertEquals(new EngineStats(0, 0, 5_000, 15_000, 0, 0, 0), fx.engine.stats(),
                    "cumulative counters outlive the stream");
        }
    }

    @Test
    void framesASlowPlayerSkipsAreCounted() {
        try (EngineFixture fx = new EngineFixture(NO_GRACE)) {
            Publisher pub = fx.engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            QueueSubscriber slow = new QueueSubscriber(4);
            Subscription sub = fx.engine.subscribe(key, slow).toCompletableFuture().join();
            for (int i = 0; i < 30; i++) {
                pub.write(video, i * 40_000L, i * 40_000L, i % 10 == 0, TestMedia.payload(i, 100));
            }
            Await.until(Duration.ofSeconds(5), () -> sub.stats().framesDelivered() + sub.stats().framesSkipped() == 30,
                    () -> "every frame delivered or skipped: " + sub.stats());
            assertEquals(26, sub.stats().framesSkipped());
            assertEquals(26, fx.engine.stream(key).orElseThrow().framesSkipped());
            assertEquals(26, fx.engine.stats().framesSkipped());
            slow.drain();
            pub.close();
            Await.until(Duration.ofSeconds(5), () -> fx.engine.stats().subscribers() == 0, () -> "retired");
            assertEquals(26, fx.engine.stats().framesSkipped(), "kept after the player ended");
            slow.drain();
        }
    }

    @Test
    void theOutBitrateIsMeasuredBetweenSnapshots() {
        try (EngineFixture fx = new EngineFixture(NO_GRACE)) {
            Publisher pub = fx.engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            RecordingSubscriber player = new RecordingSubscriber();
            fx.engine.subscribe(key, player).toCompletableFuture().join();
            assertEquals(0, fx.engine.stream(key).orElseThrow().bitsPerSecondOut(), "one snapshot is no rate");
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                pub.write(video, i * 40_000L, i * 40_000L, i % 25 == 0, TestMedia.payload(i, 1_000));
            }
            Await.until(Duration.ofSeconds(5), () -> player.frames.size() == 100, () -> "delivered");
            Await.until(Duration.ofSeconds(5), () -> fx.engine.stream(key).orElseThrow().bitsPerSecondOut() > 0,
                    () -> "a rate once snapshots span enough time");
            long rate = fx.engine.stream(key).orElseThrow().bitsPerSecondOut();
            double seconds = (System.nanoTime() - start) / 1e9;
            // 800,000 bits went out since the first snapshot; the rate spans at most the time since.
            assertTrue(rate >= 800_000 / (seconds + 0.1) * 0.5 && rate <= 800_000 / 0.2, "rate " + rate);
            pub.close();
        }
    }

    @Test
    void refusedPublishesAndPlaysAreCountedWhereTheyHappen() {
        try (EngineFixture fx = new EngineFixture(b -> b.policy(NO_GRACE.withOnConflict(StreamPolicy.Conflict.REJECT))
                .onPublish(r -> CompletableFuture.completedFuture(r.key().name().equals("denied")
                        ? AuthResult.deny("no") : AuthResult.allow()))
                .onPlay(r -> { throw new IllegalStateException("a check that throws denies"); }))) {
            AuthResult denied = fx.engine.authorize(AuthRequest.builder(AuthRequest.Action.PUBLISH, StreamKey.of("live", "denied")).protocol("rtmp").build()).toCompletableFuture().join();
            assertTrue(!denied.allowed());
            assertTrue(fx.engine.authorize(AuthRequest.builder(AuthRequest.Action.PUBLISH, key).protocol("rtmp").build())
                    .toCompletableFuture().join().allowed());
            assertTrue(!fx.engine.authorize(AuthRequest.builder(AuthRequest.Action.PLAY, key).protocol("rtmp").build())
                    .toCompletableFuture().join().allowed());
            assertEquals(1, fx.engine.stats().publishesRejected());
            assertEquals(1, fx.engine.stats().playsRejected());

            Publisher pub = fx.engine.publish(key);
            StreamException taken = assertThrows(StreamException.class, () -> fx.engine.publish(key));
            assertEquals(StreamException.Reason.ALREADY_PUBLISHING, taken.reason());
            assertEquals(2, fx.engine.stats().publishesRejected());

            CompletionException missing = assertThrows(CompletionException.class, () -> fx.engine
                    .subscribe(StreamKey.of("live", "nobody"), new RecordingSubscriber()).toCompletableFuture().join());
            assertEquals(StreamException.Reason.NOT_FOUND, ((StreamException) missing.getCause()).reason());
            assertEquals(2, fx.engine.stats().playsRejected());
            pub.close();
        }
    }
}
