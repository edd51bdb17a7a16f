package io.streamkit.server.internal;

import io.streamkit.relay.RelayState;
import io.streamkit.relay.RelayStatus;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lifecycle every relay client (a scheme's {@code Puller} or {@code Pusher}) keeps the same
 * way: started once, its {@link RelayState} and since when, the first attempt's outcome for
 * {@code start()}, the last error, and the end for {@code done()}. {@code STOPPED} is final,
 * whatever races after it (a {@code start()} against a {@code close()}).
 *
 * <p>Safe from any thread: the outcome stages complete once, the rest is volatile.
 */
public final class RelayProgress {
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicBoolean begun = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile RelayState state = RelayState.IDLE;
    private volatile Instant since = Instant.now();
    private volatile Instant retryAt;
    private volatile String lastError;

    /**
     * Marks the first {@code start()}: {@link RelayState#CONNECTING}.
     *
     * @return {@code true} the first time only, when the caller must begin connecting
     */
    public boolean begin() {
        if (!begun.compareAndSet(false, true)) {
            return false;
        }
        state(RelayState.CONNECTING, null);
        return true;
    }

    /**
     * Tells whether {@code start()} was called.
     *
     * @return whether {@link #begin()} ran
     */
    public boolean begun() {
        return begun.get();
    }

    /**
     * Media flows: {@link RelayState#LIVE}, and {@code start()} completes if it had not.
     */
    public void live() {
        state(RelayState.LIVE, null);
        started.complete(null);
    }

    /**
     * Moves to a state other than {@code LIVE} and {@code STOPPED} (which {@link #live()} and
     * {@link #finish} make): connecting again, or retrying at a time.
     *
     * @param next the state
     * @param at when the next attempt starts, for {@link RelayState#RETRYING}; otherwise {@code null}
     */
    public synchronized void state(RelayState next, Instant at) {
        if (state == RelayState.STOPPED) {
            return;
        }
        retryAt = at;
        state = next;
        since = Instant.now();
    }

    /**
     * Records an attempt's failure as the last error.
     *
     * @param cause what failed
     */
    public void error(Throwable cause) {
        lastError = cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    /**
     * Fails {@code start()} with the first attempt's cause, if it is still pending.
     *
     * @param cause the cause
     * @return whether this failed it (the first attempt had not succeeded or failed yet)
     */
    public boolean failStart(Throwable cause) {
        return started.completeExceptionally(cause);
    }

    /**
     * Tells whether the first attempt succeeded: media flowed once.
     *
     * @return whether {@code start()} completed normally
     */
    public boolean wentLive() {
        return started.isDone() && !started.isCompletedExceptionally();
    }

    /**
     * Stops for good, once: fails a pending {@code start()}, records the cause as the last error
     * unless the relay was closed, moves to {@link RelayState#STOPPED}, runs {@code onDone}, then
     * completes {@code done()}.
     *
     * @param cause why it stopped, or {@code null} for a clean end
     * @param closed whether it was closed on purpose, which is no error
     * @param onDone run once, before {@code done()} completes
     * @return whether this call stopped it (later calls do nothing)
     */
    public boolean finish(Throwable cause, boolean closed, Runnable onDone) {
        if (cause != null) {
            started.completeExceptionally(cause);
        }
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        if (!closed && cause != null) {
            error(cause);
        }
        synchronized (this) {
            state = RelayState.STOPPED;
            retryAt = null;
            since = Instant.now();
        }
        onDone.run();
        ended.complete(null);
        return true;
    }

    /**
     * Returns {@code start()}'s stage: a copy, so a caller cannot complete it.
     *
     * @return completes when media first flows, or fails with the first attempt's cause
     */
    public CompletionStage<Void> started() {
        return started.copy();
    }

    /**
     * Returns {@code done()}'s stage: a copy.
     *
     * @return completes once stopped for good; never fails
     */
    public CompletionStage<Void> done() {
        return ended.copy();
    }

    /**
     * Returns the relay's status with the numbers only its owner knows.
     *
     * @param bytes media payload bytes moved
     * @param attempts connection attempts made
     * @return the snapshot
     */
    public RelayStatus status(long bytes, int attempts) {
        return RelayStatus.of(state, since, retryAt, bytes, attempts, lastError);
    }
}
