package io.streamkit.cluster.internal;

import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.cluster.RelayInfo;
import io.streamkit.cluster.RelayKind;
import io.streamkit.relay.Relay;
import io.streamkit.relay.RelayState;
import io.streamkit.relay.RelayStatus;
import io.streamkit.stream.StreamKey;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay of the module: a scheme's puller or pusher (a {@link Relay}, here a "leg") and the legs after it. When a
 * leg stops for good (its first attempt failed, the remote stream ended, the connection
 * dropped and the leg does not reconnect by itself) the next leg starts after a delay that
 * doubles from the minimum to the maximum, drawn from its upper half, and resets once a leg
 * went live; it stops when {@code keepGoing} says so or when closed. Bytes and attempts add up
 * over the legs. State is guarded by the instance's lock; the timer runs on the module's loop.
 */
final class RetryingRelay {
    private static final Logger log = LoggerFactory.getLogger(RetryingRelay.class);

    /** Makes the next leg, a scheme's puller or pusher; may throw when its URL cannot be used, which stops the relay. */
    interface Legs {
        Relay next(int attempt);
    }

    private final String id;
    private final RelayKind kind;
    private final StreamKey stream;
    private final String rule;
    private final Legs legs;
    private final EventLoop timer;
    private final long minMillis;
    private final long maxMillis;
    private final BooleanSupplier keepGoing;
    private final Runnable onStopped;
    private final RelayMetrics metrics;
    /** A relay that keeps failing logs its first failure and then every this many. */
    static final int FAILURES_PER_LOG_LINE = 20;
    private volatile int failuresInARow;

    private volatile String url;
    private Relay leg;
    private boolean closed;
    private boolean stopped;
    private int legsMade;
    private long delayMillis;
    private long bytesBefore;
    private int attemptsBefore;
    private RelayState state = RelayState.IDLE;
    private Instant since = Instant.now();
    private Instant retryAt;
    private String lastError;
    private ScheduledFuture<?> retry;

    RetryingRelay(String id, RelayKind kind, StreamKey stream, String url, String rule, Legs legs, EventLoop timer,
                  Duration min, Duration max, BooleanSupplier keepGoing, Runnable onStopped, RelayMetrics metrics) {
        this.id = id;
        this.kind = kind;
        this.stream = stream;
        this.url = displayed(url);
        this.rule = rule;
        this.legs = legs;
        this.timer = timer;
        this.minMillis = min.toMillis();
        this.maxMillis = Math.max(min.toMillis(), max.toMillis());
        this.delayMillis = minMillis;
        this.keepGoing = keepGoing;
        this.onStopped = onStopped;
        this.metrics = metrics;
    }

    String id() {
        return id;
    }

    RelayKind kind() {
        return kind;
    }

    StreamKey stream() {
        return stream;
    }

    /** Shows the source a leg resolved to, for pulls whose source is looked up per attempt. */
    void url(String resolved) {
        this.url = displayed(resolved);
    }

    /** Starts the first leg now; a URL the scheme refuses stops the relay and is rethrown. */
    void start() {
        Relay first;
        synchronized (this) {
            first = makeLeg();
        }
        if (first == null) {
            throw new IllegalArgumentException(lastError);
        }
        launch(first);
    }

    /** Makes the next leg under the lock; on a refused URL stops and answers null. */
    private Relay makeLeg() {
        if (closed) {
            return null;
        }
        try {
            leg = legs.next(++legsMade);
        } catch (RuntimeException e) {
            lastError = String.valueOf(e.getMessage());
            stopLocked();
            return null;
        }
        state = RelayState.CONNECTING;
        since = Instant.now();
        retryAt = null;
        return leg;
    }

    private void launch(Relay l) {
        l.start().whenComplete((ok, error) -> {
            if (error == null) {
                synchronized (this) {
                    if (l == leg) {
                        delayMillis = minMillis;
                        failuresInARow = 0;
                    }
                }
            }
        });
        l.done().whenComplete((ok, error) -> legEnded(l));
    }

    private void legEnded(Relay l) {
        boolean again;
        long delay;
        synchronized (this) {
            if (l != leg) {
                return;
            }
            RelayStatus s = l.status();
            bytesBefore += s.bytes();
            attemptsBefore += s.attempts();
            lastError = s.lastError().orElse(lastError);
            leg = null;
            if (closed) {
                return;
            }
            again = keepGoing.getAsBoolean();
            if (!again) {
                stopLocked();
                delay = 0;
            } else {
                delay = jittered(delayMillis);
                delayMillis = Math.min(maxMillis, delayMillis * 2);
                state = RelayState.RETRYING;
                since = Instant.now();
                retryAt = since.plusMillis(delay);
                metrics.retried(kind);
                retry = timer.schedule(this::nextLeg, delay, TimeUnit.MILLISECONDS);
            }
        }
        if (again) {
            // the first failure in a row is worth a line; a destination down for hours is not worth one per retry
            int failures = ++failuresInARow;
            if (failures == 1 || failures % FAILURES_PER_LOG_LINE == 0) {
                log.info("relay {} ({} {} {}): ended{}; next attempt in {} ms{}", id, kind, stream, url,
                        lastError == null ? "" : " (" + lastError + ")", delay,
                        failures > 1 ? " (" + failures + " failures in a row)" : "");
            }
        } else {
            onStopped.run();
        }
    }

    private void nextLeg() {
        Relay l;
        synchronized (this) {
            retry = null;
            if (closed) {
                return;
            }
            if (!keepGoing.getAsBoolean()) {
                stopLocked();
                l = null;
            } else {
                l = makeLeg();
            }
        }
        if (l != null) {
            launch(l);
        } else {
            onStopped.run();
        }
    }

    private void stopLocked() {
        stopped = true;
        state = RelayState.STOPPED;
        since = Instant.now();
        retryAt = null;
        leg = null;
    }

    /** Stops for good: cancels a retry, closes the leg. Idempotent; does not run {@code onStopped}. */
    void close() {
        Relay l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
            l = leg;
            if (l != null) {
                RelayStatus s = l.status();
                bytesBefore += s.bytes();
                attemptsBefore += s.attempts();
                leg = null;
            }
            stopLocked();
        }
        if (l != null) {
            l.close();
        }
    }

    /**
     * Starts the next leg now when the relay waits out a retry delay, with the delay back at
     * its minimum: the local stream of a push was just published, say.
     */
    void kick() {
        synchronized (this) {
            if (retry == null || closed) {
                return;
            }
            retry.cancel(false);
            retry = null;
            delayMillis = minMillis;
        }
        timer.execute(this::nextLeg);
    }

    synchronized boolean stopped() {
        return stopped;
    }

    /** The relay's status over all its legs. */
    RelayStatus status() {
        Relay l;
        long before;
        int attempts;
        String error;
        synchronized (this) {
            l = leg;
            before = bytesBefore;
            attempts = attemptsBefore;
            error = lastError;
            if (l == null) {
                return RelayStatus.of(state, since, retryAt, before, attempts, error);
            }
        }
        RelayStatus s = l.status();
        RelayState st = s.state() == RelayState.IDLE ? RelayState.CONNECTING : s.state();
        return RelayStatus.of(st, s.since(), s.retryAt().orElse(null), before + s.bytes(), attempts + s.attempts(),
                s.lastError().orElse(error));
    }

    RelayInfo info() {
        return new RelayInfo(id, kind, stream, url, rule, status());
    }

    /** A delay drawn from the upper half of {@code millis} ("equal jitter"). */
    static long jittered(long millis) {
        long half = millis / 2;
        return half + ThreadLocalRandom.current().nextLong(millis - half + 1);
    }

    /** A URL without its query or user info, which may carry a stream key, a token or a password. */
    static String displayed(String url) {
        if (url == null) {
            return "";
        }
        int q = url.indexOf('?');
        String s = q < 0 ? url : url.substring(0, q);
        int scheme = s.indexOf("://");
        int at = s.indexOf('@');
        int slash = scheme < 0 ? -1 : s.indexOf('/', scheme + 3);
        if (scheme >= 0 && at > scheme && (slash < 0 || at < slash)) {
            s = s.substring(0, scheme + 3) + s.substring(at + 1);
        }
        return s;
    }

    @Override
    public String toString() {
        return id + " " + kind + " " + stream + " " + url;
    }
}
