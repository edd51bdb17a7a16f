package io.streamkit.relay;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one puller or pusher: its state, since when, when it retries, how many bytes
 * it moved and the last error. Taken from any thread; the numbers are read without a lock, so
 * they may be a moment apart from each other.
 */
public final class RelayStatus {
    /** Longest error text kept: enough for a server's refusal, bounded against a peer's essay. */
    public static final int MAX_ERROR_CHARS = 200;

    private final RelayState state;
    private final Instant since;
    private final Instant retryAt;
    private final long bytes;
    private final int attempts;
    private final String lastError;

    private RelayStatus(RelayState state, Instant since, Instant retryAt, long bytes, int attempts, String lastError) {
        this.state = Objects.requireNonNull(state, "state");
        this.since = Objects.requireNonNull(since, "since");
        this.retryAt = retryAt;
        this.bytes = bytes;
        this.attempts = attempts;
        this.lastError = lastError == null ? null : cut(lastError);
    }

    /**
     * Creates a snapshot.
     *
     * @param state the state
     * @param since when the state began
     * @param retryAt when the next attempt starts, for {@link RelayState#RETRYING}; otherwise {@code null}
     * @param bytes media payload bytes moved so far, over every attempt
     * @param attempts connection attempts so far, the first included
     * @param lastError the last attempt's failure, or {@code null}; cut to {@value #MAX_ERROR_CHARS} characters
     * @return the snapshot
     */
    public static RelayStatus of(RelayState state, Instant since, Instant retryAt, long bytes, int attempts,
                                 String lastError) {
        if (bytes < 0 || attempts < 0) {
            throw new IllegalArgumentException("bytes and attempts must not be negative: " + bytes + ", " + attempts);
        }
        return new RelayStatus(state, since, retryAt, bytes, attempts, lastError);
    }

    /**
     * Returns the state.
     *
     * @return the state
     */
    public RelayState state() {
        return state;
    }

    /**
     * Returns when the state began.
     *
     * @return the instant
     */
    public Instant since() {
        return since;
    }

    /**
     * Returns when the next attempt starts.
     *
     * @return the instant while {@link RelayState#RETRYING}, otherwise empty
     */
    public Optional<Instant> retryAt() {
        return Optional.ofNullable(retryAt);
    }

    /**
     * Returns the media payload bytes moved so far, over every attempt.
     *
     * @return the bytes
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Returns the connection attempts so far, the first included.
     *
     * @return the count
     */
    public int attempts() {
        return attempts;
    }

    /**
     * Returns the last failure: a refusal, a timeout, a dropped connection.
     *
     * @return the text, at most {@value #MAX_ERROR_CHARS} characters, or empty
     */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    private static String cut(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ERROR_CHARS));
        for (int i = 0; i < text.length() && out.length() < MAX_ERROR_CHARS; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return state + " since " + since + (retryAt != null ? ", retry at " + retryAt : "") + ", " + bytes + " bytes, "
                + attempts + " attempts" + (lastError != null ? ", last error: " + lastError : "");
    }
}
