package io.streamkit.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.streamkit.stream.StreamKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches of a {@link RedisStreamDirectory}: who watches which stream, fed by two sources.
 * Messages on the change channel (one shared pub/sub connection) tell of claims and releases
 * at once; a periodic read of every watched key ({@link #poll()}, one {@code MGET}) finds what
 * no message tells, expiries, and what was missed while the pub/sub connection was down.
 *
 * <p>Each watched stream keeps the holder last seen with a version. A read applies only if
 * nothing was seen between sending it and its answer, so a stale answer racing a message on
 * the other connection is dropped rather than announced. Watchers hear a holder when it
 * differs from the last one seen; the first read after a watch starts only sets the baseline.
 *
 * <p>Threading: messages and read answers arrive on Lettuce's threads, where watchers are
 * called; a watcher that throws is logged and the others still hear.
 */
final class StreamWatches {
    private static final Logger log = LoggerFactory.getLogger(StreamWatches.class);

    private final String keyPrefix;
    private final String channel;
    private final LazyConnection<StatefulRedisConnection<String, String>> commands;
    private final LazyConnection<StatefulRedisPubSubConnection<String, String>> pubSub;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile boolean failing;

    /**
     * Creates the watches of a directory.
     *
     * @param keyPrefix what precedes a stream's path in its Redis key
     * @param channel the change channel
     * @param commands the directory's command connection, for the reads
     * @param pubSubConnector opens a pub/sub connection, subscribed here
     */
    StreamWatches(String keyPrefix, String channel, LazyConnection<StatefulRedisConnection<String, String>> commands,
            Supplier<CompletionStage<StatefulRedisPubSubConnection<String, String>>> pubSubConnector) {
        this.keyPrefix = keyPrefix;
        this.channel = channel;
        this.commands = commands;
        this.pubSub = new LazyConnection<>(() -> pubSubConnector.get().thenCompose(this::subscribe));
    }

    /**
     * The message announcing a stream's new holder on the change channel.
     *
     * @param key the stream
     * @param node the new holder, or the empty string when released
     * @return {@code path + "\n" + node}
     */
    static String message(StreamKey key, String node) {
        return key.path() + '\n' + node;
    }

    /**
     * Starts watching a stream.
     *
     * @param key the stream
     * @param onChange told of each new holder
     * @return stops this watch; idempotent
     */
    AutoCloseable add(StreamKey key, Consumer<Optional<String>> onChange) {
        Registration registration = new Registration(key.path(), onChange);
        boolean[] fresh = {false};
        Watched w = watched.compute(key.path(), (path, existing) -> {
            Watched target = existing;
            if (target == null) {
                target = new Watched(path);
                fresh[0] = true;
            }
            target.registrations.add(registration);
            return target;
        });
        if (fresh[0]) {
            Seen before = w.seen.get();
            commands.connection()
                    .thenCompose(c -> c.async().get(keyPrefix + w.path))
                    .whenComplete((node, error) -> {
                        if (error == null) {
                            w.read(before, Optional.ofNullable(node));
                        }
                    });
        }
        subscribe();
        return registration;
    }

    /** Reads every watched key once and tells watchers of changes; runs on a timer, never throws. */
    void poll() {
        try {
            subscribe();
            if (watched.isEmpty() || !polling.compareAndSet(false, true)) {
                return;   // nothing to read, or the last read has not answered yet
            }
            List<Watched> targets = new ArrayList<>(watched.values());
            List<Seen> before = new ArrayList<>(targets.size());
            String[] keys = new String[targets.size()];
            for (int i = 0; i < keys.length; i++) {
                before.add(targets.get(i).seen.get());
                keys[i] = keyPrefix + targets.get(i).path;
            }
            commands.connection()
                    .thenCompose(c -> c.async().mget(keys))
                    .whenComplete((values, error) -> {
                        polling.set(false);
                        if (error != null) {
                            if (!failing) {
                                failing = true;
                                log.warn("cannot read watched streams from Redis; retrying every poll", error);
                            }
                            return;
                        }
                        if (failing) {
                            failing = false;
                            log.info("reading watched streams from Redis again");
                        }
                        for (int i = 0; i < targets.size(); i++) {
                            KeyValue<String, String> kv = values.get(i);
                            targets.get(i).read(before.get(i), kv.hasValue() ? Optional.of(kv.getValue()) : Optional.empty());
                        }
                    });
        } catch (RuntimeException e) {
            polling.set(false);
            log.warn("stream directory poll failed", e);
        }
    }

    /** Drops every watch and refuses to subscribe again. */
    void close() {
        watched.clear();
        pubSub.close();
    }

    /** Opens the pub/sub connection while anything is watched and none is open or opening. */
    private void subscribe() {
        if (!watched.isEmpty() && !pubSub.started()) {
            pubSub.connection().whenComplete((c, error) -> {
                if (error != null) {
                    log.debug("cannot subscribe to {}; the next poll tries again", channel, error);
                }
            });
        }
    }

    private CompletionStage<StatefulRedisPubSubConnection<String, String>> subscribe(
            StatefulRedisPubSubConnection<String, String> connection) {
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                onMessage(from, message);
            }
        });
        return connection.async().subscribe(channel).handle((ok, error) -> {
            if (error != null) {
                connection.closeAsync();
                throw new IllegalStateException("cannot subscribe to " + channel, error);
            }
            return connection;
        });
    }

    private void onMessage(String from, String message) {
        int newline = message.indexOf('\n');
        if (!channel.equals(from) || newline < 0) {
            log.debug("ignoring message {} on {}", message, from);
            return;
        }
        Watched w = watched.get(message.substring(0, newline));
        if (w != null) {
            String node = message.substring(newline + 1);
            w.heard(node.isEmpty() ? Optional.empty() : Optional.of(node));
        }
    }

    /** The holder last seen for a watched stream, versioned; {@code known} is false before the first. */
    private record Seen(long version, boolean known, Optional<String> holder) {
        static final Seen UNKNOWN = new Seen(0, false, Optional.empty());

        Seen next(Optional<String> newHolder) {
            return new Seen(version + 1, true, newHolder);
        }

        boolean differs(Optional<String> newHolder) {
            return !known || !holder.equals(newHolder);
        }
    }

    /** One watched stream and its watchers. */
    private final class Watched {
        final String path;
        final List<Registration> registrations = new CopyOnWriteArrayList<>();
        final AtomicReference<Seen> seen = new AtomicReference<>(Seen.UNKNOWN);

        Watched(String path) {
            this.path = path;
        }

        /** A change message: always newer than what was seen before it. */
        void heard(Optional<String> holder) {
            Seen before;
            do {
                before = seen.get();
            } while (!seen.compareAndSet(before, before.next(holder)));
            if (before.differs(holder)) {
                tell(holder);
            }
        }

        /** A read sent when {@code before} was current: applies only if nothing was seen since. */
        void read(Seen before, Optional<String> holder) {
            if (before.known && before.holder.equals(holder)) {
                return;
            }
            if (seen.compareAndSet(before, before.next(holder)) && before.known) {
                tell(holder);
            }
        }

        private void tell(Optional<String> holder) {
            for (Registration r : registrations) {
                r.tell(holder);
            }
        }
    }

    /** One call of {@code watch}: its callback, and the handle that ends it. */
    private final class Registration implements AutoCloseable {
        private final String path;
        private final Consumer<Optional<String>> onChange;
        private final AtomicBoolean closed = new AtomicBoolean();

        Registration(String path, Consumer<Optional<String>> onChange) {
            this.path = path;
            this.onChange = onChange;
        }

        void tell(Optional<String> holder) {
            if (closed.get()) {
                return;
            }
            try {
                onChange.accept(holder);
            } catch (RuntimeException e) {
                log.warn("stream directory watcher of {} failed", path, e);
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                watched.computeIfPresent(path, (p, w) -> {
                    w.registrations.remove(this);
                    return w.registrations.isEmpty() ? null : w;
                });
            }
        }
    }
}
