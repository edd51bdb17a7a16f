package io.streamkit.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.streamkit.relay.StreamDirectory;
import io.streamkit.stream.StreamKey;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A {@link StreamDirectory} on Redis, through Lettuce, shared by every node of a cluster.
 *
 * <table>
 *   <caption>How each operation maps onto Redis</caption>
 *   <tr><th>operation</th><th>Redis</th></tr>
 *   <tr><td>claim</td><td>a script: {@code SET key node PX lease}, then {@code PUBLISH} on the change channel
 *       when the holder changed</td></tr>
 *   <tr><td>renew</td><td>a script: {@code PEXPIRE key lease} if {@code GET key} is still the node</td></tr>
 *   <tr><td>release</td><td>a script: {@code DEL key} and {@code PUBLISH} if {@code GET key} is still the node</td></tr>
 *   <tr><td>lookup</td><td>{@code GET key}</td></tr>
 *   <tr><td>watch</td><td>{@code SUBSCRIBE} to the change channel, plus one {@code MGET} of every watched key
 *       each watch poll interval, which finds expiries</td></tr>
 * </table>
 * The key of a stream is the key prefix ({@value #DEFAULT_KEY_PREFIX} by default) and its
 * {@link StreamKey#path() path}, such as {@code streamkit:stream:live/cam1}; the change channel is
 * the prefix and {@code changes}, such as {@code streamkit:stream:changes}, and its messages are
 * {@code path\nnode} (an empty node after a release). Expiries are found by polling rather than
 * keyspace notifications, so Redis needs no configuration. Scripts run by SHA-1 ({@code EVALSHA})
 * and are sent again after a {@code NOSCRIPT}.
 *
 * <p><b>Connections.</b> One command connection and, from the first watch on, one pub/sub
 * connection, both opened on first use without blocking and reconnected by Lettuce after a drop.
 * Every command fails its stage after the command timeout (2 s by default) when Redis does not
 * answer; a first connect that cannot reach Redis fails it within about that long too, and the
 * next call tries again. The URI is any that Lettuce's {@link RedisURI#create(String)} reads for a
 * standalone or Sentinel-managed Redis, such as {@code redis://:password@host:6379/0} or
 * {@code rediss://host:6380} for TLS; Redis Cluster is not supported.
 *
 * <p><b>Threading.</b> Every method may be called from any thread and never blocks; stages
 * complete and watchers are called on Lettuce's threads, so both must be fast. The directory
 * owns its Lettuce client and thread pools; {@link #close()} shuts them down.
 */
public final class RedisStreamDirectory implements StreamDirectory {
    /** The default key prefix: names Streamkit's keys apart from the rest of a shared Redis. */
    public static final String DEFAULT_KEY_PREFIX = "streamkit:stream:";

    /**
     * The default command timeout, 2 s: a healthy Redis answers in a millisecond, and 2 s rides
     * out a reconnect or a Sentinel failover while still failing a lookup well before a player
     * gives up waiting for its stream.
     */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

    /**
     * The default watch poll interval, 1 s: the shortest lease, so that watchers hear of an
     * expiry within about one lease period, as {@link StreamDirectory#watch} promises.
     */
    public static final Duration DEFAULT_WATCH_POLL_INTERVAL = Duration.ofSeconds(1);

    /** The shortest watch poll interval, 100 ms: each poll of each node is a Redis command. */
    public static final Duration MIN_WATCH_POLL_INTERVAL = Duration.ofMillis(100);

    /** The shortest lease, 1 s, as for {@link io.streamkit.relay.MemoryStreamDirectory}. */
    public static final Duration MIN_LEASE = Duration.ofSeconds(1);

    /** How long close gives Lettuce's threads to stop: they have no work left by then. */
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 2_000;

    private final String description;
    private final String keyPrefix;
    private final String channel;
    private final RedisClient client;
    private final LazyConnection<StatefulRedisConnection<String, String>> commands;
    private final StreamWatches watches;
    private final ScheduledFuture<?> pollTask;
    private CompletableFuture<Void> shutdown;   // guarded by this

    private RedisStreamDirectory(Builder builder) {
        RedisURI uri = RedisURI.create(builder.uri);
        uri.setTimeout(builder.commandTimeout);
        this.description = describe(uri);
        this.keyPrefix = builder.keyPrefix;
        this.channel = keyPrefix + "changes";
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(builder.commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(builder.commandTimeout).build())
                .build());
        this.commands = new LazyConnection<>(() -> client.connectAsync(StringCodec.UTF8, uri));
        this.watches = new StreamWatches(keyPrefix, channel, commands,
                () -> client.connectPubSubAsync(StringCodec.UTF8, uri));
        long pollMillis = builder.watchPollInterval.toMillis();
        this.pollTask = client.getResources().eventExecutorGroup()
                .scheduleWithFixedDelay(watches::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Creates a directory on the Redis at {@code redisUri} with the default settings; connects on
     * first use.
     *
     * @param redisUri such as {@code redis://127.0.0.1:6379}
     * @return the directory
     * @throws IllegalArgumentException when Lettuce cannot read the URI
     */
    public static RedisStreamDirectory connect(String redisUri) {
        return builder(redisUri).build();
    }

    /**
     * Starts a directory on the Redis at {@code redisUri}.
     *
     * @param redisUri such as {@code redis://:password@host:6379/0}, or {@code rediss://} for TLS
     * @return a builder with the default settings
     * @throws IllegalArgumentException when Lettuce cannot read the URI
     */
    public static Builder builder(String redisUri) {
        return new Builder(redisUri);
    }

    @Override
    public CompletionStage<Void> claim(StreamKey key, String node, Duration lease) {
        String redisKey = redisKey(key);
        String millis = leaseMillis(lease);
        String message = StreamWatches.message(key, checkNode(node));
        return commands.connection()
                .thenCompose(c -> LeaseScript.CLAIM.run(c.async(), redisKey, node, millis, channel, message))
                .thenApply(answer -> null);
    }

    @Override
    public CompletionStage<Boolean> renew(StreamKey key, String node, Duration lease) {
        String redisKey = redisKey(key);
        String millis = leaseMillis(lease);
        checkNode(node);
        return commands.connection()
                .thenCompose(c -> LeaseScript.RENEW.run(c.async(), redisKey, node, millis))
                .thenApply(answer -> answer == 1L);
    }

    @Override
    public CompletionStage<Void> release(StreamKey key, String node) {
        String redisKey = redisKey(key);
        checkNode(node);
        String message = StreamWatches.message(key, "");
        return commands.connection()
                .thenCompose(c -> LeaseScript.RELEASE.run(c.async(), redisKey, node, channel, message))
                .thenApply(answer -> null);
    }

    @Override
    public CompletionStage<Optional<String>> lookup(StreamKey key) {
        String redisKey = redisKey(key);
        return commands.connection()
                .thenCompose(c -> c.async().get(redisKey))
                .thenApply(Optional::ofNullable);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Claims and releases are heard as soon as their message arrives; expiries, and changes
     * missed while the pub/sub connection was down, by the next watch poll. The watch starts
     * from the holder it reads when registered and reports changes from there; to start from a
     * known holder, look it up after watching. Around concurrent changes a watcher may hear an
     * intermediate holder; the last one it hears is the current one.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public AutoCloseable watch(StreamKey key, Consumer<Optional<String>> onChange) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(onChange, "onChange");
        synchronized (this) {
            if (shutdown != null) {
                throw new IllegalStateException("redis stream directory is closed");
            }
        }
        return watches.add(key, onChange);
    }

    /**
     * Starts closing without waiting: stops the watches at once, then closes the connections and
     * shuts down Lettuce's threads. Claims are left to expire. Idempotent.
     */
    @Override
    public void close() {
        closeAsync();
    }

    /**
     * Closes like {@link #close()} and tells when Lettuce's connections and threads are gone, for
     * a caller that must wait for them (a test, an orderly JVM exit). Idempotent.
     *
     * @return completes once the client is shut down
     */
    public synchronized CompletionStage<Void> closeAsync() {
        if (shutdown == null) {
            pollTask.cancel(false);
            watches.close();
            commands.close();
            shutdown = client.shutdownAsync(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        return shutdown;
    }

    /**
     * Describes the directory by where it stores its claims; never shows a password.
     *
     * @return such as {@code redis stream directory on redis://127.0.0.1:6379/0, keys streamkit:stream:*}
     */
    @Override
    public String toString() {
        return "redis stream directory on " + description + ", keys " + keyPrefix + "*";
    }

    private String redisKey(StreamKey key) {
        return keyPrefix + Objects.requireNonNull(key, "key").path();
    }

    private static String checkNode(String node) {
        if (Objects.requireNonNull(node, "node").isEmpty()) {
            throw new IllegalArgumentException("node is empty; name it by the URL other nodes pull from");
        }
        return node;
    }

    private static String leaseMillis(Duration lease) {
        if (Objects.requireNonNull(lease, "lease").compareTo(MIN_LEASE) < 0) {
            throw new IllegalArgumentException("lease must be at least 1 s: " + lease);
        }
        return Long.toString(lease.toMillis());
    }

    private static String describe(RedisURI uri) {
        StringBuilder s = new StringBuilder();
        if (uri.getSocket() != null) {
            s.append("redis-socket://").append(uri.getSocket());
        } else if (!uri.getSentinels().isEmpty()) {
            s.append(uri.isSsl() ? "rediss-sentinel://" : "redis-sentinel://")
                    .append(uri.getSentinels().stream().map(r -> r.getHost() + ":" + r.getPort())
                            .collect(Collectors.joining(",")));
        } else {
            s.append(uri.isSsl() ? "rediss://" : "redis://").append(uri.getHost()).append(':').append(uri.getPort());
        }
        s.append('/').append(uri.getDatabase());
        if (uri.getSentinelMasterId() != null) {
            s.append('#').append(uri.getSentinelMasterId());
        }
        return s.toString();
    }

    /**
     * Settings of a {@link RedisStreamDirectory}; each setter checks its argument at once.
     * Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder {
        private final String uri;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration watchPollInterval = DEFAULT_WATCH_POLL_INTERVAL;

        private Builder(String uri) {
            RedisURI.create(Objects.requireNonNull(uri, "redisUri"));   // throws IllegalArgumentException now
            this.uri = uri;
        }

        /**
         * Sets what precedes a stream's path in its Redis key, and names the change channel;
         * nodes that share a directory must use the same, clusters sharing a Redis different ones.
         *
         * @param keyPrefix such as {@code "streamkit:stream:"} (the default) or {@code "prod:stream:"}
         * @return this builder
         * @throws IllegalArgumentException when empty
         */
        public Builder keyPrefix(String keyPrefix) {
            if (Objects.requireNonNull(keyPrefix, "keyPrefix").isEmpty()) {
                throw new IllegalArgumentException("keyPrefix is empty; the default is " + DEFAULT_KEY_PREFIX);
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Sets how long a command, or a first connect, may take before its stage fails.
         *
         * @param commandTimeout positive; 2 s by default
         * @return this builder
         * @throws IllegalArgumentException when zero or negative
         */
        public Builder commandTimeout(Duration commandTimeout) {
            if (Objects.requireNonNull(commandTimeout, "commandTimeout").isNegative() || commandTimeout.isZero()) {
                throw new IllegalArgumentException("commandTimeout must be positive: " + commandTimeout);
            }
            this.commandTimeout = commandTimeout;
            return this;
        }

        /**
         * Sets how often the watched keys are read to find expiries; keep it no longer than the
         * shortest lease the cluster uses.
         *
         * @param watchPollInterval at least 100 ms; 1 s by default
         * @return this builder
         * @throws IllegalArgumentException when shorter than {@link #MIN_WATCH_POLL_INTERVAL}
         */
        public Builder watchPollInterval(Duration watchPollInterval) {
            if (Objects.requireNonNull(watchPollInterval, "watchPollInterval").compareTo(MIN_WATCH_POLL_INTERVAL) < 0) {
                throw new IllegalArgumentException("watchPollInterval must be at least "
                        + MIN_WATCH_POLL_INTERVAL.toMillis() + " ms: " + watchPollInterval);
            }
            this.watchPollInterval = watchPollInterval;
            return this;
        }

        /**
         * Creates the directory; it connects on first use, so this neither blocks nor fails when
         * Redis is down.
         *
         * @return the directory, to be closed
         */
        public RedisStreamDirectory build() {
            return new RedisStreamDirectory(this);
        }
    }
}
