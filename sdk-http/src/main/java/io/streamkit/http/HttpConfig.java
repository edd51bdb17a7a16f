package io.streamkit.http;

import io.streamkit.transport.TlsConfig;
import io.streamkit.transport.WriteBatching;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP port's settings: one port carries HTTP-FLV, WebSocket-FLV, the JSON API and
 * metrics, HLS when it is on, and the application's own {@link HttpRoute}s. Built with
 * {@link Builder} inside
 * {@code MediaServer.builder().http(8080, h -> h.corsOrigin("https://player.example"))}.
 *
 * <table>
 *   <caption>What the port serves</caption>
 *   <tr><th>path</th><th>what</th></tr>
 *   <tr><td>{@code /{app}/{name}.flv}</td><td>HTTP-FLV; with a WebSocket upgrade, WebSocket-FLV</td></tr>
 *   <tr><td>{@code /api/...}</td><td>the JSON API: {@code GET /api/streams}, {@code GET /api/streams/{app}/{name}},
 *       {@code GET /api/clients}, {@code DELETE /api/streams/{app}/{name}}, {@code DELETE /api/clients/{id}};
 *       the {@code DELETE} calls need {@code Authorization: Bearer} with the {@code apiToken}</td></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus text exposition format 0.0.4</td></tr>
 *   <tr><td>{@code /{app}/{name}.m3u8}, {@code /{app}/{name}/{seq}.ts}</td><td>HLS, when the server has it
 *       ({@code MediaServer.Builder.hls()}); segment URLs are signed by the playlist</td></tr>
 *   <tr><td>any path, {@code OPTIONS}</td><td>a CORS preflight answer</td></tr>
 *   <tr><td>a prefix given to {@link Builder#route}</td><td>the application's route</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Limits and their defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code maxInitialLineLength}</td><td>{@value #DEFAULT_MAX_INITIAL_LINE_LENGTH}</td><td>a stream URL with a long signed token fits; a flood does not</td></tr>
 *   <tr><td>{@code maxHeaderSize}</td><td>{@value #DEFAULT_MAX_HEADER_SIZE}</td><td>what browsers send, with cookies, and then some</td></tr>
 *   <tr><td>{@code maxContentLength}</td><td>{@value #DEFAULT_MAX_CONTENT_LENGTH}</td><td>API requests are small JSON</td></tr>
 *   <tr><td>{@code requestTimeout}</td><td>{@value #DEFAULT_REQUEST_TIMEOUT_SECONDS} s</td><td>a whole request must arrive within it: a client trickling bytes (slowloris) is cut off</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>{@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s</td><td>a connection that neither reads nor writes that long, or whose peer takes no byte of what it is sent that long (a dead player's full socket), is closed: a gone player does not hold its subscription for the minutes TCP takes to notice; as RTMP's</td></tr>
 *   <tr><td>{@code maxConnections}</td><td>{@value #DEFAULT_MAX_CONNECTIONS}</td><td>a bound on file descriptors and memory</td></tr>
 *   <tr><td>{@code maxConnectionsPerAddress}</td><td>{@value #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}</td><td>one client address cannot take every slot; viewers behind one NAT use one or two connections each</td></tr>
 *   <tr><td>{@code writeBatch}</td><td>{@value #DEFAULT_WRITE_BATCH_MILLIS} ms</td><td>HTTP-FLV and WebSocket-FLV players are written once per window, as RTMP's; 0 writes every frame at once</td></tr>
 *   <tr><td>{@code absoluteTime}</td><td>off</td><td>each FLV player's timestamps start at 0, as a file's do; on, players see the stream's clock</td></tr>
 *   <tr><td>{@code corsOrigin}</td><td>{@code *}</td><td>browser players on other origins work out of the box</td></tr>
 *   <tr><td>{@code apiToken}</td><td>none: mutating API calls are off</td><td>nothing can be kicked until the application chooses a secret</td></tr>
 *   <tr><td>{@code api}, {@code metrics}</td><td>on</td><td>what the server does is visible to monitoring at once; either can be switched off</td></tr>
 *   <tr><td>{@code tokenForReads}</td><td>off</td><td>on (with an {@code apiToken}), reading the API and the metrics needs the token: client addresses and stream names stay private</td></tr>
 *   <tr><td>{@code bindAddress}</td><td>every address</td><td>one address only, such as the loopback behind a reverse proxy</td></tr>
 *   <tr><td>{@code proxyProtocol}</td><td>off</td><td>on, every connection must start with a PROXY protocol header (v1 or v2) from a load balancer, within the {@code requestTimeout}; the client it names is the one limits, auth, logs and {@code /api/clients} see. Turn it on only behind such a proxy: a client could otherwise name any address</td></tr>
 * </table>
 *
 * <p>A final class rather than a record, so that settings can be added without breaking
 * callers; made with its {@link Builder}.
 */
public final class HttpConfig {
    private final int port;
    private final int maxInitialLineLength;
    private final int maxHeaderSize;
    private final int maxContentLength;
    private final Duration requestTimeout;
    private final int maxConnections;
    private final Duration idleTimeout;
    private final Duration writeBatch;
    private final boolean absoluteTime;
    private final String corsOrigin;
    private final String apiToken;
    private final Map<String, HttpRoute> routes;
    private final TlsConfig tls;
    private final int maxConnectionsPerAddress;
    private final boolean proxyProtocol;
    private final InetAddress bindAddress;
    private final boolean api;
    private final boolean metrics;
    private final boolean tokenForReads;

    /** Default request-line limit. */
    public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 4096;
    /** Default header-block limit. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 8192;
    /** Default body limit. */
    public static final int DEFAULT_MAX_CONTENT_LENGTH = 65_536;
    /** Default time for a request to arrive, in seconds. */
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
    /** Default connection limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Default limit of connections from one address. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
    /** Default idle and stall timeout in seconds: RTMP's, longer than any pause between a player's requests. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    /** Default write batch window of HTTP-FLV and WebSocket-FLV players in milliseconds: {@link WriteBatching#DEFAULT_WINDOW_MILLIS}, as RTMP's. */
    public static final int DEFAULT_WRITE_BATCH_MILLIS = WriteBatching.DEFAULT_WINDOW_MILLIS;

    /**
     * Checks the settings.
     *
     * @param port the TCP port
     * @param maxInitialLineLength request-line limit
     * @param maxHeaderSize header limit
     * @param maxContentLength body limit
     * @param requestTimeout request deadline
     * @param maxConnections connection limit
     * @param idleTimeout idle and stall limit
     * @param writeBatch FLV players' write batch window, zero for none
     * @param absoluteTime whether FLV players see the stream's clock
     * @param corsOrigin allowed origin
     * @param apiToken API bearer token or {@code null}
     * @param routes application routes by prefix, each prefix as {@link Builder#route} accepts
     * @param tls HTTPS settings, or {@code null}
     * @param maxConnectionsPerAddress connection limit per client address
     * @param proxyProtocol whether connections start with a PROXY protocol header
     */
    private HttpConfig(int port, int maxInitialLineLength, int maxHeaderSize, int maxContentLength,
                       Duration requestTimeout, int maxConnections, Duration idleTimeout, Duration writeBatch,
                       boolean absoluteTime, String corsOrigin, String apiToken, Map<String, HttpRoute> routes,
                       TlsConfig tls, int maxConnectionsPerAddress, boolean proxyProtocol,
            InetAddress bindAddress, boolean api, boolean metrics, boolean tokenForReads) {
        Builder.check("port", port, 0, 65_535);
        Builder.check("maxInitialLineLength", maxInitialLineLength, 256, 65_536);
        Builder.check("maxHeaderSize", maxHeaderSize, 1024, 1 << 20);
        Builder.check("maxContentLength", maxContentLength, 0, 16 << 20);
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout " + requestTimeout + " must be above zero");
        }
        Builder.check("maxConnections", maxConnections, 1, Integer.MAX_VALUE);
        Builder.check("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, Integer.MAX_VALUE);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout " + idleTimeout + " must be above zero");
        }
        WriteBatching.check(writeBatch);
        Objects.requireNonNull(corsOrigin, "corsOrigin");
        if (tokenForReads && apiToken == null) {
            throw new IllegalArgumentException("tokenForReads needs an apiToken: set h.apiToken(token)");
        }
        if (apiToken != null && apiToken.length() < 16) {
            throw new IllegalArgumentException("apiToken must be at least 16 characters: it guards kicking streams");
        }
        Objects.requireNonNull(routes, "routes");
        Map<String, HttpRoute> checked = new LinkedHashMap<>();
        routes.forEach((prefix, route) -> checked.put(Builder.checkPrefix(prefix), Objects.requireNonNull(route, "route")));
        routes = Collections.unmodifiableMap(checked);
        this.port = port;
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
        this.maxContentLength = maxContentLength;
        this.requestTimeout = requestTimeout;
        this.maxConnections = maxConnections;
        this.idleTimeout = idleTimeout;
        this.writeBatch = writeBatch;
        this.absoluteTime = absoluteTime;
        this.corsOrigin = corsOrigin;
        this.apiToken = apiToken;
        this.routes = routes;
        this.tls = tls;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.proxyProtocol = proxyProtocol;
        this.bindAddress = bindAddress;
        this.api = api;
        this.metrics = metrics;
        this.tokenForReads = tokenForReads;
    }

    /**
     * Returns the TCP port; 0 picks a free one.
     *
     * @return the TCP port; 0 picks a free one
     */
    public int port() {
        return port;
    }

    /**
     * Returns longest request line.
     *
     * @return longest request line
     */
    public int maxInitialLineLength() {
        return maxInitialLineLength;
    }

    /**
     * Returns largest header block.
     *
     * @return largest header block
     */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    /**
     * Returns largest request body.
     *
     * @return largest request body
     */
    public int maxContentLength() {
        return maxContentLength;
    }

    /**
     * Returns time for a whole request to arrive.
     *
     * @return time for a whole request to arrive
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Returns hTTP connections at once.
     *
     * @return hTTP connections at once
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Returns time a connection may go without reading or writing, or with its peer taking nothing.
     *
     * @return time a connection may go without reading or writing, or with its peer taking nothing
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Returns how long an FLV player's frames may wait to be written together; zero for at once.
     *
     * @return how long an FLV player's frames may wait to be written together; zero for at once
     */
    public Duration writeBatch() {
        return writeBatch;
    }

    /**
     * Returns whether FLV players see the stream's clock rather than a timeline of their own from 0.
     *
     * @return whether FLV players see the stream's clock rather than a timeline of their own from 0
     */
    public boolean absoluteTime() {
        return absoluteTime;
    }

    /**
     * Returns the {@code Access-Control-Allow-Origin} value.
     *
     * @return the {@code Access-Control-Allow-Origin} value
     */
    public String corsOrigin() {
        return corsOrigin;
    }

    /**
     * Returns the bearer token mutating API calls need, or {@code null} to turn them off.
     *
     * @return the bearer token mutating API calls need, or {@code null} to turn them off
     */
    public String apiToken() {
        return apiToken;
    }

    /**
     * Returns the application's routes by path prefix, in the order added.
     *
     * @return the application's routes by path prefix, in the order added
     */
    public Map<String, HttpRoute> routes() {
        return routes;
    }

    /**
     * Returns hTTPS on a second port with the same routes, or {@code null} for none.
     *
     * @return hTTPS on a second port with the same routes, or {@code null} for none
     */
    public TlsConfig tls() {
        return tls;
    }

    /**
     * Returns hTTP connections at once from one client address.
     *
     * @return hTTP connections at once from one client address
     */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /**
     * Returns whether each connection starts with a PROXY protocol header naming the client .
     *
     * @return whether each connection starts with a PROXY protocol header naming the client 
     */
    public boolean proxyProtocol() {
        return proxyProtocol;
    }

    /**
     * Returns whether the JSON API under {@code /api/} is served.
     *
     * @return whether the JSON API under {@code /api/} is served
     */
    public boolean api() {
        return api;
    }

    /**
     * Returns whether Prometheus metrics are served at {@code /metrics}.
     *
     * @return whether Prometheus metrics are served at {@code /metrics}
     */
    public boolean metrics() {
        return metrics;
    }

    /**
     * Returns whether reading the API and the metrics needs the API token too.
     *
     * @return whether reading the API and the metrics needs the API token too
     */
    public boolean tokenForReads() {
        return tokenForReads;
    }

    /**
     * Returns the local address listened on, or {@code null} for every address.
     *
     * @return the local address listened on, or {@code null} for every address
     */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpConfig o && port == o.port && maxInitialLineLength == o.maxInitialLineLength
                && maxHeaderSize == o.maxHeaderSize && maxContentLength == o.maxContentLength
                && Objects.equals(requestTimeout, o.requestTimeout) && maxConnections == o.maxConnections
                && Objects.equals(idleTimeout, o.idleTimeout) && Objects.equals(writeBatch, o.writeBatch)
                && absoluteTime == o.absoluteTime && Objects.equals(corsOrigin, o.corsOrigin)
                && Objects.equals(apiToken, o.apiToken) && Objects.equals(routes, o.routes)
                && Objects.equals(tls, o.tls) && maxConnectionsPerAddress == o.maxConnectionsPerAddress
                && proxyProtocol == o.proxyProtocol
                && Objects.equals(bindAddress, o.bindAddress) && api == o.api && metrics == o.metrics
                && tokenForReads == o.tokenForReads;
    }

    @Override
    public int hashCode() {
        return Objects.hash(port, maxInitialLineLength, maxHeaderSize, maxContentLength, requestTimeout
                , maxConnections, idleTimeout, writeBatch, absoluteTime, corsOrigin, apiToken, routes, tls
                , maxConnectionsPerAddress, proxyProtocol, bindAddress, api, metrics,
                tokenForReads);
    }

    @Override
    public String toString() {
        return "HttpConfig[" + "port=" + port + ", " + "maxInitialLineLength=" + maxInitialLineLength
                + ", " + "maxHeaderSize=" + maxHeaderSize + ", " + "maxContentLength=" + maxContentLength
                + ", " + "requestTimeout=" + requestTimeout + ", " + "maxConnections=" + maxConnections
                + ", " + "idleTimeout=" + idleTimeout + ", " + "writeBatch=" + writeBatch
                + ", " + "absoluteTime=" + absoluteTime + ", " + "corsOrigin=" + corsOrigin
                + ", " + "apiToken=" + apiToken + ", " + "routes=" + routes + ", " + "tls=" + tls
                + ", " + "maxConnectionsPerAddress=" + maxConnectionsPerAddress
                + ", " + "proxyProtocol=" + proxyProtocol + ", bindAddress=" + bindAddress
                + ", api=" + api + ", metrics=" + metrics + ", tokenForReads=" + tokenForReads + "]";
    }

    /**
     * Starts a configuration with the defaults.
     *
     * @param port the TCP port; 0 picks a free one
     * @return a builder
     */
    public static Builder builder(int port) {
        return new Builder(port);
    }

    /** Collects {@link HttpConfig}'s settings; each setter checks its argument at once. */
    public static final class Builder {
        private final int port;
        private int maxInitialLineLength = DEFAULT_MAX_INITIAL_LINE_LENGTH;
        private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
        private int maxContentLength = DEFAULT_MAX_CONTENT_LENGTH;
        private Duration requestTimeout = Duration.ofSeconds(DEFAULT_REQUEST_TIMEOUT_SECONDS);
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private boolean proxyProtocol;
        private InetAddress bindAddress;
        private boolean api = true;
        private boolean metrics = true;
        private boolean tokenForReads;
        private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
        private Duration writeBatch = Duration.ofMillis(DEFAULT_WRITE_BATCH_MILLIS);
        private boolean absoluteTime;
        private String corsOrigin = "*";
        private String apiToken;
        private final Map<String, HttpRoute> routes = new LinkedHashMap<>();
        private TlsConfig tls;

        Builder(int port) {
            this.port = check("port", port, 0, 65_535);
        }

        /**
         * Sets the longest request line (method, URI, version).
         *
         * @param length 256 to 65536
         * @return this builder
         */
        public Builder maxInitialLineLength(int length) {
            this.maxInitialLineLength = check("maxInitialLineLength", length, 256, 65_536);
            return this;
        }

        /**
         * Sets the largest header block.
         *
         * @param bytes 1024 to 1 MiB
         * @return this builder
         */
        public Builder maxHeaderSize(int bytes) {
            this.maxHeaderSize = check("maxHeaderSize", bytes, 1024, 1 << 20);
            return this;
        }

        /**
         * Sets the largest request body.
         *
         * @param bytes 0 to 16 MiB
         * @return this builder
         */
        public Builder maxContentLength(int bytes) {
            this.maxContentLength = check("maxContentLength", bytes, 0, 16 << 20);
            return this;
        }

        /**
         * Sets the time within which a whole request must arrive, from the connection's start
         * or the end of the previous response.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout " + timeout + " must be above zero");
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Sets how many HTTP connections may be open at once.
         *
         * @param connections at least 1
         * @return this builder
         */
        public Builder maxConnections(int connections) {
            this.maxConnections = check("maxConnections", connections, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Sets how long a connection may go without reading or writing a byte, or with its peer
         * taking none of what it is sent (its socket full the whole time), before it is closed. An
         * HTTP-FLV or WebSocket-FLV player whose machine vanished is then gone within this time,
         * not after the minutes TCP retransmits for, and its subscription with it.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout " + timeout + " must be above zero");
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Sets which clock HTTP-FLV and WebSocket-FLV players' timestamps follow: by default a
         * timeline of each player's own that starts at 0 with its first frame; with absolute
         * time the stream's clock (see {@code RtmpConfig.Builder.absoluteTime}).
         *
         * @param absolute {@code true} for the stream's clock; default {@code false}
         * @return this builder
         */
        public Builder absoluteTime(boolean absolute) {
            this.absoluteTime = absolute;
            return this;
        }

        /**
         * Sets how long an HTTP-FLV or WebSocket-FLV player's frames may wait on the server to be
         * written together (see {@code RtmpConfig.Builder.writeBatch}); the first frames go at once.
         *
         * @param window 0 to {@value WriteBatching#MAX_WINDOW_MILLIS} ms;
         *     {@link Duration#ZERO} writes every frame as it comes
         * @return this builder
         */
        public Builder writeBatch(Duration window) {
            this.writeBatch = WriteBatching.check(window);
            return this;
        }

        /**
         * Sets the origin browsers may play from ({@code Access-Control-Allow-Origin}).
         *
         * @param origin {@code *} or one origin such as {@code https://player.example}
         * @return this builder
         */
        public Builder corsOrigin(String origin) {
            this.corsOrigin = Objects.requireNonNull(origin, "origin");
            return this;
        }

        /**
         * Turns on the API's mutating calls (kicking publishers and clients), guarded by a
         * bearer token.
         *
         * @param token at least 16 characters
         * @return this builder
         */
        public Builder apiToken(String token) {
            Objects.requireNonNull(token, "token");
            if (token.length() < 16) {
                throw new IllegalArgumentException("apiToken must be at least 16 characters: it guards kicking streams");
            }
            this.apiToken = token;
            return this;
        }

        /**
         * Serves an application route below a path prefix: the prefix itself and every path
         * under it ({@code /hello} takes {@code /hello} and {@code /hello/world}, not
         * {@code /helloworld}). When prefixes nest, the longest that matches wins. The API,
         * the metrics and streams keep their paths: a prefix may not be {@code /api} or
         * {@code /metrics} or lie below them, nor end in {@code .flv}; {@code /} takes what
         * nothing else does.
         *
         * @param pathPrefix starts with {@code /}, no trailing {@code /} (but {@code /} itself),
         *     no empty, {@code .} or {@code ..} segment, no {@code %}, {@code ?}, {@code #} or backslash
         * @param route the handler
         * @return this builder
         * @throws IllegalArgumentException when the prefix is malformed, clashes with the
         *     server's own paths, or is already taken
         */
        public Builder route(String pathPrefix, HttpRoute route) {
            String prefix = checkPrefix(pathPrefix);
            Objects.requireNonNull(route, "route");
            if (routes.containsKey(prefix)) {
                throw new IllegalArgumentException("route prefix " + prefix + " is already taken");
            }
            routes.put(prefix, route);
            return this;
        }

        /**
         * Sets how many connections one client address may have open at once.
         *
         * @param connections at least 1; default {@value HttpConfig#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}
         * @return this builder
         */
        public Builder maxConnectionsPerAddress(int connections) {
            this.maxConnectionsPerAddress = check("maxConnectionsPerAddress", connections, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Expects the PROXY protocol (version 1 or 2, as HAProxy, AWS NLB and others send it)
         * at the start of every connection, on the HTTP and the HTTPS port: the header names the
         * client the load balancer relayed, and that address is the one the connection limits,
         * the memory budget, auth requests, logs and {@code /api/clients} see. A connection whose
         * header is missing, malformed or later than the {@code requestTimeout} is closed with one
         * log line. A {@code LOCAL} header (the proxy's own health check) keeps the proxy's
         * address. Turn it on only when every client comes through such a proxy: a client that
         * connects directly could name any address.
         *
         * @param on {@code true} to expect the header; default {@code false}
         * @return this builder
         */
        public Builder proxyProtocol(boolean on) {
            this.proxyProtocol = on;
            return this;
        }

        /**
         * Serves the JSON API under {@code /api/} (streams, clients, kicking); off, its paths
         * are 404 like any other.
         *
         * @param on {@code false} to leave the API out; default {@code true}
         * @return this builder
         */
        public Builder api(boolean on) {
            this.api = on;
            return this;
        }

        /**
         * Serves Prometheus metrics at {@code /metrics}; off, the path is 404 like any other.
         *
         * @param on {@code false} to leave the metrics out; default {@code true}
         * @return this builder
         */
        public Builder metrics(boolean on) {
            this.metrics = on;
            return this;
        }

        /**
         * Makes reads of the API ({@code GET /api/...}) and of {@code /metrics} need
         * {@code Authorization: Bearer <apiToken>} too, as its mutating calls always do: client
         * addresses and stream names are then for the token's holders only. Prometheus sends
         * the token with {@code authorization: {credentials: ...}} in its scrape config.
         * {@link #build()} refuses it without an {@link #apiToken(String)}.
         *
         * @param on {@code true} to protect reads; default {@code false}
         * @return this builder
         */
        public Builder tokenForReads(boolean on) {
            this.tokenForReads = on;
            return this;
        }

        /**
         * Listens on one local address only (a private interface, or the loopback behind a
         * reverse proxy) instead of every address of the machine.
         *
         * @param address the address, or {@code null} for every address (the default)
         * @return this builder
         */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = address;
            return this;
        }

        /**
         * Also serves HTTPS on a second port, with the application's certificate: the same
         * streams, API and routes as the plain port.
         *
         * @param port the TCP port; 0 picks a free one
         * @param certificateChain a PEM file with the certificate and its chain
         * @param privateKey a PEM file with the PKCS#8 private key
         * @return this builder
         * @throws IllegalArgumentException when a file is not readable
         */
        public Builder tls(int port, java.nio.file.Path certificateChain, java.nio.file.Path privateKey) {
            this.tls = TlsConfig.of(port, certificateChain, privateKey);
            return this;
        }

        /**
         * Creates the configuration.
         *
         * @return the checked settings
         */
        public HttpConfig build() {
            return new HttpConfig(port, maxInitialLineLength, maxHeaderSize, maxContentLength, requestTimeout,
                    maxConnections, idleTimeout, writeBatch, absoluteTime, corsOrigin, apiToken, routes, tls,
                    maxConnectionsPerAddress, proxyProtocol, bindAddress, api, metrics, tokenForReads);
        }

        static String checkPrefix(String prefix) {
            Objects.requireNonNull(prefix, "pathPrefix");
            if (!prefix.startsWith("/")) {
                throw new IllegalArgumentException("route prefix '" + prefix + "' must start with /");
            }
            if (prefix.length() > 1 && prefix.endsWith("/")) {
                throw new IllegalArgumentException("route prefix '" + prefix + "' must not end with /: write '"
                        + prefix.substring(0, prefix.length() - 1) + "', which also takes the paths below it");
            }
            for (char c : new char[] {'%', '?', '#', '\\', '\0', ' '}) {
                if (prefix.indexOf(c) >= 0) {
                    throw new IllegalArgumentException("route prefix '" + prefix + "' contains '" + c + "'");
                }
            }
            if (prefix.length() > 1) {
                for (String segment : prefix.substring(1).split("/", -1)) {
                    if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                        throw new IllegalArgumentException("route prefix '" + prefix
                                + "' has an empty, '.' or '..' segment");
                    }
                }
            }
            for (String reserved : new String[] {"/api", "/metrics"}) {
                if (prefix.equals(reserved) || prefix.startsWith(reserved + "/")) {
                    throw new IllegalArgumentException("route prefix '" + prefix + "' clashes with the server's "
                            + reserved + "; choose another prefix");
                }
            }
            if (prefix.endsWith(".flv")) {
                throw new IllegalArgumentException("route prefix '" + prefix
                        + "' ends in .flv, which the port serves as HTTP-FLV streams");
            }
            return prefix;
        }

        static int check(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " " + value + " outside " + min + "-" + max);
            }
            return value;
        }
    }
}
