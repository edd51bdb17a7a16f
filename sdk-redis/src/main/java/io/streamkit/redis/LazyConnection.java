package io.streamkit.redis;

import io.lettuce.core.api.StatefulConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A Lettuce connection opened on first use, without blocking: callers compose on
 * {@link #connection()}. A connect that failed is tried again by the next caller; once
 * connected, Lettuce itself reconnects after a drop.
 *
 * <p>Thread-safe; {@link #connection()} never blocks.
 *
 * @param <C> the connection type
 */
final class LazyConnection<C extends StatefulConnection<?, ?>> {
    private final Supplier<CompletionStage<C>> connector;
    private CompletableFuture<C> current;   // guarded by this
    private boolean closed;                 // guarded by this

    /**
     * Creates a connection opened by {@code connector} on first use.
     *
     * @param connector starts a connect, asynchronously
     */
    LazyConnection(Supplier<CompletionStage<C>> connector) {
        this.connector = connector;
    }

    /**
     * Returns the connection, or the connect under way, starting one when there is none or the
     * last one failed.
     *
     * @return completes with the connection; fails when Redis cannot be reached or after close
     */
    synchronized CompletableFuture<C> connection() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("redis stream directory is closed"));
        }
        if (current == null || current.isCompletedExceptionally()) {
            CompletableFuture<C> next;
            try {
                next = connector.get().toCompletableFuture();
            } catch (RuntimeException e) {
                next = CompletableFuture.failedFuture(e);
            }
            current = next;
        }
        return current;
    }

    /**
     * Tells whether a connection is open or being opened (not failed, not closed).
     *
     * @return whether {@link #connection()} would start no new connect
     */
    synchronized boolean started() {
        return !closed && current != null && !current.isCompletedExceptionally();
    }

    /** Refuses further use; the client's shutdown closes the connection itself. */
    synchronized void close() {
        closed = true;
    }
}
