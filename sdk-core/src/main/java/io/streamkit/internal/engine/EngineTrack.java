package io.streamkit.internal.engine;

import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.stream.TrackStats;

/**
 * A track with its timestamp state and counters. Mutated under its hub's lock; the
 * accessors are safe anywhere.
 */
final class EngineTrack implements Track {
    /** Bitrate window: one second, the unit players and dashboards show. */
    private static final long RATE_WINDOW_NANOS = 1_000_000_000L;

    private final StreamKey stream;
    private final int id;
    private volatile TrackFormat format;
    private PublisherSession session;

    // timestamp state, guarded by the hub
    private int sessionGeneration = -1;
    private long offset;
    private long lastIn;
    private long lastOut = Long.MIN_VALUE;
    private long lastDelta;

    // counters: one writer (under the hub's lock), read anywhere
    private final Counter frames = new Counter();
    private final Counter keyframes = new Counter();
    private final Counter bytes = new Counter();
    private final Counter corrections = new Counter();
    private final Counter bitsPerSecond = new Counter();
    private long windowStart = System.nanoTime();
    private long windowBytes;

    EngineTrack(StreamKey stream, int id) {
        this.stream = stream;
        this.id = id;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public StreamKey stream() {
        return stream;
    }

    @Override
    public TrackFormat format() {
        return format;
    }

    @Override
    public TrackStats stats() {
        return new TrackStats(frames.get(), keyframes.get(), bytes.get(), bitsPerSecond.get(), corrections.get());
    }

    PublisherSession session() {
        return session;
    }

    void claim(PublisherSession owner, TrackFormat newFormat) {
        this.session = owner;
        this.format = newFormat;
    }

    void setFormat(TrackFormat newFormat) {
        this.format = newFormat;
    }

    /**
     * Maps a publisher's dts to the stream's monotonic timeline.
     *
     * <ul>
     *   <li>A session's first frame on any track fixes the session's shift: zero for the
     *       stream's first publisher, else the stream's last dts plus one millisecond, so a
     *       returning publisher continues where the last one stopped.</li>
     *   <li>With a wrap period, a step back by more than half of it is a wrap: the period is
     *       added, exactly.</li>
     *   <li>A step larger than {@code maxJump} either way is a clock jump: the track continues
     *       one usual frame interval after its last frame.</li>
     *   <li>A small step back is clamped to the last dts.</li>
     * </ul>
     */
    long normalize(long in, PublisherSession owner, long maxJump, long streamMaxDts) {
        if (sessionGeneration != owner.generation()) {
            sessionGeneration = owner.generation();
            if (!owner.baseSet) {
                owner.baseSet = true;
                owner.baseOffset = streamMaxDts == Long.MIN_VALUE ? 0 : streamMaxDts + 1_000 - in;
            }
            offset = owner.baseOffset;
            lastIn = in;
        }
        long wrap = owner.timestampWrap();
        if (wrap > 0) {
            long step = in - lastIn;
            if (step < -wrap / 2) {
                offset += wrap;
                corrections.increment();
            } else if (step > wrap / 2) {
                offset -= wrap;
                corrections.increment();
            }
        }
        lastIn = in;
        long out = in + offset;
        if (lastOut != Long.MIN_VALUE) {
            long delta = out - lastOut;
            if (delta > maxJump || delta < -maxJump) {
                long target = lastOut + lastDelta;
                offset += target - out;
                out = target;
                corrections.increment();
            } else if (delta < 0) {
                out = lastOut;
                corrections.increment();
            } else if (delta > 0) {
                lastDelta = delta;
            }
        }
        lastOut = out;
        return out;
    }

    void count(MediaFrame frame) {
        int size = frame.content().readableBytes();
        frames.increment();
        if (frame.keyframe()) {
            keyframes.increment();
        }
        bytes.add(size);
        windowBytes += size;
        long now = System.nanoTime();
        long elapsed = now - windowStart;
        if (elapsed >= RATE_WINDOW_NANOS) {
            bitsPerSecond.set(windowBytes * 8L * 1_000_000_000L / elapsed);
            windowBytes = 0;
            windowStart = now;
        }
    }

    @Override
    public String toString() {
        return "Track(" + stream + "#" + id + " " + format + ")";
    }
}
