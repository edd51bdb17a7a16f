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

    // counters: one writer (under the hub's lock), read anywhere
    private final Counter frames = new Counter();
    private final Counter keyframes = new Counter();
    private final Counter bytes = new Counter();
    private final Counter corrections = new Counter();
    private final TrackClock clock = new TrackClock(corrections);   // guarded by the hub
    private final Counter bitsPerSecond = new Counter();
    private long windowStart;
    private long windowBytes;

    EngineTrack(StreamKey stream, int id, long nowNanos) {
        this.stream = stream;
        this.id = id;
        this.windowStart = nowNanos;
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
        clock.format(newFormat);
    }

    void setFormat(TrackFormat newFormat) {
        this.format = newFormat;
        clock.format(newFormat);
    }

    /**
     * Maps a publisher's dts to the stream's timeline; see {@link TrackClock}.
     *
     * @param in the publisher's dts in microseconds
     * @param owner the writing session
     * @param maxJump the largest forward step believed, in microseconds
     * @param streamMaxDts the stream's latest dts on any track, or {@link Long#MIN_VALUE}
     * @param nowNanos the engine's clock
     * @return the dts players see
     */
    long normalize(long in, PublisherSession owner, long maxJump, long streamMaxDts, long nowNanos) {
        return clock.map(in, owner.clock(), maxJump, streamMaxDts, nowNanos);
    }

    /** Counts a written frame; {@code nowNanos} is the engine's clock, read once per write. */
    void count(MediaFrame frame, long nowNanos) {
        int size = frame.content().readableBytes();
        frames.increment();
        if (frame.keyframe()) {
            keyframes.increment();
        }
        bytes.add(size);
        windowBytes += size;
        long now = nowNanos;
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
