package io.streamkit.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.test.Await;
import io.streamkit.test.EngineFixture;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Publishers that drop and return, players that come early, conflicts, kicks and shutdown. */
class StreamLifecycleTest {
    private final StreamKey key = StreamKey.of("live", "cam1");

    @Test
    void aPublisherWhoseSourceIsLostIsToldApartFromOneThatStopped() throws Exception {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults().withReconnectGrace(Duration.ofSeconds(5)))) {
            Publisher publisher = fx.engine.publish(key);
            Track video = publisher.addTrack(TestMedia.h264());
            RecordingSubscriber sub = new RecordingSubscriber();
            CompletableFuture<String> plain = new CompletableFuture<>();
            fx.engine.subscribe(key, sub).toCompletableFuture().join();
            fx.engine.subscribe(key, new Subscriber() {
                @Override
                public void onTrack(Track track) {
                }

                @Override
                public void onFrame(MediaFrame frame) {
                }

                @Override
                public void onUnpublished() {
                    plain.complete("unpublished");
                }
            }).toCompletableFuture().join();
            publisher.write(video, 0, 0, true, TestMedia.payload(0, 500));
            publisher.abort();
            Await.until(Duration.ofSeconds(5), () -> sub.events.contains("lost"), () -> "lost: " + sub.events);
            assertEquals(List.of("track 0 H264", "lost"), sub.events);
            assertEquals("unpublished", plain.get(5, TimeUnit.SECONDS),
                    "a subscriber that does not tell the two apart hears onUnpublished");
            assertFalse(publisher.isOpen());
            assertEquals(EndReason.CANCELLED, publisher.closed().toCompletableFuture().join());
        }
    }

    @Test
    void aPublisherThatReturnsWithinTheGraceKeepsItsSubscribersOnOneTimeline() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults().withReconnectGrace(Duration.ofSeconds(5)))) {
            Publisher first = fx.engine.publish(key);
            Track v1 = first.addTrack(TestMedia.h264());
            RecordingSubscriber sub = new RecordingSubscriber();
            Subscription s = fx.engine.subscribe(key, sub).toCompletableFuture().join();
            for (int i = 0; i < 50; i++) {
                first.write(v1, i * 40_000L, i * 40_000L, i % 25 == 0, TestMedia.payload(i, 500));
            }
            first.close();
            Await.until(Duration.ofSeconds(5), () -> sub.events.contains("unpublished"), () -> "unpublished");
            assertFalse(first.isOpen());
            assertEquals(EndReason.CANCELLED, first.closed().toCompletableFuture().join());

            // The encoder reconnects; its clock starts again at zero.
            Publisher second = fx.engine.publish(key);
            Track v2 = second.addTrack(TestMedia.h264());
            assertSame(v1, v2, "the same-typed track continues");
            for (int i = 0; i < 50; i++) {
                second.write(v2, i * 40_000L, i * 40_000L, i % 25 == 0, TestMedia.payload(100 + i, 500));
            }
            Await.until(Duration.ofSeconds(5), () -> sub.frames.size() == 100, () -> "100 frames, got " + sub.frames.size());
            assertFalse(sub.ended.isDone(), "still subscribed");
            assertEquals(List.of("track 0 H264", "unpublished", "republished", "track 0 H264"), sub.events);
            RecordingSubscriber.Seen last = sub.frames.get(49);
            RecordingSubscriber.Seen resumed = sub.frames.get(50);
            assertEquals(100, resumed.seq());
            assertTrue(resumed.keyframe());
            assertEquals(last.dts() + 1_000, resumed.dts(), "continues 1 ms after the last frame");
            assertEquals(resumed.dts() + 49 * 40_000L, sub.frames.get(99).dts(), "then keeps the new clock's pace");
            assertTrue(sub.violations.isEmpty(), sub.violations::toString);
            assertEquals(100, s.stats().framesDelivered());
            second.close();
        }
    }

    @Test
    void metadataReachesCurrentSubscribersAndLateOnesAfterTheirTracks() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults())) {
            Publisher pub = fx.engine.publish(key);
            pub.addTrack(TestMedia.h264());
            RecordingSubscriber early = new RecordingSubscriber();
            fx.engine.subscribe(key, early).toCompletableFuture().join();
            java.util.Map<String, Object> meta = new java.util.LinkedHashMap<>();
            meta.put("width", 320.0);
            meta.put("encoder", "Lavf59");
            pub.updateMetadata(meta);
            meta.put("width", 640.0);   // the engine keeps its own copy
            RecordingSubscriber late = new RecordingSubscriber();
            fx.engine.subscribe(key, late).toCompletableFuture().join();
            Await.until(Duration.ofSeconds(5), () -> early.events.size() == 2 && late.events.size() == 2, () -> "events");
            assertEquals(List.of("track 0 H264", "metadata {width=320.0, encoder=Lavf59}"), early.events);
            assertEquals(List.of("track 0 H264", "metadata {width=320.0, encoder=Lavf59}"), late.events);
            pub.close();
        }
    }

    @Test
    void subscribersEndWhenTheGraceRunsOut() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults().withReconnectGrace(Duration.ofMillis(100)))) {
            Publisher pub = fx.engine.publish(key);
            pub.addTrack(TestMedia.h264());
            RecordingSubscriber sub = new RecordingSubscriber();
            fx.engine.subscribe(key, sub).toCompletableFuture().join();
            pub.close();
            assertEquals(EndReason.UNPUBLISHED, sub.ended.orTimeout(5, TimeUnit.SECONDS).join());
            assertEquals(List.of("track 0 H264", "unpublished", "end UNPUBLISHED"), sub.events);
            Await.until(Duration.ofSeconds(5), () -> fx.engine.stream(key).isEmpty(), () -> "stream removed");
        }
    }

    @Test
    void aPlayerWhoComesEarlyWaitsForThePublisher() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults().withPlayWait(Duration.ofSeconds(10)))) {
            RecordingSubscriber sub = new RecordingSubscriber();
            CompletableFuture<Subscription> attached = fx.engine.subscribe(key, sub).toCompletableFuture();
            assertFalse(attached.isDone());
            assertTrue(fx.engine.stream(key).isPresent(), "awaited streams are listed");
            Publisher pub = fx.engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            pub.write(video, 0, 0, true, TestMedia.payload(7, 100));
            attached.orTimeout(5, TimeUnit.SECONDS).join();
            Await.until(Duration.ofSeconds(5), () -> sub.frames.size() == 1, () -> "frame");
            assertEquals(7, sub.frames.get(0).seq());
            pub.close();
        }
    }

    @Test
    void aPlayerOfAStreamThatNeverComesIsToldItDoesNotExist() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults().withPlayWait(Duration.ofMillis(100)))) {
            RecordingSubscriber sub = new RecordingSubscriber();
            long start = System.nanoTime();
            CompletionException e = assertThrows(CompletionException.class,
                    () -> fx.engine.subscribe(key, sub).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join());
            assertTrue(System.nanoTime() - start >= 100_000_000L, "waited the play wait");
            StreamException cause = assertInstanceOf(StreamException.class, e.getCause());
            assertEquals(StreamException.Reason.NOT_FOUND, cause.reason());
            assertTrue(sub.events.isEmpty(), "the subscriber was never called");
            assertTrue(fx.engine.stream(key).isEmpty());
        }
    }

    @Test
    void aSecondPublisherIsRejectedByDefault() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults())) {
            Publisher pub = fx.engine.publish(key);
            StreamException e = assertThrows(StreamException.class, () -> fx.engine.publish(key));
            assertEquals(StreamException.Reason.ALREADY_PUBLISHING, e.reason());
            assertTrue(pub.isOpen());
            pub.close();
        }
    }

    @Test
    void aSecondPublisherTakesOverWhenConfigured() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults().withOnConflict(StreamPolicy.Conflict.TAKE_OVER))) {
            Publisher old = fx.engine.publish(key);
            Track oldVideo = old.addTrack(TestMedia.h264());
            RecordingSubscriber sub = new RecordingSubscriber();
            fx.engine.subscribe(key, sub).toCompletableFuture().join();
            Publisher newer = fx.engine.publish(key);
            assertEquals(EndReason.TAKEN_OVER, old.closed().toCompletableFuture().join());
            assertFalse(old.write(oldVideo, 0, 0, true, TestMedia.payload(1, 100)), "the old publisher's writes are refused");
            Track video = newer.addTrack(TestMedia.h264());
            newer.write(video, 0, 0, true, TestMedia.payload(2, 100));
            Await.until(Duration.ofSeconds(5), () -> sub.frames.size() == 1, () -> "frame from the new publisher");
            assertEquals(2, sub.frames.get(0).seq());
            assertTrue(sub.events.contains("republished"));
            newer.close();
        }
    }

    @Test
    void kickAndShutdownEndEveryoneAndReleaseTheCache() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults())) {
            Publisher pub = fx.engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            RecordingSubscriber sub = new RecordingSubscriber();
            fx.engine.subscribe(key, sub).toCompletableFuture().join();
            for (int i = 0; i < 10; i++) {
                pub.write(video, i * 40_000L, i * 40_000L, i == 0, TestMedia.payload(i, 100));
            }
            assertTrue(fx.engine.kick(key));
            assertEquals(EndReason.KICKED, sub.ended.orTimeout(5, TimeUnit.SECONDS).join());
            assertEquals(EndReason.KICKED, pub.closed().toCompletableFuture().join());
            assertFalse(fx.engine.kick(key));

            StreamKey other = StreamKey.of("live", "other");
            Publisher pub2 = fx.engine.publish(other);
            Track v2 = pub2.addTrack(TestMedia.h264());
            pub2.write(v2, 0, 0, true, TestMedia.payload(0, 100));
            RecordingSubscriber sub2 = new RecordingSubscriber();
            fx.engine.subscribe(other, sub2).toCompletableFuture().join();
            fx.engine.close();
            assertEquals(EndReason.SHUTDOWN, sub2.ended.orTimeout(5, TimeUnit.SECONDS).join());
            assertEquals(EndReason.SHUTDOWN, pub2.closed().toCompletableFuture().join());
            StreamException e = assertThrows(StreamException.class, () -> fx.engine.publish(other));
            assertEquals(StreamException.Reason.CLOSED, e.reason());
        }
    }

    @Test
    void aSubscriberCanLeaveAndIsToldSo() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults())) {
            Publisher pub = fx.engine.publish(key);
            pub.addTrack(TestMedia.h264());
            RecordingSubscriber sub = new RecordingSubscriber();
            Subscription s = fx.engine.subscribe(key, sub).toCompletableFuture().join();
            s.close();
            s.close();
            assertEquals(EndReason.CANCELLED, sub.ended.orTimeout(5, TimeUnit.SECONDS).join());
            Await.until(Duration.ofSeconds(5), () -> fx.engine.stream(key).orElseThrow().subscribers() == 0, () -> "0 subscribers");
            pub.close();
        }
    }

    @Test
    void aThrowingSubscriberIsDetachedAndOthersContinue() {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults())) {
            Publisher pub = fx.engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            RecordingSubscriber bad = new RecordingSubscriber() {
                @Override
                public void onFrame(MediaFrame frame) {
                    throw new IllegalStateException("bug in application code");
                }
            };
            RecordingSubscriber good = new RecordingSubscriber();
            fx.engine.subscribe(key, bad).toCompletableFuture().join();
            fx.engine.subscribe(key, good).toCompletableFuture().join();
            for (int i = 0; i < 5; i++) {
                pub.write(video, i * 40_000L, i * 40_000L, i == 0, TestMedia.payload(i, 100));
            }
            assertEquals(EndReason.FAILED, bad.ended.orTimeout(5, TimeUnit.SECONDS).join());
            Await.until(Duration.ofSeconds(5), () -> good.frames.size() == 5, () -> "5 frames");
            Await.until(Duration.ofSeconds(5), () -> fx.engine.stream(key).orElseThrow().subscribers() == 1, () -> "1 subscriber");
            pub.close();
        }
    }
}
