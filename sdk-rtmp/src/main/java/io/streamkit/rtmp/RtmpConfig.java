package io.streamkit.rtmp;

import io.streamkit.transport.TlsConfig;
import io.streamkit.transport.WriteBatching;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The RTMP server's settings, built with {@link Builder} inside
 * {@code MediaServer.builder().rtmp(1935, r -> r.chunkSize(4096).maxMessageSize(8 << 20))}.
 *
 * <table>
 *   <caption>Limits and their defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code chunkSize}</td><td>{@value #DEFAULT_CHUNK_SIZE}</td><td>what SRS sends players with: a typical frame is one chunk, so each player writes it as two buffers (header, payload) instead of two per 4 KB; every RTMP client reads any chunk size the message length allows</td></tr>
 *   <tr><td>{@code maxMessageSize}</td><td>{@value #DEFAULT_MAX_MESSAGE_SIZE}</td><td>a 4K keyframe at a high bitrate, with room to spare</td></tr>
 *   <tr><td>{@code maxChunkStreams}</td><td>{@value #DEFAULT_MAX_CHUNK_STREAMS}</td><td>encoders use a handful</td></tr>
 *   <tr><td>{@code maxConnections}</td><td>{@value #DEFAULT_MAX_CONNECTIONS}</td><td>a bound on file descriptors and memory</td></tr>
 *   <tr><td>{@code maxStreamsPerConnection}</td><td>{@value #DEFAULT_MAX_STREAMS_PER_CONNECTION}</td><td>a client publishes or plays one or two</td></tr>
 *   <tr><td>{@code maxConnectionsPerAddress}</td><td>{@value #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}</td><td>one client address cannot take every slot; an edge server pulling hundreds of streams from one origin needs it raised</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>{@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s</td><td>from the accepted TCP connection to the {@code connect} command, handshake included: a real client sends it in its first round trips</td></tr>
 *   <tr><td>{@code startTimeout}</td><td>{@value #DEFAULT_START_TIMEOUT_SECONDS} s</td><td>from {@code connect} to the first {@code publish} or {@code play} command: encoders and players send it at once (a slow auth callback does not count, it has its own timeout)</td></tr>
 *   <tr><td>{@code handshakeTimeout}</td><td>{@value #DEFAULT_HANDSHAKE_TIMEOUT_SECONDS} s</td><td>a real client finishes in one round trip</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>{@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s</td><td>no byte in either direction that long, or a peer that takes nothing it is sent that long: the peer is gone</td></tr>
 *   <tr><td>{@code windowAckSize}</td><td>{@value #DEFAULT_WINDOW_ACK_SIZE}</td><td>what Flash Media Server announced; clients expect about this</td></tr>
 *   <tr><td>{@code writeBatch}</td><td>{@value #DEFAULT_WRITE_BATCH_MILLIS} ms</td><td>one write per player per window instead of one per frame, as the merged writes of the best C servers; 0 writes every frame at once</td></tr>
 *   <tr><td>{@code absoluteTime}</td><td>off</td><td>each player's timestamps start at 0, as a file's do; on, players see the stream's clock</td></tr>
 *   <tr><td>{@code bindAddress}</td><td>every address</td><td>one address only, such as a private interface</td></tr>
 *   <tr><td>{@code proxyProtocol}</td><td>off</td><td>on, every connection must start with a PROXY protocol header (v1 or v2) from a load balancer, within the {@code handshakeTimeout}; the client it names is the one limits, auth and logs see. Turn it on only behind such a proxy: a client could otherwise name any address</td></tr>
 * </table>
 *
 * <p>A final class rather than a record, so that settings can be added without breaking
 * callers; made with its {@link Builder}.
 */
public final class RtmpConfig {
    private final int port;
    private final int chunkSize;
    private final int maxMessageSize;
    private final int maxChunkStreams;
    private final int maxConnections;
    private final int maxStreamsPerConnection;
    private final Duration handshakeTimeout;
    private final Duration idleTimeout;
    private final int windowAckSize;
    private final Duration writeBatch;
    private final boolean absoluteTime;
    private final TlsConfig tls;
    private final int maxConnectionsPerAddress;
    private final Duration connectTimeout;
    private final Duration startTimeout;
    private final boolean proxyProtocol;
    private final InetAddress bindAddress;

    /** Default outgoing chunk size (see the table above for the reason). */
    public static final int DEFAULT_CHUNK_SIZE = 60_000;
    /** Default message size limit: 8 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 << 20;
    /** Default chunk stream limit. */
    public static final int DEFAULT_MAX_CHUNK_STREAMS = 64;
    /** Default connection limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Default stream limit per connection. */
    public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 8;
    /** Default limit of connections from one address. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
    /** Default time to the connect command in seconds. */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    /** Default time from connect to publish or play in seconds. */
    public static final int DEFAULT_START_TIMEOUT_SECONDS = 10;
    /** Default handshake timeout in seconds. */
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 10;
    /** Default idle timeout in seconds. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    /** Default acknowledgement window. */
    public static final int DEFAULT_WINDOW_ACK_SIZE = 2_500_000;

    /** Default write batch window in milliseconds: {@link WriteBatching#DEFAULT_WINDOW_MILLIS}, shared by every player protocol. */
    public static final int DEFAULT_WRITE_BATCH_MILLIS = WriteBatching.DEFAULT_WINDOW_MILLIS;
    /** Longest write batch: {@link WriteBatching#MAX_WINDOW_MILLIS}. */
    public static final int MAX_WRITE_BATCH_MILLIS = WriteBatching.MAX_WINDOW_MILLIS;

    /** Largest chunk size: RTMP message lengths are 24 bits, so no chunk can carry more. */
    public static final int MAX_CHUNK_SIZE = 0xFFFFFF;

    /**
     * Checks the settings.
     *
     * @param port the TCP port
     * @param chunkSize outgoing chunk size
     * @param maxMessageSize message size limit
     * @param maxChunkStreams chunk stream limit
     * @param maxConnections connection limit
     * @param maxStreamsPerConnection stream limit per connection
     * @param handshakeTimeout handshake time limit
     * @param idleTimeout idle time limit
     * @param windowAckSize announced acknowledgement window
     * @param writeBatch write batch window, zero to write each frame at once
     * @param absoluteTime whether players see the stream's clock
     * @param tls RTMPS settings, or {@code null}
     * @param maxConnectionsPerAddress connection limit per client address
     * @param connectTimeout time limit to the connect command
     * @param startTimeout time limit from connect to publish or play
     * @param proxyProtocol whether connections start with a PROXY protocol header
     */
    private RtmpConfig(int port, int chunkSize, int maxMessageSize, int maxChunkStreams, int maxConnections,
                       int maxStreamsPerConnection, Duration handshakeTimeout, Duration idleTimeout, int windowAckSize,
                       Duration writeBatch, boolean absoluteTime, TlsConfig tls, int maxConnectionsPerAddress,
                       Duration connectTimeout, Duration startTimeout, boolean proxyProtocol,
            InetAddress bindAddress) {
        Builder.check("port", port, 0, 65_535);
        Builder.check("chunkSize", chunkSize, 128, MAX_CHUNK_SIZE);
        Builder.check("maxMessageSize", maxMessageSize, 1024, MAX_CHUNK_SIZE);
        Builder.check("maxChunkStreams", maxChunkStreams, 2, 65_599);
        Builder.check("maxConnections", maxConnections, 1, Integer.MAX_VALUE);
        Builder.check("maxStreamsPerConnection", maxStreamsPerConnection, 1, 1024);
        Builder.checkPositive("handshakeTimeout", handshakeTimeout);
        Builder.checkPositive("idleTimeout", idleTimeout);
        Builder.check("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, Integer.MAX_VALUE);
        Builder.checkPositive("connectTimeout", connectTimeout);
        Builder.checkPositive("startTimeout", startTimeout);
        Builder.check("windowAckSize", windowAckSize, 4096, Integer.MAX_VALUE);
        WriteBatching.check(writeBatch);
        this.port = port;
        this.chunkSize = chunkSize;
        this.maxMessageSize = maxMessageSize;
        this.maxChunkStreams = maxChunkStreams;
        this.maxConnections = maxConnections;
        this.maxStreamsPerConnection = maxStreamsPerConnection;
        this.handshakeTimeout = handshakeTimeout;
        this.idleTimeout = idleTimeout;
        this.windowAckSize = windowAckSize;
        this.writeBatch = writeBatch;
        this.absoluteTime = absoluteTime;
        this.tls = tls;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.connectTimeout = connectTimeout;
        this.startTimeout = startTimeout;
        this.proxyProtocol = proxyProtocol;
        this.bindAddress = bindAddress;
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
     * Returns the chunk size this server announces and sends with.
     *
     * @return the chunk size this server announces and sends with
     */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Returns the largest message a client may send.
     *
     * @return the largest message a client may send
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Returns chunk streams per connection.
     *
     * @return chunk streams per connection
     */
    public int maxChunkStreams() {
        return maxChunkStreams;
    }

    /**
     * Returns rTMP connections at once.
     *
     * @return rTMP connections at once
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Returns {@code createStream} calls per connection.
     *
     * @return {@code createStream} calls per connection
     */
    public int maxStreamsPerConnection() {
        return maxStreamsPerConnection;
    }

    /**
     * Returns time for the handshake.
     *
     * @return time for the handshake
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Returns time without traffic, or with a peer that takes nothing, before a connection is closed.
     *
     * @return time without traffic, or with a peer that takes nothing, before a connection is closed
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Returns the acknowledgement window this server announces.
     *
     * @return the acknowledgement window this server announces
     */
    public int windowAckSize() {
        return windowAckSize;
    }

    /**
     * Returns how long a player's frames may wait to be written together; zero for at once.
     *
     * @return how long a player's frames may wait to be written together; zero for at once
     */
    public Duration writeBatch() {
        return writeBatch;
    }

    /**
     * Returns whether players see the stream's clock (SRS's {@code atc}) rather than a timeline of their own that starts at 0 with their first frame (the default).
     *
     * @return whether players see the stream's clock (SRS's {@code atc}) rather than a timeline of their own that starts at 0 with their first frame (the default)
     */
    public boolean absoluteTime() {
        return absoluteTime;
    }

    /**
     * Returns rTMPS on a second port, or {@code null} for none.
     *
     * @return rTMPS on a second port, or {@code null} for none
     */
    public TlsConfig tls() {
        return tls;
    }

    /**
     * Returns rTMP connections at once from one client address.
     *
     * @return rTMP connections at once from one client address
     */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /**
     * Returns time from the accepted connection to the {@code connect} command.
     *
     * @return time from the accepted connection to the {@code connect} command
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns time from {@code connect} to the first {@code publish} or {@code play}.
     *
     * @return time from {@code connect} to the first {@code publish} or {@code play}
     */
    public Duration startTimeout() {
        return startTimeout;
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
     * Returns the local address listened on, or {@code null} for every address.
     *
     * @return the local address listened on, or {@code null} for every address
     */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RtmpConfig o && port == o.port && chunkSize == o.chunkSize
                && maxMessageSize == o.maxMessageSize && maxChunkStreams == o.maxChunkStreams
                && maxConnections == o.maxConnections && maxStreamsPerConnection == o.maxStreamsPerConnection
                && Objects.equals(handshakeTimeout, o.handshakeTimeout) && Objects.equals(idleTimeout, o.idleTimeout)
                && windowAckSize == o.windowAckSize && Objects.equals(writeBatch, o.writeBatch)
                && absoluteTime == o.absoluteTime && Objects.equals(tls, o.tls)
                && maxConnectionsPerAddress == o.maxConnectionsPerAddress
                && Objects.equals(connectTimeout, o.connectTimeout) && Objects.equals(startTimeout, o.startTimeout)
                && proxyProtocol == o.proxyProtocol
                && Objects.equals(bindAddress, o.bindAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(port, chunkSize, maxMessageSize, maxChunkStreams, maxConnections, maxStreamsPerConnection
                , handshakeTimeout, idleTimeout, windowAckSize, writeBatch, absoluteTime, tls
                , maxConnectionsPerAddress, connectTimeout, startTimeout, proxyProtocol, bindAddress);
    }

    @Override
    public String toString() {
        return "RtmpConfig[" + "port=" + port + ", " + "chunkSize=" + chunkSize
                + ", " + "maxMessageSize=" + maxMessageSize + ", " + "maxChunkStreams=" + maxChunkStreams
                + ", " + "maxConnections=" + maxConnections
                + ", " + "maxStreamsPerConnection=" + maxStreamsPerConnection
                + ", " + "handshakeTimeout=" + handshakeTimeout + ", " + "idleTimeout=" + idleTimeout
                + ", " + "windowAckSize=" + windowAckSize + ", " + "writeBatch=" + writeBatch
                + ", " + "absoluteTime=" + absoluteTime + ", " + "tls=" + tls
                + ", " + "maxConnectionsPerAddress=" + maxConnectionsPerAddress
                + ", " + "connectTimeout=" + connectTimeout + ", " + "startTimeout=" + startTimeout
                + ", " + "proxyProtocol=" + proxyProtocol + ", bindAddress=" + bindAddress + "]";
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

    /** Collects {@link RtmpConfig}'s settings; each setter checks its argument at once. */
    public static final class Builder {
        private final int port;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxChunkStreams = DEFAULT_MAX_CHUNK_STREAMS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
        private Duration startTimeout = Duration.ofSeconds(DEFAULT_START_TIMEOUT_SECONDS);
        private boolean proxyProtocol;
        private InetAddress bindAddress;
        private int maxStreamsPerConnection = DEFAULT_MAX_STREAMS_PER_CONNECTION;
        private Duration handshakeTimeout = Duration.ofSeconds(DEFAULT_HANDSHAKE_TIMEOUT_SECONDS);
        private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
        private int windowAckSize = DEFAULT_WINDOW_ACK_SIZE;
        private Duration writeBatch = Duration.ofMillis(DEFAULT_WRITE_BATCH_MILLIS);
        private boolean absoluteTime;
        private TlsConfig tls;

        Builder(int port) {
            this.port = check("port", port, 0, 65_535);
        }

        /**
         * Sets the chunk size this server announces and sends with.
         *
         * @param size 128 to {@value RtmpConfig#MAX_CHUNK_SIZE}
         * @return this builder
         */
        public Builder chunkSize(int size) {
            this.chunkSize = check("chunkSize", size, 128, MAX_CHUNK_SIZE);
            return this;
        }

        /**
         * Sets the largest message a client may send; a larger one closes its connection.
         *
         * @param bytes 1024 to {@value RtmpConfig#MAX_CHUNK_SIZE}
         * @return this builder
         */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = check("maxMessageSize", bytes, 1024, MAX_CHUNK_SIZE);
            return this;
        }

        /**
         * Sets how many chunk streams a connection may use.
         *
         * @param streams 2 to 65599
         * @return this builder
         */
        public Builder maxChunkStreams(int streams) {
            this.maxChunkStreams = check("maxChunkStreams", streams, 2, 65_599);
            return this;
        }

        /**
         * Sets how many RTMP connections may be open at once; more are closed as they arrive.
         *
         * @param connections at least 1
         * @return this builder
         */
        public Builder maxConnections(int connections) {
            this.maxConnections = check("maxConnections", connections, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Sets how many streams one connection may create.
         *
         * @param streams 1 to 1024
         * @return this builder
         */
        public Builder maxStreamsPerConnection(int streams) {
            this.maxStreamsPerConnection = check("maxStreamsPerConnection", streams, 1, 1024);
            return this;
        }

        /**
         * Sets how many connections one client address may have open at once.
         *
         * @param connections at least 1; default {@value RtmpConfig#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}
         * @return this builder
         */
        public Builder maxConnectionsPerAddress(int connections) {
            this.maxConnectionsPerAddress = check("maxConnectionsPerAddress", connections, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Sets the time a client has from its TCP connection to its {@code connect} command, the
         * handshake included. A client that trickles bytes is closed at this deadline, however
         * slowly it sends.
         *
         * @param timeout above zero; default {@value RtmpConfig#DEFAULT_CONNECT_TIMEOUT_SECONDS} s
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = checkPositive("connectTimeout", timeout);
            return this;
        }

        /**
         * Sets the time a client has from its {@code connect} command to its first {@code publish}
         * or {@code play} command. The application's auth callback runs after that and has its own
         * timeout.
         *
         * @param timeout above zero; default {@value RtmpConfig#DEFAULT_START_TIMEOUT_SECONDS} s
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = checkPositive("startTimeout", timeout);
            return this;
        }

        /**
         * Sets the time a client has to finish the handshake.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = checkPositive("handshakeTimeout", timeout);
            return this;
        }

        /**
         * Sets the time after which a connection is closed when nothing was read or written, or
         * when its peer took nothing of what it was sent (its socket full the whole time, as a
         * player's whose machine vanished).
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = checkPositive("idleTimeout", timeout);
            return this;
        }

        /**
         * Sets the acknowledgement window this server announces to clients.
         *
         * @param bytes at least 4096
         * @return this builder
         */
        public Builder windowAckSize(int bytes) {
            this.windowAckSize = check("windowAckSize", bytes, 4096, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Sets how long a player's frames may wait on the server to be written together. Each
         * player is flushed once per window rather than once per frame, which saves most of the
         * system calls of a large audience; its first frames (the GOP cache) go out at once.
         *
         * @param window 0 to {@value RtmpConfig#MAX_WRITE_BATCH_MILLIS} ms; {@link Duration#ZERO}
         *     writes every frame as it comes; default {@value RtmpConfig#DEFAULT_WRITE_BATCH_MILLIS} ms
         * @return this builder
         */
        public Builder writeBatch(Duration window) {
            this.writeBatch = WriteBatching.check(window);
            return this;
        }

        /**
         * Sets which clock players' timestamps follow. By default each player has a timeline of
         * its own: its first frame is at 0 and later frames keep the stream's spacing, so a
         * player that joins a stream running for hours, or after its publisher reconnected, sees
         * no jump. With absolute time (SRS's {@code atc}) every player sees the stream's clock:
         * the publisher's own timestamps, continued across reconnects, which is what aligning
         * the same stream from several origins needs.
         *
         * @param absolute {@code true} for the stream's clock; default {@code false}
         * @return this builder
         */
        public Builder absoluteTime(boolean absolute) {
            this.absoluteTime = absolute;
            return this;
        }

        /**
         * Expects the PROXY protocol (version 1 or 2, as HAProxy, AWS NLB and others send it)
         * at the start of every connection, on the RTMP and the RTMPS port: the header names the
         * client the load balancer relayed, and that address is the one the connection limits,
         * the memory budget, auth requests, logs and the API see. A connection whose header is
         * missing, malformed or later than the {@code handshakeTimeout} is closed with one log
         * line. A {@code LOCAL} header (the proxy's own health check) keeps the proxy's address.
         * Turn it on only when every client comes through such a proxy: a client that connects
         * directly could name any address.
         *
         * @param on {@code true} to expect the header; default {@code false}
         * @return this builder
         */
        public Builder proxyProtocol(boolean on) {
            this.proxyProtocol = on;
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
         * Also serves RTMPS (RTMP in TLS) on a second port, with the application's certificate.
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
        public RtmpConfig build() {
            return new RtmpConfig(port, chunkSize, maxMessageSize, maxChunkStreams, maxConnections,
                    maxStreamsPerConnection, handshakeTimeout, idleTimeout, windowAckSize, writeBatch, absoluteTime, tls,
                    maxConnectionsPerAddress, connectTimeout, startTimeout, proxyProtocol, bindAddress);
        }

        static int check(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " " + value + " outside " + min + "-" + max);
            }
            return value;
        }

        static Duration checkPositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " " + value + " must be above zero");
            }
            return value;
        }
    }
}
