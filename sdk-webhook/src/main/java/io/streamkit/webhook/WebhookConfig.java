package io.streamkit.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where and how the server calls a backend over HTTP, built in
 * {@code MediaServer.builder().webhooks(w -> w.srs("http://127.0.0.1:8085/api/v1/hooks"))}.
 *
 * <p>Two dialects:
 * <ul>
 *   <li><b>SRS</b> ({@link Builder#srs}): a POST of a JSON object per event, with the fields SRS's
 *       HTTP callbacks send ({@code action}, {@code client_id}, {@code ip}, {@code vhost},
 *       {@code app}, {@code stream}, {@code param}, {@code tcUrl}, {@code stream_url}, ...; for
 *       {@code on_dvr} also {@code cwd} and {@code file}); the backend allows with HTTP 200 and a
 *       body of {@code 0} or {@code {"code":0}}. {@code on_connect} decides as in SRS: it is asked
 *       once per RTMP connection, with its app and tcUrl, at its first publish or play. A backend
 *       written for SRS's hooks works unchanged.</li>
 *   <li><b>Plain</b> ({@link Builder#plain}): for decisions only, a GET of the URL with the client's
 *       query string plus {@code path=/app/name}, {@code app}, {@code name}, {@code ip},
 *       {@code type=rtmp|http|hls|rtsp} and {@code role=publisher|player}; any 2xx allows.</li>
 * </ul>
 *
 * <p>A decision is asked before the client is told anything; a denial refuses the client with
 * the backend's reason (a JSON {@code msg}/{@code reason}, or the body's first line). A backend
 * that is down (no connection, a timeout, a 5xx) decides by the {@link FailurePolicy}.
 * Notifications are retried, decisions are not. Each client's events are sent one after the
 * other, in order ({@code on_stop} after its {@code on_play}).
 *
 * <table>
 *   <caption>Settings and their defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code timeout}</td><td>{@value #DEFAULT_TIMEOUT_MILLIS} ms</td><td>per request; a decision waits at most twice this (its turn, its request), under the server's 10 s auth timeout</td></tr>
 *   <tr><td>{@code onFailure}</td><td>{@code DENY}</td><td>a backend that is down lets nobody in unless the application says so</td></tr>
 *   <tr><td>{@code retries}</td><td>{@value #DEFAULT_RETRIES}</td><td>notifications only, after {@value #DEFAULT_RETRY_DELAY_MILLIS} ms, doubling: a backend's restart is not a lost event</td></tr>
 *   <tr><td>{@code maxConcurrent}</td><td>{@value #DEFAULT_MAX_CONCURRENT}</td><td>requests in flight at once: a burst of viewers does not open a connection each</td></tr>
 *   <tr><td>{@code maxQueued}</td><td>{@value #DEFAULT_MAX_QUEUED}</td><td>requests waiting; past it a notification is dropped (logged) and a decision fails by the policy, so memory stays bounded while a backend is slow</td></tr>
 * </table>
 *
 * <p>A final class rather than a record, so that settings can be added without breaking callers.
 */
public final class WebhookConfig {
    /** Default timeout of one request, in milliseconds. */
    public static final int DEFAULT_TIMEOUT_MILLIS = 3000;
    /** Default retries of a notification. */
    public static final int DEFAULT_RETRIES = 3;
    /** Default delay before a notification's first retry, in milliseconds; it doubles. */
    public static final int DEFAULT_RETRY_DELAY_MILLIS = 500;
    /** Default requests in flight at once. */
    public static final int DEFAULT_MAX_CONCURRENT = 16;
    /** Default requests waiting for their turn. */
    public static final int DEFAULT_MAX_QUEUED = 10_000;

    private final List<Target> targets;
    private final Duration timeout;
    private final FailurePolicy onFailure;
    private final int retries;
    private final Duration retryDelay;
    private final int maxConcurrent;
    private final int maxQueued;
    private final Map<String, String> headers;
    private final String serverId;

    private WebhookConfig(Builder b) {
        this.targets = List.copyOf(b.targets);
        this.timeout = b.timeout;
        this.onFailure = b.onFailure;
        this.retries = b.retries;
        this.retryDelay = b.retryDelay;
        this.maxConcurrent = b.maxConcurrent;
        this.maxQueued = b.maxQueued;
        this.headers = Map.copyOf(b.headers);
        this.serverId = b.serverId;
    }

    /** How a target speaks. */
    public enum Dialect {
        /** SRS's HTTP callbacks: a JSON POST per event; {@code 0} or {@code {"code":0}} allows. */
        SRS,
        /** A GET with the stream, the client's query, {@code type} and {@code role}; 2xx allows. */
        PLAIN
    }

    /** What a backend that cannot be asked (no connection, a timeout, a 5xx) means for a decision. */
    public enum FailurePolicy {
        /** Refuse the client. */
        DENY,
        /** Let the client in, logged. */
        ALLOW
    }

    /** One backend URL, its dialect and the events sent to it. */
    public static final class Target {
        private final Dialect dialect;
        private final URI url;
        private final Set<HookEvent> events;

        Target(Dialect dialect, URI url, Set<HookEvent> events) {
            this.dialect = dialect;
            this.url = url;
            this.events = Set.copyOf(events);
        }

        /**
         * Returns how it speaks.
         *
         * @return the dialect
         */
        public Dialect dialect() {
            return dialect;
        }

        /**
         * Returns the backend's URL.
         *
         * @return an http or https URL
         */
        public URI url() {
            return url;
        }

        /**
         * Returns the events sent to it.
         *
         * @return the events, unmodifiable
         */
        public Set<HookEvent> events() {
            return events;
        }

        @Override
        public String toString() {
            return dialect + " " + url + " " + events;
        }
    }

    /**
     * Returns the backends, in the order they are asked: a decision is allowed only when every
     * target that takes it allows.
     *
     * @return the targets
     */
    public List<Target> targets() {
        return targets;
    }

    /**
     * Returns the timeout of one request.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Returns what a backend that is down means for a decision.
     *
     * @return the policy
     */
    public FailurePolicy onFailure() {
        return onFailure;
    }

    /**
     * Returns how often a failed notification is sent again.
     *
     * @return the retries
     */
    public int retries() {
        return retries;
    }

    /**
     * Returns the delay before a notification's first retry; it doubles each time.
     *
     * @return the delay
     */
    public Duration retryDelay() {
        return retryDelay;
    }

    /**
     * Returns how many requests are in flight at once.
     *
     * @return the bound
     */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    /**
     * Returns how many requests may wait for their turn.
     *
     * @return the bound
     */
    public int maxQueued() {
        return maxQueued;
    }

    /**
     * Returns the headers every request carries (a backend's credentials).
     *
     * @return names to values, unmodifiable
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Returns the {@code server_id} of the SRS dialect's bodies.
     *
     * @return the server's id
     */
    public String serverId() {
        return serverId;
    }

    /**
     * Starts a configuration.
     *
     * @return a builder with the defaults and no target
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "WebhookConfig[targets=" + targets + ", timeout=" + timeout + ", onFailure=" + onFailure
                + ", retries=" + retries + ", retryDelay=" + retryDelay + ", maxConcurrent=" + maxConcurrent
                + ", maxQueued=" + maxQueued + ", headers=" + headers.keySet() + ", serverId=" + serverId + "]";
    }

    /** Collects {@link WebhookConfig}'s settings; each setter checks its argument at once. */
    public static final class Builder {
        private final List<Target> targets = new ArrayList<>();
        private Duration timeout = Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS);
        private FailurePolicy onFailure = FailurePolicy.DENY;
        private int retries = DEFAULT_RETRIES;
        private Duration retryDelay = Duration.ofMillis(DEFAULT_RETRY_DELAY_MILLIS);
        private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
        private int maxQueued = DEFAULT_MAX_QUEUED;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String serverId = "streamkit";

        private Builder() {
        }

        /**
         * Sends every event to a URL in SRS's dialect: decisions and notifications alike.
         *
         * @param url an http or https URL
         * @return this builder
         */
        public Builder srs(String url) {
            return srs(url, HookEvent.values());
        }

        /**
         * Sends some events to a URL in SRS's dialect, as SRS's {@code on_publish http://...} lines do.
         *
         * @param url an http or https URL
         * @param events the events, at least one
         * @return this builder
         */
        public Builder srs(String url, HookEvent... events) {
            if (events.length == 0) {
                throw new IllegalArgumentException("name at least one event for " + url);
            }
            EnumSet<HookEvent> set = EnumSet.noneOf(HookEvent.class);
            for (HookEvent e : events) {
                set.add(Objects.requireNonNull(e, "event"));
            }
            targets.add(new Target(Dialect.SRS, url(url), set));
            return this;
        }

        /**
         * Asks a URL in the plain dialect for every publish and play decision.
         *
         * @param url an http or https URL, to which the query is appended
         * @return this builder
         */
        public Builder plain(String url) {
            targets.add(new Target(Dialect.PLAIN, url(url), EnumSet.of(HookEvent.PUBLISH, HookEvent.PLAY)));
            return this;
        }

        /**
         * Sets the timeout of one request.
         *
         * @param limit 100 ms to 30 s; default {@value #DEFAULT_TIMEOUT_MILLIS} ms
         * @return this builder
         */
        public Builder timeout(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.toMillis() < 100 || limit.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("timeout " + limit + " must be between 100 ms and 30 s");
            }
            this.timeout = limit;
            return this;
        }

        /**
         * Sets what a backend that is down means for a decision.
         *
         * @param policy default {@link FailurePolicy#DENY}
         * @return this builder
         */
        public Builder onFailure(FailurePolicy policy) {
            this.onFailure = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets how often a failed notification is sent again, and the first delay, which doubles.
         *
         * @param times 0 to 10; default {@value #DEFAULT_RETRIES}
         * @param firstDelay 10 ms to 1 min; default {@value #DEFAULT_RETRY_DELAY_MILLIS} ms
         * @return this builder
         */
        public Builder retries(int times, Duration firstDelay) {
            Objects.requireNonNull(firstDelay, "firstDelay");
            if (times < 0 || times > 10) {
                throw new IllegalArgumentException("retries " + times + " must be between 0 and 10");
            }
            if (firstDelay.toMillis() < 10 || firstDelay.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("retry delay " + firstDelay + " must be between 10 ms and 1 min");
            }
            this.retries = times;
            this.retryDelay = firstDelay;
            return this;
        }

        /**
         * Sets how many requests are in flight at once.
         *
         * @param max 1 to 1024; default {@value #DEFAULT_MAX_CONCURRENT}
         * @return this builder
         */
        public Builder maxConcurrent(int max) {
            if (max < 1 || max > 1024) {
                throw new IllegalArgumentException("maxConcurrent " + max + " must be between 1 and 1024");
            }
            this.maxConcurrent = max;
            return this;
        }

        /**
         * Sets how many requests may wait for their turn.
         *
         * @param max 1 to 1,000,000; default {@value #DEFAULT_MAX_QUEUED}
         * @return this builder
         */
        public Builder maxQueued(int max) {
            if (max < 1 || max > 1_000_000) {
                throw new IllegalArgumentException("maxQueued " + max + " must be between 1 and 1000000");
            }
            this.maxQueued = max;
            return this;
        }

        /**
         * Adds a header to every request, for example the backend's {@code Authorization}.
         *
         * @param name the header's name
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + " is not a valid HTTP header");
            }
            if (Set.of("host", "connection", "content-length", "expect", "upgrade").contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " is set by the HTTP client, not by the application");
            }
            headers.put(name, value);
            return this;
        }

        /**
         * Sets the {@code server_id} of the SRS dialect's bodies.
         *
         * @param id the server's name; default {@code streamkit}
         * @return this builder
         */
        public Builder serverId(String id) {
            this.serverId = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Creates the configuration.
         *
         * @return the checked settings
         * @throws IllegalStateException when no target was given
         */
        public WebhookConfig build() {
            if (targets.isEmpty()) {
                throw new IllegalStateException("webhooks need a target: srs(url) or plain(url)");
            }
            return new WebhookConfig(this);
        }

        private static URI url(String url) {
            Objects.requireNonNull(url, "url");
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hook URL '" + url + "' is not a URL: " + e.getMessage(), e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("hook URL '" + url + "' must be http:// or https:// with a host");
            }
            if (uri.getRawFragment() != null) {
                throw new IllegalArgumentException("hook URL '" + url + "' has a fragment (#...): the query would follow it");
            }
            return uri;
        }
    }
}
