package io.streamkit.internal.engine;

import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.VideoParameters;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.TrackFormat;

/**
 * One track's timestamp repair: maps a publisher's dts to the stream's timeline, so that
 * players see time that rises evenly whatever the publisher's clock does. Guarded by the
 * hub; allocates nothing per frame.
 *
 * <p>The output advances by the publisher's own step while that step is believable, and by
 * the track's frame interval where it is not ("relative" correction). Each frame is one of:
 *
 * <table>
 *   <caption>What a frame's step does</caption>
 *   <tr><th>step (output minus last output)</th><th>taken as</th><th>the frame gets</th></tr>
 *   <tr><td>above 0, up to {@code maxJump}</td><td>the publisher's pace, a gap included</td><td>its own time</td></tr>
 *   <tr><td>0 or back by up to {@value #REORDER_FRAMES} frame intervals (bounded to
 *       [{@value #MIN_REORDER_MICROS}, {@value #MAX_REORDER_MICROS}] µs), for at most
 *       {@value #REORDER_FRAMES} frames in a row</td>
 *       <td>jitter, such as B-frames sent with their pts as dts</td>
 *       <td>the last time plus {@value #MIN_STEP_MICROS} µs; the timeline keeps its place</td></tr>
 *   <tr><td>further back, longer back, or forward beyond {@code maxJump}</td><td>a clock jump</td>
 *       <td>the session's offset when another track already repaired the same jump
 *       (its result lands within {@value #ADOPT_WINDOW_MICROS} µs after this track's last
 *       frame), else the last time plus one frame interval: a rebase</td></tr>
 *   <tr><td>forward beyond {@code maxJump}, to no later than the stream's latest frame plus
 *       {@value #ADOPT_WINDOW_MICROS} µs</td><td>a track that was silent catching up with the others</td>
 *       <td>its own time</td></tr>
 *   <tr><td>the publisher's timestamp repeats</td><td>a stuck clock (zero or constant timestamps)</td>
 *       <td>the first {@value #REPEATS_TOLERATED} repeats after the clock moved get the last time
 *       plus {@value #MIN_STEP_MICROS} µs (an isolated repeat must not shift the track against
 *       the others); from then on, and at once when the clock has not moved in this session,
 *       the last time plus one frame interval, never more than {@value #MAX_ARRIVAL_LAG_MICROS}
 *       µs behind the frames' arrival</td></tr>
 * </table>
 *
 * <p>The frame interval is the format's when it has one (the SPS frame rate; AAC's 1024
 * samples per frame, 2048 with SBR, at the sample rate) and the observed one agrees within a
 * quarter; else the observed one (smoothed over normal steps); else, during a stuck run, the
 * average interval of arrival; else {@value #DEFAULT_VIDEO_INTERVAL_MICROS} µs for video and
 * {@value #DEFAULT_AUDIO_INTERVAL_MICROS} µs for audio. A publisher with a wrap period has its
 * wraps continued exactly, before any of the above. Every frame whose time is not the
 * publisher's time plus the track's offset counts once in the corrections counter.
 */
final class TrackClock {
    /** A returning publisher continues this long after the stream's last frame: one FLV tick. */
    static final long CONTINUE_MICROS = 1_000;
    /** The least step of a nudged frame: RTMP and FLV carry milliseconds, so players see it rise. */
    static final long MIN_STEP_MICROS = 1_000;
    /** B-frame reordering reaches back a few frames: x264's b-pyramid with 3 B-frames, 4. */
    static final int REORDER_FRAMES = 4;
    /** The reorder bound at high frame rates: SRS treats a step back within 250 ms as jitter, this is below it. */
    static final long MIN_REORDER_MICROS = 100_000;
    /** The reorder bound at low frame rates: a step back of a second or more is a clock jump, never jitter. */
    static final long MAX_REORDER_MICROS = 500_000;
    /** How far a track may land after its last frame when it takes over another track's repair: A/V interleaving skew. */
    static final long ADOPT_WINDOW_MICROS = 1_000_000;
    /** Repeated timestamps tolerated as isolated (an SEI or a slice sent apart) before the clock counts as stuck. */
    static final int REPEATS_TOLERATED = 2;
    /** A stuck run timed by frame intervals stays no further than this behind the frames' arrival. */
    static final long MAX_ARRIVAL_LAG_MICROS = 1_000_000;
    /** A step above this is a gap, not a frame interval: no codec here has frames a second long. */
    static final long MAX_INTERVAL_MICROS = 1_000_000;
    /** Arrival is averaged only over at least this span: below it, socket batching dominates. */
    static final long MIN_ARRIVAL_SPAN_MICROS = 200_000;
    /** Video interval when nothing tells it: 25 fps, the common broadcast rate. */
    static final long DEFAULT_VIDEO_INTERVAL_MICROS = 40_000;
    /** Audio interval when nothing tells it: 20 ms, Opus's usual and close to AAC's 21 to 23 ms. */
    static final long DEFAULT_AUDIO_INTERVAL_MICROS = 20_000;
    /** Frame rates believed from a parameter set; outside, the set is taken as not telling. */
    private static final double MIN_FRAME_RATE = 1;
    private static final double MAX_FRAME_RATE = 1_000;
    /** The observed interval moves an eighth of the way to each new step. */
    private static final int OBSERVED_SHIFT = 3;

    private final Counter corrections;
    private boolean video = true;
    /** Nanoseconds per frame from the format, 0 when it does not tell. */
    private long nominalNanos;

    private int generation = -1;
    private long offset;
    private long lastIn;
    private long lastOut = Long.MIN_VALUE;
    /** Whether the publisher's clock moved on this track in this session. */
    private boolean advanced;
    /** Whether the last frame kept the publisher's step, so the next step is a true interval. */
    private boolean lastNormal;
    /** Smoothed nanoseconds between normal frames, 0 before the first. */
    private long observedNanos;
    /** Consecutive frames whose timestamp repeated the one before. */
    private int repeats;
    /** Consecutive frames nudged as jitter. */
    private int nudges;
    /** Frames of the current stuck run timed here; 0 outside a run. */
    private int runFrames;
    private long runStartNanos;
    private long runStartOut;
    /** Sub-microsecond remainder of the intervals added in a run. */
    private long carryNanos;

    /**
     * Creates a clock that counts its repairs.
     *
     * @param corrections incremented once per corrected frame, under the hub's lock
     */
    TrackClock(Counter corrections) {
        this.corrections = corrections;
    }

    /** Takes the frame interval a format tells, if any; called when the track's format is set. */
    void format(TrackFormat format) {
        video = format.type() == MediaType.VIDEO;
        nominalNanos = nominalNanos(format);
    }

    /** The last time given out, or {@link Long#MIN_VALUE} before the first frame. */
    long lastOut() {
        return lastOut;
    }

    /**
     * Maps one frame's dts.
     *
     * @param in the publisher's dts in microseconds
     * @param session the writing session's clock; its first frame on any track fixes its base:
     *     zero for the stream's first publisher, else just after the stream's last frame
     * @param maxJump the largest forward step believed, in microseconds
     * @param streamMaxDts the latest dts the stream gave out on any track, or {@link Long#MIN_VALUE}
     * @param nowNanos the engine's clock, for frames timed by their arrival
     * @return the dts on the stream's timeline, above the last one
     */
    long map(long in, SessionClock session, long maxJump, long streamMaxDts, long nowNanos) {
        boolean corrected = false;
        boolean first = generation != session.generation();
        if (first) {
            generation = session.generation();
            if (!session.baseSet) {
                session.baseSet = true;
                session.offset = streamMaxDts == Long.MIN_VALUE ? 0 : streamMaxDts + CONTINUE_MICROS - in;
            }
            offset = session.offset;
            advanced = false;
            lastNormal = false;
            repeats = 0;
            nudges = 0;
            runFrames = 0;
        } else if (session.wrap() > 0) {
            long wrap = session.wrap();
            long step = in - lastIn;
            if (step < -wrap / 2) {
                offset += wrap;
                corrected = true;
            } else if (step > wrap / 2) {
                offset -= wrap;
                corrected = true;
            }
        }
        boolean repeated = !first && in == lastIn;
        lastIn = in;
        long out;
        if (lastOut == Long.MIN_VALUE) {
            out = in + offset;
            lastNormal = true;
        } else if (repeated) {
            out = repeat(nowNanos);
            corrected = true;
        } else {
            boolean resuming = runFrames > 0;
            repeats = 0;
            runFrames = 0;
            if (!first) {
                advanced = true;
            }
            out = in + offset;
            long d = out - lastOut;
            if (d > 0 && d <= maxJump) {
                if (lastNormal && d <= MAX_INTERVAL_MICROS) {
                    observe(d);
                }
                lastNormal = true;
                nudges = 0;
            } else if (d <= 0 && !resuming && ++nudges <= REORDER_FRAMES && -d <= reorderLimit(nowNanos)) {
                out = lastOut + MIN_STEP_MICROS;
                corrected = true;
                lastNormal = false;
            } else if (d > maxJump && out <= streamMaxDts + ADOPT_WINDOW_MICROS) {
                lastNormal = false;   // a silent track catching up: its gap is real
            } else {
                out = rebase(in, session, nowNanos);
                corrected = true;
                lastNormal = false;
                nudges = 0;
            }
        }
        if (corrected) {
            corrections.increment();
        }
        lastOut = out;
        return out;
    }

    /** A frame whose timestamp repeats the last one: nudged, or timed by interval and arrival. */
    private long repeat(long nowNanos) {
        repeats++;
        lastNormal = false;
        if (advanced && repeats <= REPEATS_TOLERATED) {
            return lastOut + MIN_STEP_MICROS;
        }
        if (runFrames == 0) {
            carryNanos = 0;
        }
        long step = intervalNanos(nowNanos) + carryNanos;
        carryNanos = step % 1_000;
        long out = lastOut + Math.max(step / 1_000, MIN_STEP_MICROS);
        if (runFrames == 0) {
            runStartNanos = nowNanos;
            runStartOut = out;
        } else {
            long byArrival = runStartOut + (nowNanos - runStartNanos) / 1_000 - MAX_ARRIVAL_LAG_MICROS;
            if (out < byArrival) {
                out = byArrival;
                carryNanos = 0;
            }
        }
        runFrames++;
        return out;
    }

    /** A clock jump: take over the session's repair if it fits this track, else continue one interval on. */
    private long rebase(long in, SessionClock session, long nowNanos) {
        if (session.offset != offset) {
            long candidate = in + session.offset;
            if (candidate > lastOut && candidate - lastOut <= ADOPT_WINDOW_MICROS) {
                offset = session.offset;
                return candidate;
            }
        }
        long out = lastOut + Math.max(intervalNanos(nowNanos) / 1_000, MIN_STEP_MICROS);
        offset = out - in;
        session.offset = offset;
        return out;
    }

    private void observe(long stepMicros) {
        long nanos = stepMicros * 1_000;
        observedNanos = observedNanos == 0 ? nanos : observedNanos + ((nanos - observedNanos) >> OBSERVED_SHIFT);
    }

    private long reorderLimit(long nowNanos) {
        long limit = REORDER_FRAMES * intervalNanos(nowNanos) / 1_000;
        return Math.min(Math.max(limit, MIN_REORDER_MICROS), MAX_REORDER_MICROS);
    }

    /** The track's frame interval in nanoseconds; see the class comment for the order of sources. */
    private long intervalNanos(long nowNanos) {
        if (nominalNanos > 0 && (observedNanos == 0 || Math.abs(observedNanos - nominalNanos) <= nominalNanos / 4)) {
            return nominalNanos;
        }
        if (observedNanos > 0) {
            return observedNanos;
        }
        if (runFrames > 0) {
            long span = nowNanos - runStartNanos;
            if (span >= MIN_ARRIVAL_SPAN_MICROS * 1_000) {
                return Math.min(Math.max(span / runFrames, MIN_STEP_MICROS * 1_000), MAX_INTERVAL_MICROS * 1_000);
            }
        }
        return (video ? DEFAULT_VIDEO_INTERVAL_MICROS : DEFAULT_AUDIO_INTERVAL_MICROS) * 1_000;
    }

    /**
     * The frame interval a format tells: a video parameter set's frame rate, or AAC's samples
     * per frame at its sample rate (ISO/IEC 14496-3: 1024 per raw data block; with SBR the
     * output rate is doubled and a frame gives 2048 samples). Low-delay AAC, USAC, MP3 and Opus
     * vary or need the frame itself: left to observation.
     */
    static long nominalNanos(TrackFormat format) {
        if (format.type() == MediaType.VIDEO) {
            VideoParameters v = format.video().orElse(null);
            if (v != null && v.frameRate() >= MIN_FRAME_RATE && v.frameRate() <= MAX_FRAME_RATE) {
                return Math.round(1e9 / v.frameRate());
            }
            return 0;
        }
        AudioParameters a = format.audio().orElse(null);
        if (format.codec() != Codec.AAC || a == null || a.sampleRate() <= 0) {
            return 0;
        }
        int samples = switch (a.profile()) {
            case "AAC Main", "AAC LC", "AAC SSR", "AAC LTP" -> 1024;
            case "HE-AAC", "HE-AACv2" -> 2048;
            default -> 0;
        };
        if (samples == 0) {
            return 0;
        }
        return (samples * 1_000_000_000L + a.sampleRate() / 2) / a.sampleRate();
    }
}
