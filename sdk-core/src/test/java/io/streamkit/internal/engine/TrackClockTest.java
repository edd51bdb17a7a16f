package io.streamkit.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.stream.Codec;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.TrackFormat;
import io.streamkit.test.TestMedia;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Publisher clocks repaired at the track: what players get for jumps, jitter, stuck clocks,
 * wraps and reconnects, with the engine's clock given per frame so every case is exact.
 */
class TrackClockTest {
    private static final long MS = 1_000;
    private static final long MAX_JUMP = StreamPolicy.DEFAULT_MAX_TIMESTAMP_JUMP.toNanos() / 1_000;
    /** H.264 at 25 fps as the SPS says (TestMedia's record has VUI timing: 50 ticks per second). */
    private static final TrackFormat VIDEO_25 = TestMedia.h264();
    /** H.264 whose rate nothing tells. */
    private static final TrackFormat VIDEO_UNKNOWN = TrackFormat.of(Codec.H264);
    /** AAC-LC 44.1 kHz: 1024 samples a frame, 23,219.95 µs. */
    private static final TrackFormat AAC = TestMedia.aac();
    private static final double AAC_FRAME_MICROS = 1024e6 / 44_100;

    /** The hub's part: one session, the stream's latest dts, the engine's clock. */
    private static final class Stream {
        SessionClock session = new SessionClock(1, 0);
        long maxDts = Long.MIN_VALUE;
        long nowNanos = 1_000_000_000L;
        int generation = 1;

        Stream() {
        }

        Stream(long wrap) {
            session = new SessionClock(1, wrap);
        }

        long write(Track t, long inMicros) {
            long out = t.clock.map(inMicros, session, MAX_JUMP, maxDts, nowNanos);
            maxDts = Math.max(maxDts, out);
            t.out.add(out);
            t.in.add(inMicros);
            return out;
        }

        void republish() {
            session = new SessionClock(++generation, 0);
        }
    }

    /** One track's clock and what went in and out. */
    private static final class Track {
        final Counter corrections = new Counter();
        final TrackClock clock = new TrackClock(corrections);
        final List<Long> in = new ArrayList<>();
        final List<Long> out = new ArrayList<>();

        Track(TrackFormat format) {
            clock.format(format);
        }

        long last() {
            return out.get(out.size() - 1);
        }
    }

    @Test
    void theFormatsTellTheirFrameIntervals() {
        assertEquals(40_000_000L, TrackClock.nominalNanos(VIDEO_25), "TestMedia's SPS says 25 fps");
        assertEquals(0, TrackClock.nominalNanos(VIDEO_UNKNOWN));
        assertEquals(Math.round(AAC_FRAME_MICROS * 1_000), TrackClock.nominalNanos(AAC), 1.0);
        assertEquals(0, TrackClock.nominalNanos(TrackFormat.of(Codec.OPUS)));
    }

    @Test
    void aSteadyClockPassesThroughUncounted() {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        for (int i = 0; i < 100; i++) {
            assertEquals(i * 40 * MS, s.write(v, i * 40 * MS));
        }
        assertEquals(0, v.corrections.get());
    }

    @ParameterizedTest(name = "back {0} ms")
    @ValueSource(longs = {1_000, 5_000, 9_000, 30_000})
    void aBackwardJumpRebasesOneFrameIntervalOn(long backMillis) {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        long at = 100_000 * MS;
        for (int i = 0; i < 100; i++) {
            long in = at + i * 40 * MS - (i >= 50 ? backMillis * MS : 0);
            s.write(v, in);
        }
        assertEvenlySpaced(v.out, 40 * MS, 0, "video");
        assertEquals(at, v.out.get(0), "the timeline starts where the publisher's does");
        assertEquals(1, v.corrections.get(), "one repaired frame; the rest follow the new offset");
    }

    @ParameterizedTest(name = "forward {0} ms")
    @ValueSource(longs = {10_001, 60_000, 3_600_000})
    void aForwardJumpBeyondTheLimitRebasesToo(long forwardMillis) {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        for (int i = 0; i < 100; i++) {
            s.write(v, i * 40 * MS + (i >= 50 ? forwardMillis * MS : 0));
        }
        assertEvenlySpaced(v.out, 40 * MS, 0, "video");
        assertEquals(1, v.corrections.get());
    }

    @Test
    void aForwardGapWithinTheLimitIsBelieved() {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        for (int i = 0; i < 10; i++) {
            s.write(v, i * 40 * MS);
        }
        assertEquals(360 * MS + 5_000 * MS, s.write(v, 360 * MS + 5_000 * MS), "an encoder that dropped 5 s of frames");
        assertEquals(0, v.corrections.get());
    }

    @Test
    void bFramesInDecodeOrderAreNotJumps() {
        // I P B B P B B ...: dts rises evenly, pts is reordered; the clock sees only dts.
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        for (int i = 0; i < 60; i++) {
            assertEquals(i * 40 * MS, s.write(v, i * 40 * MS));
        }
        assertEquals(0, v.corrections.get());
    }

    @Test
    void ptsSentAsDtsStepsBackWithinReorderingAndTheTimelineStaysPut() {
        // A publisher that puts pts in the dts field: I0 P3 B1 B2 P6 B4 B5 ..., in frame intervals.
        int[] order = {0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11, 15, 13, 14};
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        for (int frame : order) {
            s.write(v, frame * 40 * MS);
        }
        assertStrictlyRising(v.out, "video");
        for (int i = 0; i < order.length; i++) {
            if (order[i] % 3 == 0) {
                assertEquals(order[i] * 40 * MS, v.out.get(i), "P frame " + order[i] + " keeps its time: no rebase");
            } else {
                assertTrue(v.out.get(i) - v.out.get(i - 1) == MS, "B frame " + order[i] + " nudged one ms on");
            }
        }
        assertEquals(10, v.corrections.get(), "each nudged B frame counts");
    }

    @Test
    void aClockCreepingBackIsRebasedAfterAFewNudgesSoTimeKeepsMoving() {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        for (int i = 0; i <= 100; i++) {
            s.write(v, 10_000 * MS - i * MS);   // a hostile publisher: one millisecond back each frame
        }
        assertStrictlyRising(v.out, "video");
        long least = 100 / (TrackClock.REORDER_FRAMES + 1) * 40 * MS;
        assertTrue(v.last() - v.out.get(0) >= least, "time moved " + (v.last() - v.out.get(0)) + " µs, at least " + least);
    }

    @Test
    void zeroTimestampsFromTheStartGetTheFrameRateOfTheSps() {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        for (int i = 0; i < 250; i++) {
            s.nowNanos += 40_000_000L;
            s.write(v, 0);
        }
        assertEquals(0, v.out.get(0));
        assertEvenlySpaced(v.out, 40 * MS, 0, "video");
        assertEquals(249, v.corrections.get(), "every frame after the first was timed here");
    }

    @Test
    void zeroAudioTimestampsGetAacFrameDurationsWithoutDrift() {
        Stream s = new Stream();
        Track a = new Track(AAC);
        for (int i = 0; i < 2_000; i++) {
            s.nowNanos += 23_219_955L;
            s.write(a, 0);
        }
        for (int i = 0; i < a.out.size(); i++) {
            assertEquals(i * AAC_FRAME_MICROS, a.out.get(i), 2.0, "frame " + i + " at its sample position");
        }
    }

    @Test
    void aStuckClockWithNothingToTellTheRateIsTimedByArrival() {
        Stream s = new Stream();
        Track v = new Track(VIDEO_UNKNOWN);
        for (int i = 0; i < 150; i++) {
            s.nowNanos += 33_333_333L;   // 30 fps arriving
            s.write(v, 5_000 * MS);
        }
        assertStrictlyRising(v.out, "video");
        // After the first 200 ms of arrival the interval is the arrival's average.
        List<Long> settled = v.out.subList(10, v.out.size());
        assertEvenlySpaced(settled, 33_333, 1_000, "video after arrival settles");
        long span = v.last() - v.out.get(0);
        assertEquals(149 * 33_333.0, span, 250_000, "the timeline follows arrival");
    }

    @Test
    void aStuckRunWhoseRateIsWrongIsPulledAlongByArrival() {
        Stream s = new Stream();
        Track a = new Track(AAC);   // says 23.2 ms a frame
        long firstRunNanos = 0;
        for (int i = 0; i < 400; i++) {
            s.nowNanos += 46_439_909L;   // but frames arrive twice as far apart (a publisher sending 2048-sample frames)
            s.write(a, 0);
            if (i == 1) {
                firstRunNanos = s.nowNanos;
            }
        }
        assertStrictlyRising(a.out, "audio");
        long arrival = (s.nowNanos - firstRunNanos) / 1_000;
        long timeline = a.last() - a.out.get(1);
        assertTrue(timeline >= arrival - TrackClock.MAX_ARRIVAL_LAG_MICROS - 50 * MS,
                "timeline " + timeline + " µs keeps within the lag of arrival " + arrival + " µs");
    }

    @Test
    void aConstantClockMidStreamIsTimedAfterAFewRepeats() {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        for (int i = 0; i < 50; i++) {
            s.write(v, i * 40 * MS);
        }
        long stuckAt = 49 * 40 * MS;
        for (int i = 0; i < 100; i++) {
            s.write(v, stuckAt);
        }
        assertStrictlyRising(v.out, "video");
        assertEquals(stuckAt + MS, v.out.get(50), "an isolated repeat is nudged");
        assertEquals(stuckAt + 2 * MS, v.out.get(51));
        assertEvenlySpaced(v.out.subList(51, v.out.size()), 40 * MS, 0, "the stuck run");
        assertEquals(100, v.corrections.get());
    }

    @Test
    void anIsolatedRepeatDoesNotShiftTheTrack() {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        List<Long> in = List.of(0L, 40L, 80L, 80L, 120L, 160L);
        for (long t : in) {
            s.write(v, t * MS);
        }
        assertEquals(List.of(0L, 40 * MS, 80 * MS, 81 * MS, 120 * MS, 160 * MS), v.out);
        assertEquals(1, v.corrections.get());
    }

    @Test
    void aClockThatResumesAfterAStuckRunContinuesWithoutGoingBack() {
        // Frozen at 2 s for 2 s, then the clock resumes where it froze.
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        for (int i = 0; i <= 50; i++) {
            s.write(v, i * 40 * MS);
        }
        for (int i = 0; i < 50; i++) {
            s.write(v, 2_000 * MS);
        }
        for (int i = 1; i <= 50; i++) {
            s.write(v, 2_000 * MS + i * 40 * MS);
        }
        assertStrictlyRising(v.out, "video");
        assertEvenlySpaced(v.out.subList(52, v.out.size()), 40 * MS, 0, "from the third repeat on");
    }

    @Test
    void aClockThatKeptRunningBehindAStuckFieldIsFollowedWhenItComesBack() {
        // Zeros for 2 s, then the encoder's real clock, which ran on meanwhile: no step back, no rebase.
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        for (int i = 0; i < 50; i++) {
            s.write(v, 0);
        }
        for (int i = 50; i < 100; i++) {
            s.write(v, i * 40 * MS);
        }
        assertEvenlySpaced(v.out, 40 * MS, 0, "video");
        assertEquals(49, v.corrections.get(), "the repeats only");
    }

    @Test
    void an32BitWrapIsContinuedExactly() {
        long wrap = PublishOptions.RTMP_TIMESTAMP_WRAP;
        Stream s = new Stream(wrap);
        Track v = new Track(VIDEO_25);
        long start = (1L << 32) - 400;   // ms
        for (int i = 0; i < 30; i++) {
            long ms = (start + i * 40L) % (1L << 32);
            s.write(v, ms * MS);
        }
        for (int i = 0; i < 30; i++) {
            assertEquals((start + i * 40L) * MS, v.out.get(i), "frame " + i);
        }
        assertEquals(1, v.corrections.get(), "the wrap");
    }

    @Test
    void aReturningPublisherContinuesOneMillisecondAfterTheStreamsLastFrame() {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        Track a = new Track(AAC);
        for (int i = 0; i < 50; i++) {
            s.write(v, i * 40 * MS);
            s.write(a, i * 40 * MS + 10 * MS);
        }
        long last = s.maxDts;
        s.republish();
        for (int i = 0; i < 50; i++) {
            s.write(v, i * 40 * MS);
            s.write(a, i * 40 * MS + 10 * MS);
        }
        assertEquals(last + MS, v.out.get(50), "the first track continues just after the stream");
        assertEquals(last + MS + 10 * MS, a.out.get(50), "the second keeps its place against the first");
        assertEvenlySpaced(v.out.subList(50, 100), 40 * MS, 0, "video");
        assertStrictlyRising(a.out, "audio");
    }

    @ParameterizedTest(name = "jump {0} ms")
    @ValueSource(longs = {-1_000, -5_000, -9_000, -30_000, 3_600_000})
    void audioAndVideoStayTogetherAcrossARepair(long jumpMillis) {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        Track a = new Track(AAC);
        long jumpAt = 4_000 * MS;
        // Interleaved in time order, as a publisher sends them; both clocks jump at 4 s of media.
        int vi = 0;
        int ai = 0;
        while (vi < 200 || ai < 344) {
            long vt = 23 * MS + vi * 40 * MS;
            long at = Math.round(ai * AAC_FRAME_MICROS / 1_000) * MS;
            boolean videoNext = ai >= 344 || (vi < 200 && vt <= at);
            long media = videoNext ? vt : at;
            long in = media + (media >= jumpAt ? jumpMillis * MS : 0);
            if (videoNext) {
                s.write(v, in);
                vi++;
            } else {
                s.write(a, in);
                ai++;
            }
        }
        // RTMP's milliseconds: audio steps 23 or 24 ms; a repair lands on the exact interval.
        assertEvenlySpaced(v.out, 40 * MS, MS, "video");
        assertEvenlySpaced(a.out, 23 * MS, MS, "audio");
        // The same media instant maps to the same time on both tracks, before and after the jump.
        long videoOffset = v.last() - (v.in.get(v.in.size() - 1) - (jumpMillis * MS));
        long audioOffset = a.last() - (a.in.get(a.in.size() - 1) - (jumpMillis * MS));
        assertTrue(Math.abs(videoOffset - audioOffset) < 100 * MS,
                "A/V " + (videoOffset - audioOffset) / MS + " ms apart after the repair");
        assertEquals(0, videoOffset - audioOffset, "the second track took the first one's offset");
        assertEquals(1, v.corrections.get(), "video: the one frame that met the jump");
        assertEquals(1, a.corrections.get(), "audio: the one frame that met the jump");
    }

    @Test
    void aTrackWhoseOwnClockJumpsAloneRebasesAloneAndStaysWithTheOther() {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        Track a = new Track(AAC);
        for (int i = 0; i < 200; i++) {
            long t = i * 40 * MS;
            s.write(v, t - (i >= 100 ? 5_000 * MS : 0));   // only video's clock steps back
            s.write(a, t + 5 * MS);
        }
        assertEvenlySpaced(v.out, 40 * MS, 0, "video");
        assertEvenlySpaced(a.out, 40 * MS, 0, "audio");
        for (int i = 0; i < 200; i++) {
            assertTrue(Math.abs(v.out.get(i) - a.out.get(i)) < 100 * MS, "frame " + i);
        }
    }

    @Test
    void aTrackSilentLongerThanTheLimitCatchesUpWithTheOthers() {
        Stream s = new Stream();
        Track v = new Track(VIDEO_25);
        Track a = new Track(AAC);
        s.write(a, 0);
        for (int i = 0; i < 400; i++) {
            s.write(v, i * 40 * MS);   // 16 s of video; audio is silent (a muted source that sends nothing)
        }
        long back = 15_990 * MS;
        assertEquals(back, s.write(a, back), "audio resumes at its own time, beside the video");
        assertEquals(0, a.corrections.get());
    }

    private static void assertEvenlySpaced(List<Long> times, long interval, long tolerance, String what) {
        for (int i = 1; i < times.size(); i++) {
            long step = times.get(i) - times.get(i - 1);
            assertTrue(Math.abs(step - interval) <= tolerance, what + ": step " + i + " is " + step + " µs, not "
                    + interval + " ± " + tolerance + "; " + times.subList(Math.max(0, i - 3), Math.min(times.size(), i + 3)));
        }
    }

    private static void assertStrictlyRising(List<Long> times, String what) {
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i) > times.get(i - 1), what + ": frame " + i + " at " + times.get(i) + " after "
                    + times.get(i - 1));
        }
    }
}
