package io.streamkit.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.test.Await;
import io.streamkit.test.EngineFixture;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md rule 7: every track exposes monotonic dts, whatever the publisher sends. */
class TimestampNormalisationTest {
    private static final long MS = 1_000;
    private static final long WRAP_MS = 1L << 32;

    @Test
    void anRtmp32BitWrapIsContinuedExactly() {
        // Publisher dts in ms, as RTMP carries them: 40 ms apart, wrapping past 0xFFFFFFFF.
        long start = WRAP_MS - 3 * 40;
        List<Long> sent = List.of(start, start + 40, start + 80, (start + 120) % WRAP_MS, (start + 160) % WRAP_MS);
        List<Long> got = run(PublishOptions.defaults().timestampWrap(PublishOptions.RTMP_TIMESTAMP_WRAP), sent);
        for (int i = 0; i < sent.size(); i++) {
            assertEquals((start + 40L * i) * MS, got.get(i), "frame " + i);
        }
    }

    @Test
    void aForwardJumpIsSmoothedOverAtTheUsualPace() {
        List<Long> got = run(PublishOptions.defaults(), List.of(0L, 40L, 80L, 3_600_000L, 3_600_040L));
        assertEquals(List.of(0L, 40 * MS, 80 * MS, 120 * MS, 160 * MS), got);
    }

    @Test
    void aBackwardJumpIsSmoothedOverToo() {
        List<Long> got = run(PublishOptions.defaults(), List.of(100_000L, 100_040L, 100_080L, 0L, 40L));
        assertEquals(List.of(100_000 * MS, 100_040 * MS, 100_080 * MS, 100_120 * MS, 100_160 * MS), got);
    }

    @Test
    void aSmallStepBackIsNudgedOnAndTheTimelineStaysPut() {
        List<Long> got = run(PublishOptions.defaults(), List.of(0L, 40L, 80L, 60L, 120L));
        assertEquals(List.of(0L, 40 * MS, 80 * MS, 81 * MS, 120 * MS), got);
    }

    @Test
    void aBackwardJumpBelowTheLimitIsRebasedNotClamped() {
        List<Long> got = run(PublishOptions.defaults(), List.of(10_000L, 10_040L, 10_080L, 5_120L, 5_160L));
        assertEquals(List.of(10_000 * MS, 10_040 * MS, 10_080 * MS, 10_120 * MS, 10_160 * MS), got);
    }

    private static List<Long> run(PublishOptions options, List<Long> dtsMillis) {
        try (EngineFixture fx = new EngineFixture(StreamPolicy.defaults())) {
            StreamKey key = StreamKey.of("live", "ts");
            Publisher pub = fx.engine.publish(key, options);
            Track video = pub.addTrack(TestMedia.h264());
            RecordingSubscriber sub = new RecordingSubscriber();
            fx.engine.subscribe(key, sub).toCompletableFuture().join();
            for (int i = 0; i < dtsMillis.size(); i++) {
                long dts = dtsMillis.get(i) * MS;
                pub.write(video, dts, dts + 40 * MS, i == 0, TestMedia.payload(i, 100));
            }
            Await.until(Duration.ofSeconds(5), () -> sub.frames.size() == dtsMillis.size(), () -> "all frames");
            assertTrue(sub.violations.isEmpty(), sub.violations::toString);
            for (RecordingSubscriber.Seen f : sub.frames) {
                assertEquals(40 * MS, f.pts() - f.dts(), "composition offset survives correction");
            }
            pub.close();
            return sub.frames.stream().map(RecordingSubscriber.Seen::dts).toList();
        }
    }
}
