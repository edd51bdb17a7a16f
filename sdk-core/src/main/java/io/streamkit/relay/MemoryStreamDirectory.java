package io.streamkit.relay;

import io.streamkit.stream.StreamKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StreamDirectory} in this JVM's memory: for one node, and for tests that run several
 * servers in one JVM. Expiry is checked when a claim is read, so a lapsed claim is never
 * answered; watchers hear of an expiry when the next read or {@link #expire()} finds it.
 * Callbacks run on the calling thread. One instance may be shared by several servers.
 */
public final class MemoryStreamDirectory implements StreamDirectory {
    private static final Logger log = LoggerFactory.getLogger(MemoryStreamDirectory.class);

    private record Claim(String node, Instant until) {
    }

    private final Clock clock;
    private final Map<StreamKey, Claim> claims = new ConcurrentHashMap<>();
    private final Map<StreamKey, Set<Consumer<Optional<String>>>> watchers = new ConcurrentHashMap<>();

    /** Creates an empty directory on the system clock. */
    public MemoryStreamDirectory() {
        this(Clock.systemUTC());
    }

    /**
     * Creates an empty directory on a given clock, for tests of lease expiry.
     *
     * @param clock the clock leases are measured on
     */
    public MemoryStreamDirectory(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<Void> claim(StreamKey key, String node, Duration lease) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(node, "node");
        Claim next = new Claim(node, until(lease));
        Claim previous = claims.put(key, next);
        if (previous == null || !previous.node().equals(node) || expired(previous)) {
            notify(key, Optional.of(node));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> renew(StreamKey key, String node, Duration lease) {
        Objects.requireNonNull(node, "node");
        Instant until = until(lease);
        boolean[] renewed = {false};
        claims.computeIfPresent(key, (k, c) -> {
            if (c.node().equals(node) && !expired(c)) {
                renewed[0] = true;
                return new Claim(node, until);
            }
            return c;
        });
        if (!renewed[0]) {
            expire(key);
        }
        return CompletableFuture.completedFuture(renewed[0]);
    }

    @Override
    public CompletionStage<Void> release(StreamKey key, String node) {
        Objects.requireNonNull(node, "node");
        Claim current = claims.get(key);
        if (current != null && current.node().equals(node) && claims.remove(key, current)) {
            notify(key, Optional.empty());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<String>> lookup(StreamKey key) {
        expire(key);
        Claim c = claims.get(key);
        return CompletableFuture.completedFuture(c == null ? Optional.empty() : Optional.of(c.node()));
    }

    @Override
    public AutoCloseable watch(StreamKey key, Consumer<Optional<String>> onChange) {
        Objects.requireNonNull(onChange, "onChange");
        watchers.computeIfAbsent(Objects.requireNonNull(key, "key"), k -> new CopyOnWriteArraySet<>()).add(onChange);
        return () -> watchers.computeIfPresent(key, (k, set) -> {
            set.remove(onChange);
            return set.isEmpty() ? null : set;
        });
    }

    /** Drops every lapsed claim now and tells its watchers; servers' relays call it as they poll. */
    public void expire() {
        for (StreamKey key : claims.keySet()) {
            expire(key);
        }
    }

    private void expire(StreamKey key) {
        Claim c = claims.get(key);
        if (c != null && expired(c) && claims.remove(key, c)) {
            notify(key, Optional.empty());
        }
    }

    private boolean expired(Claim c) {
        return !clock.instant().isBefore(c.until());
    }

    private Instant until(Duration lease) {
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("lease must be at least 1 s: " + lease);
        }
        return clock.instant().plus(lease);
    }

    private void notify(StreamKey key, Optional<String> holder) {
        Set<Consumer<Optional<String>>> set = watchers.get(key);
        if (set == null) {
            return;
        }
        for (Consumer<Optional<String>> w : set) {
            try {
                w.accept(holder);
            } catch (RuntimeException e) {
                log.warn("stream directory watcher of {} failed", key, e);
            }
        }
    }

    @Override
    public void close() {
        watchers.clear();
    }

    @Override
    public String toString() {
        return "memory stream directory (" + claims.size() + " claims)";
    }
}
