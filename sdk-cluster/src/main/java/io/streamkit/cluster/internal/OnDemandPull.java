package io.streamkit.cluster.internal;

import io.streamkit.relay.Relay;
import io.streamkit.relay.RelayState;
import io.streamkit.relay.RelayStatus;
import io.streamkit.stream.StreamKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One stream pulled on demand: the relay, the players counted from the engine's play and stop
 * events, and when the last one left. Touched only on the module's loop, except the relay.
 */
final class OnDemandPull {
    final StreamKey key;
    volatile RetryingRelay relay;
    volatile int players;
    volatile long lastDemandNanos;
    volatile long lastSegmentedDemandNanos;
    volatile long idleSinceNanos;

    OnDemandPull(StreamKey key, long now, boolean segmented) {
        this.key = key;
        this.idleSinceNanos = now;
        this.lastSegmentedDemandNanos = now - Long.MAX_VALUE / 2;
        demanded(now, segmented);
    }

    /** A player asked for the stream; {@code segmented} for a viewer that plays only once a segment is out (HLS). */
    void demanded(long now, boolean segmented) {
        lastDemandNanos = now;
        if (segmented) {
            lastSegmentedDemandNanos = now;
        }
    }

    /** Whether the pull should go on after its leg ended: players are on it or asked for it lately. */
    boolean wanted(long now, long demandWindowNanos) {
        return players > 0 || now - lastDemandNanos < demandWindowNanos;
    }

    /**
     * Whether it has had no player for the idle timeout while live. A waiting RTMP or FLV player
     * is a player from the moment the pull publishes; an HLS viewer only once the first segment
     * is out, so an HLS request holds the pull for the demand window (the play wait) too.
     */
    boolean idle(long now, long idleNanos, long demandWindowNanos) {
        return players == 0 && now - lastDemandNanos >= idleNanos && now - idleSinceNanos >= idleNanos
                && now - lastSegmentedDemandNanos >= demandWindowNanos
                && relay != null && relay.status().state() == RelayState.LIVE;
    }

    /**
     * A leg whose source is looked up when it starts (a directory, the application's function,
     * the next fixed origin): it resolves, then runs the scheme's puller for that source.
     */
    static final class Resolving implements Relay {
        private final CompletionStage<String> source;
        private final java.util.function.Function<String, Relay> pull;
        private final CompletableFuture<Void> started = new CompletableFuture<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile Relay inner;
        private volatile boolean closed;
        private volatile String error;
        private final java.time.Instant since = java.time.Instant.now();

        private final StreamKey key;

        Resolving(StreamKey key, CompletionStage<String> source, java.util.function.Function<String, Relay> pull) {
            this.key = key;
            this.source = source;
            this.pull = pull;
        }

        @Override
        public StreamKey localKey() {
            return key;
        }

        @Override
        public boolean isActive() {
            Relay l = inner;
            return l != null && l.isActive();
        }

        @Override
        public CompletionStage<Void> start() {
            source.whenComplete((url, failure) -> {
                if (closed) {
                    finish(null);
                    return;
                }
                if (failure != null || url == null) {
                    error = failure != null ? "source lookup failed: " + failure.getMessage() : "no source for the stream";
                    finish(new IllegalStateException(error));
                    return;
                }
                Relay l;
                try {
                    l = pull.apply(url);
                } catch (RuntimeException e) {
                    error = e.getMessage();
                    finish(e);
                    return;
                }
                inner = l;
                if (closed) {
                    l.close();
                }
                l.start().whenComplete((ok, e) -> {
                    if (e == null) {
                        started.complete(null);
                    } else {
                        started.completeExceptionally(e);
                    }
                });
                l.done().whenComplete((ok, e) -> finish(null));
            });
            return started;
        }

        private void finish(Throwable cause) {
            if (cause != null) {
                started.completeExceptionally(cause);
            }
            done.complete(null);
        }

        @Override
        public CompletionStage<Void> done() {
            return done;
        }

        @Override
        public RelayStatus status() {
            Relay l = inner;
            if (l != null) {
                return l.status();
            }
            return RelayStatus.of(done.isDone() ? RelayState.STOPPED : RelayState.CONNECTING, since, null, 0,
                    done.isDone() ? 1 : 0, error);
        }

        @Override
        public void close() {
            closed = true;
            Relay l = inner;
            if (l != null) {
                l.close();
            }
        }
    }
}
