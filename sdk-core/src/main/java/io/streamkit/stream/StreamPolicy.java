package io.streamkit.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * How the engine treats one stream: conflicts between publishers, publishers that drop,
 * players that come early, and what each track keeps for new players.
 *
 * <p>Set one for the whole engine with {@code MediaServer.Builder.policy(StreamPolicy)}
 * or choose per stream with {@code policy(Function<StreamKey, StreamPolicy>)}.
 * Each {@code with*} method returns a copy and checks its argument at once.
 *
 * <p>A final class rather than a record, so that settings can be added without breaking
 * callers; made from {@link #defaults()} and its {@code with*} copies.
 */
public final class StreamPolicy {
    private final Conflict onConflict;
    private final Duration reconnectGrace;
    private final Duration playWait;
    private final long gopCacheMaxBytes;
    private final Duration audioWindow;
    private final Duration maxTimestampJump;

    /** Grace for a dropped publisher: covers an encoder's reconnect with a retry delay or two (OBS waits 2 s, then backs off). */
    public static final Duration DEFAULT_RECONNECT_GRACE = Duration.ofSeconds(10);
    /** Wait for an unpublished stream: a player that starts a moment before its encoder still plays. */
    public static final Duration DEFAULT_PLAY_WAIT = Duration.ofSeconds(10);
    /** GOP cache bound: a 10 s GOP at about 13 Mbps, far above a live stream's usual 2 s at 1 to 6 Mbps. */
    public static final long DEFAULT_GOP_CACHE_MAX_BYTES = 16L << 20;
    /** Audio kept for an audio-only stream: enough for a player to fill its first buffer at once. */
    public static final Duration DEFAULT_AUDIO_WINDOW = Duration.ofSeconds(1);
    /** Largest believable dts step: an interleaving skew of a second or two passes, a clock reset does not. */
    public static final Duration DEFAULT_MAX_TIMESTAMP_JUMP = Duration.ofSeconds(10);

    /** What a second publisher on a live stream gets. */
    public enum Conflict {
        /** The newcomer is refused ({@link StreamException.Reason#ALREADY_PUBLISHING}); the default. */
        REJECT,
        /** The newcomer takes the stream over; the old publisher ends with {@link EndReason#TAKEN_OVER}. */
        TAKE_OVER
    }

    /**
     * Checks every component.
     *
     * @param onConflict what a second publisher gets
     * @param reconnectGrace wait for a dropped publisher
     * @param playWait wait for an unpublished stream
     * @param gopCacheMaxBytes GOP cache bound in bytes
     * @param audioWindow audio kept for an audio-only stream
     * @param maxTimestampJump largest dts step passed as it is
     * @throws IllegalArgumentException when a duration is negative or a size is not positive
     */
    private StreamPolicy(Conflict onConflict, Duration reconnectGrace, Duration playWait, long gopCacheMaxBytes,
                         Duration audioWindow, Duration maxTimestampJump) {
        Objects.requireNonNull(onConflict, "onConflict");
        requireNonNegative("reconnectGrace", reconnectGrace);
        requireNonNegative("playWait", playWait);
        requireNonNegative("audioWindow", audioWindow);
        requireNonNegative("maxTimestampJump", maxTimestampJump);
        if (gopCacheMaxBytes < 0) {
            throw new IllegalArgumentException("gopCacheMaxBytes " + gopCacheMaxBytes + " is negative");
        }
        if (maxTimestampJump.isZero()) {
            throw new IllegalArgumentException("maxTimestampJump must be above zero");
        }
        this.onConflict = onConflict;
        this.reconnectGrace = reconnectGrace;
        this.playWait = playWait;
        this.gopCacheMaxBytes = gopCacheMaxBytes;
        this.audioWindow = audioWindow;
        this.maxTimestampJump = maxTimestampJump;
    }

    /**
     * Returns what a second publisher on a live stream gets.
     *
     * @return what a second publisher on a live stream gets
     */
    public Conflict onConflict() {
        return onConflict;
    }

    /**
     * Returns how long subscribers wait for a publisher that dropped to return.
     *
     * @return how long subscribers wait for a publisher that dropped to return
     */
    public Duration reconnectGrace() {
        return reconnectGrace;
    }

    /**
     * Returns how long a player waits for a stream that is not published yet before it is told the stream does not exist.
     *
     * @return how long a player waits for a stream that is not published yet before it is told the stream does not exist
     */
    public Duration playWait() {
        return playWait;
    }

    /**
     * Returns the most payload bytes the GOP cache holds; a longer GOP is not cached, and new players wait for the next keyframe instead.
     *
     * @return the most payload bytes the GOP cache holds; a longer GOP is not cached, and new players wait for the next keyframe instead
     */
    public long gopCacheMaxBytes() {
        return gopCacheMaxBytes;
    }

    /**
     * Returns how much audio an audio-only stream keeps for new players.
     *
     * @return how much audio an audio-only stream keeps for new players
     */
    public Duration audioWindow() {
        return audioWindow;
    }

    /**
     * Returns a forward dts step larger than this is treated as a publisher's clock jump and smoothed over rather than passed to players (a smaller one is a real gap); a step back beyond B-frame reordering (a few frame intervals, at most half a second) is a jump whatever this says .
     *
     * @return a forward dts step larger than this is treated as a publisher's clock jump and smoothed over rather than passed to players (a smaller one is a real gap); a step back beyond B-frame reordering (a few frame intervals, at most half a second) is a jump whatever this says 
     */
    public Duration maxTimestampJump() {
        return maxTimestampJump;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamPolicy o && Objects.equals(onConflict, o.onConflict)
                && Objects.equals(reconnectGrace, o.reconnectGrace) && Objects.equals(playWait, o.playWait)
                && gopCacheMaxBytes == o.gopCacheMaxBytes && Objects.equals(audioWindow, o.audioWindow)
                && Objects.equals(maxTimestampJump, o.maxTimestampJump);
    }

    @Override
    public int hashCode() {
        return Objects.hash(onConflict, reconnectGrace, playWait, gopCacheMaxBytes, audioWindow, maxTimestampJump);
    }

    @Override
    public String toString() {
        return "StreamPolicy[" + "onConflict=" + onConflict + ", " + "reconnectGrace=" + reconnectGrace
                + ", " + "playWait=" + playWait + ", " + "gopCacheMaxBytes=" + gopCacheMaxBytes
                + ", " + "audioWindow=" + audioWindow + ", " + "maxTimestampJump=" + maxTimestampJump + "]";
    }

    /**
     * Returns the defaults: reject a second publisher, the {@code DEFAULT_*} durations and sizes.
     *
     * @return the default policy
     */
    public static StreamPolicy defaults() {
        return new StreamPolicy(Conflict.REJECT, DEFAULT_RECONNECT_GRACE, DEFAULT_PLAY_WAIT,
                DEFAULT_GOP_CACHE_MAX_BYTES, DEFAULT_AUDIO_WINDOW, DEFAULT_MAX_TIMESTAMP_JUMP);
    }

    /**
     * Returns a copy with another conflict rule.
     *
     * @param conflict what a second publisher gets
     * @return the copy
     */
    public StreamPolicy withOnConflict(Conflict conflict) {
        return new StreamPolicy(conflict, reconnectGrace, playWait, gopCacheMaxBytes, audioWindow, maxTimestampJump);
    }

    /**
     * Returns a copy with another reconnect grace; zero ends subscribers as soon as the publisher leaves.
     *
     * @param grace how long subscribers wait for a dropped publisher
     * @return the copy
     */
    public StreamPolicy withReconnectGrace(Duration grace) {
        return new StreamPolicy(onConflict, grace, playWait, gopCacheMaxBytes, audioWindow, maxTimestampJump);
    }

    /**
     * Returns a copy with another play wait; zero refuses a player of an unpublished stream at once.
     *
     * @param wait how long a player waits for its stream to appear
     * @return the copy
     */
    public StreamPolicy withPlayWait(Duration wait) {
        return new StreamPolicy(onConflict, reconnectGrace, wait, gopCacheMaxBytes, audioWindow, maxTimestampJump);
    }

    /**
     * Returns a copy with another GOP cache bound; zero turns the cache off.
     *
     * @param maxBytes payload bytes
     * @return the copy
     */
    public StreamPolicy withGopCacheMaxBytes(long maxBytes) {
        return new StreamPolicy(onConflict, reconnectGrace, playWait, maxBytes, audioWindow, maxTimestampJump);
    }

    /**
     * Returns a copy with another audio window.
     *
     * @param window audio kept for new players of an audio-only stream
     * @return the copy
     */
    public StreamPolicy withAudioWindow(Duration window) {
        return new StreamPolicy(onConflict, reconnectGrace, playWait, gopCacheMaxBytes, window, maxTimestampJump);
    }

    /**
     * Returns a copy with another jump limit.
     *
     * @param jump the largest dts step passed through as it is
     * @return the copy
     */
    public StreamPolicy withMaxTimestampJump(Duration jump) {
        return new StreamPolicy(onConflict, reconnectGrace, playWait, gopCacheMaxBytes, audioWindow, jump);
    }

    private static void requireNonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " " + d + " is negative");
        }
    }
}
