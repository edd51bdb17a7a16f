package io.streamkit.cluster;

import io.streamkit.relay.StreamDirectory;
import io.streamkit.stream.StreamKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The relay module's settings, built inside {@code MediaServer.builder().relays(r -> ...)}:
 * forwarding rules, static pulls, pulls on demand, and this server's place in a cluster (an
 * origin that claims its streams in a {@link StreamDirectory}, an edge that pulls from origins).
 *
 * <pre>{@code
 * MediaServer.builder().rtmp(1935).http(8080)
 *         .relays(r -> r.forward(ForwardRule.to("rtmps://live-api-s.facebook.com:443/rtmp"))
 *                       .pullOnDemand(key -> key.app().equals("cams") ? cameras.url(key.name()) : null))
 *         .start();
 * }</pre>
 *
 * <table>
 *   <caption>Limits and their defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code retryBackoff}</td><td>{@value #DEFAULT_RETRY_MIN_MILLIS} ms to {@value #DEFAULT_RETRY_MAX_SECONDS} s</td><td>a failed or dropped relay tries again after a delay that doubles up to the maximum, each drawn from its upper half (jitter) so that relays cut off together do not return in one burst; it resets once the relay is live</td></tr>
 *   <tr><td>{@code onDemandRetryMax}</td><td>{@value #DEFAULT_ON_DEMAND_RETRY_MAX_MILLIS} ms</td><td>an on-demand pull whose source ended retries at most this far apart while players wait, so that an edge finds a moved origin within seconds</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>{@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s</td><td>an on-demand pull stops this long after its last player left (and not within the default play wait, 10 s, of an HLS viewer's request: it counts as a player only once its first segment is out): a player that reloads finds it still running</td></tr>
 *   <tr><td>{@code lease}</td><td>{@value #DEFAULT_LEASE_SECONDS} s</td><td>an origin's claim on a stream in the directory lasts this long unless renewed (every third of it), so a dead origin's streams are free within this time</td></tr>
 *   <tr><td>{@code maxRelays}</td><td>{@value #DEFAULT_MAX_RELAYS}</td><td>relays of every kind at once; past it forwards are skipped (logged) and API additions refused, so a flood of publishes or calls cannot open unbounded connections</td></tr>
 * </table>
 *
 * <p>A player waits for an on-demand stream up to the stream's play wait
 * ({@code StreamPolicy.playWait}, 10 s by default) for it to be published, then starts at its
 * first keyframe. A final class made with its {@link Builder}, so that settings can be added.
 */
public final class RelayConfig {
    /** Default first retry delay in milliseconds. */
    public static final int DEFAULT_RETRY_MIN_MILLIS = 1_000;
    /** Default longest retry delay in seconds. */
    public static final int DEFAULT_RETRY_MAX_SECONDS = 30;
    /** Default longest retry delay of an on-demand pull with players waiting, in milliseconds. */
    public static final int DEFAULT_ON_DEMAND_RETRY_MAX_MILLIS = 2_000;
    /** Default time an on-demand pull outlives its last player, in seconds. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 10;
    /** Default lease of an origin's claim, in seconds. */
    public static final int DEFAULT_LEASE_SECONDS = 10;
    /** Default limit of relays at once. */
    public static final int DEFAULT_MAX_RELAYS = 1_000;

    private final List<ForwardRule> forwards;
    private final Map<StreamKey, String> pulls;
    private final Function<StreamKey, String> onDemand;
    private final List<String> origins;
    private final StreamDirectory edgeDirectory;
    private final StreamDirectory originDirectory;
    private final String selfUrl;
    private final Duration retryMin;
    private final Duration retryMax;
    private final Duration onDemandRetryMax;
    private final Duration idleTimeout;
    private final Duration lease;
    private final int maxRelays;

    private RelayConfig(Builder b) {
        this.forwards = List.copyOf(b.forwards);
        this.pulls = Collections.unmodifiableMap(new LinkedHashMap<>(b.pulls));
        this.onDemand = b.onDemand;
        this.origins = List.copyOf(b.origins);
        this.edgeDirectory = b.edgeDirectory;
        this.originDirectory = b.originDirectory;
        this.selfUrl = b.selfUrl;
        this.retryMin = b.retryMin;
        this.retryMax = b.retryMax;
        this.onDemandRetryMax = b.onDemandRetryMax;
        this.idleTimeout = b.idleTimeout;
        this.lease = b.lease;
        this.maxRelays = b.maxRelays;
    }

    /**
     * Starts a configuration with no relays and the defaults of the table above.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the forwarding rules, in the order added.
     *
     * @return the rules
     */
    public List<ForwardRule> forwards() {
        return forwards;
    }

    /**
     * Returns the pulls started with the server.
     *
     * @return the remote URL of each local stream, in the order added
     */
    public Map<StreamKey, String> pulls() {
        return pulls;
    }

    /**
     * Returns the application's on-demand source.
     *
     * @return the function from a requested stream to its source URL ({@code null} for none), or {@code null} when not set
     */
    public Function<StreamKey, String> onDemand() {
        return onDemand;
    }

    /**
     * Returns the origins this server is an edge of.
     *
     * @return base URLs such as {@code rtmp://10.0.0.1:1935}; empty when it is no edge of fixed origins
     */
    public List<String> origins() {
        return origins;
    }

    /**
     * Returns the directory an edge finds the origin of a stream in.
     *
     * @return the directory, or {@code null}
     */
    public StreamDirectory edgeDirectory() {
        return edgeDirectory;
    }

    /**
     * Returns the directory this origin claims its streams in.
     *
     * @return the directory, or {@code null}
     */
    public StreamDirectory originDirectory() {
        return originDirectory;
    }

    /**
     * Returns the URL other nodes pull this origin's streams from.
     *
     * @return a base URL such as {@code rtmp://10.0.0.1:1935}, or {@code null}
     */
    public String selfUrl() {
        return selfUrl;
    }

    /**
     * Returns the first retry delay.
     *
     * @return the delay
     */
    public Duration retryMin() {
        return retryMin;
    }

    /**
     * Returns the longest retry delay.
     *
     * @return the delay
     */
    public Duration retryMax() {
        return retryMax;
    }

    /**
     * Returns the longest retry delay of an on-demand pull while players wait.
     *
     * @return the delay
     */
    public Duration onDemandRetryMax() {
        return onDemandRetryMax;
    }

    /**
     * Returns how long an on-demand pull outlives its last player.
     *
     * @return the time
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Returns the lease of an origin's claims.
     *
     * @return the lease
     */
    public Duration lease() {
        return lease;
    }

    /**
     * Returns the most relays at once.
     *
     * @return the limit
     */
    public int maxRelays() {
        return maxRelays;
    }

    /**
     * Tells whether the configuration relays anything at all.
     *
     * @return {@code false} for a configuration with no rule, pull, source or cluster role
     */
    public boolean isEmpty() {
        return forwards.isEmpty() && pulls.isEmpty() && onDemand == null && origins.isEmpty() && edgeDirectory == null
                && originDirectory == null;
    }

    @Override
    public String toString() {
        return "RelayConfig[forwards=" + forwards + ", pulls=" + pulls.keySet() + ", onDemand=" + (onDemand != null)
                + ", origins=" + origins + ", edgeDirectory=" + edgeDirectory + ", originDirectory=" + originDirectory
                + ", selfUrl=" + selfUrl + ", retry=" + retryMin + ".." + retryMax + ", idleTimeout=" + idleTimeout
                + ", lease=" + lease + ", maxRelays=" + maxRelays + "]";
    }

    /** Collects {@link RelayConfig}'s settings; each setter checks its argument at once. */
    public static final class Builder {
        private final List<ForwardRule> forwards = new ArrayList<>();
        private final Map<StreamKey, String> pulls = new LinkedHashMap<>();
        private Function<StreamKey, String> onDemand;
        private final List<String> origins = new ArrayList<>();
        private StreamDirectory edgeDirectory;
        private StreamDirectory originDirectory;
        private String selfUrl;
        private Duration retryMin = Duration.ofMillis(DEFAULT_RETRY_MIN_MILLIS);
        private Duration retryMax = Duration.ofSeconds(DEFAULT_RETRY_MAX_SECONDS);
        private Duration onDemandRetryMax = Duration.ofMillis(DEFAULT_ON_DEMAND_RETRY_MAX_MILLIS);
        private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
        private Duration lease = Duration.ofSeconds(DEFAULT_LEASE_SECONDS);
        private int maxRelays = DEFAULT_MAX_RELAYS;

        Builder() {
        }

        /**
         * Adds a forwarding rule.
         *
         * @param rule the rule
         * @return this builder
         */
        public Builder forward(ForwardRule rule) {
            forwards.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Pulls a remote stream into a local one from the server's start, reconnecting until
         * the server stops or the pull is removed.
         *
         * @param url the source, such as {@code rtmp://camera.local/live/main}
         * @param stream the local stream, pulled once
         * @return this builder
         */
        public Builder pull(String url, StreamKey stream) {
            checkUrl("pull", url);
            if (pulls.putIfAbsent(Objects.requireNonNull(stream, "stream"), url) != null) {
                throw new IllegalArgumentException("stream " + stream + " is already pulled from " + pulls.get(stream));
            }
            return this;
        }

        /**
         * Pulls a stream on demand: when a player asks for a stream that is not published, the
         * function names its source; the first player starts one pull (concurrent first
         * players share it), the players wait for it, and it stops {@link #idleTimeout} after
         * the last player left.
         *
         * @param source the source URL of a requested stream, or {@code null} when there is
         *     none; called on an event loop, must be fast and must not block
         * @return this builder
         */
        public Builder pullOnDemand(Function<StreamKey, String> source) {
            this.onDemand = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Makes this server an edge of fixed origins: a stream a player asks for and this server
         * lacks is pulled on demand from {@code origin/app/name} (the first origin whose pull
         * works, in order), and a stream a client publishes here is forwarded to the first origin.
         *
         * @param originUrls base URLs such as {@code rtmp://10.0.0.1:1935}
         * @return this builder
         */
        public Builder edge(String... originUrls) {
            for (String url : originUrls) {
                origins.add(checkUrl("origin", url).replaceAll("/+$", ""));
            }
            return this;
        }

        /**
         * Makes this server an edge that finds the origin of a stream in a directory: the
         * origin holding a requested stream is looked up there first (then the fixed origins of
         * {@link #edge(String...)}), and looked up again when its pull ends while players wait,
         * so players follow a publisher that moved to another origin.
         *
         * @param directory where origins claim their streams
         * @return this builder
         */
        public Builder edge(StreamDirectory directory) {
            this.edgeDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Makes this server an origin that claims the streams published to it (by clients or
         * the application, not by pulls) in a directory, renews the claims while they are live
         * and releases them when they end.
         *
         * @param directory where to claim
         * @param selfUrl the base URL edges pull this server's streams from, such as {@code rtmp://10.0.0.1:1935}
         * @return this builder
         */
        public Builder origin(StreamDirectory directory, String selfUrl) {
            this.originDirectory = Objects.requireNonNull(directory, "directory");
            this.selfUrl = checkUrl("self", selfUrl).replaceAll("/+$", "");
            return this;
        }

        /**
         * Sets the retry backoff of every relay.
         *
         * @param min the first delay, at least 100 ms
         * @param max the longest delay, at least {@code min}
         * @return this builder
         */
        public Builder retryBackoff(Duration min, Duration max) {
            checkAtLeast("retry min delay", min, Duration.ofMillis(100));
            checkAtLeast("retry max delay", max, min);
            this.retryMin = min;
            this.retryMax = max;
            return this;
        }

        /**
         * Sets the longest retry delay of an on-demand pull while players wait.
         *
         * @param max at least 100 ms
         * @return this builder
         */
        public Builder onDemandRetryMax(Duration max) {
            this.onDemandRetryMax = checkAtLeast("on-demand retry max delay", max, Duration.ofMillis(100));
            return this;
        }

        /**
         * Sets how long an on-demand pull outlives its last player.
         *
         * @param timeout zero or more
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = checkAtLeast("idle timeout", timeout, Duration.ZERO);
            return this;
        }

        /**
         * Sets the lease of an origin's claims in the directory.
         *
         * @param lease at least 3 s, so that renewals every third of it stay a second apart
         * @return this builder
         */
        public Builder lease(Duration lease) {
            this.lease = checkAtLeast("lease", lease, Duration.ofSeconds(3));
            return this;
        }

        /**
         * Sets the most relays at once.
         *
         * @param max 1 to 100,000
         * @return this builder
         */
        public Builder maxRelays(int max) {
            if (max < 1 || max > 100_000) {
                throw new IllegalArgumentException("maxRelays must be 1 to 100000: " + max);
            }
            this.maxRelays = max;
            return this;
        }

        /**
         * Creates the configuration.
         *
         * @return the checked settings
         */
        public RelayConfig build() {
            return new RelayConfig(this);
        }

        private static String checkUrl(String what, String url) {
            if (!Objects.requireNonNull(url, what + " URL").contains("://")) {
                throw new IllegalArgumentException(what + " URL '" + url + "' needs a scheme, such as rtmp://");
            }
            return url;
        }

        private static Duration checkAtLeast(String what, Duration value, Duration min) {
            if (Objects.requireNonNull(value, what).compareTo(min) < 0) {
                throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
            }
            return value;
        }
    }
}
