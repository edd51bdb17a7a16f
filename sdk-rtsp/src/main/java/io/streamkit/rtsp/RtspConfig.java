package io.streamkit.rtsp;

import io.streamkit.transport.WriteBatching;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * RTSP server settings, immutable; built with {@link #builder(int)}, or through
 * {@code MediaServer.builder().rtsp(8554, r -> r.sessionTimeout(Duration.ofSeconds(30)))}.
 *
 * <table>
 *   <caption>Limits and their defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code maxConnections}</td><td>{@value #DEFAULT_MAX_CONNECTIONS}</td><td>a bound on file descriptors and memory</td></tr>
 *   <tr><td>{@code maxConnectionsPerAddress}</td><td>{@value #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}</td><td>one client address cannot take every slot</td></tr>
 *   <tr><td>{@code maxRequestSize}</td><td>{@value #DEFAULT_MAX_REQUEST_SIZE} bytes</td><td>a request's line and headers: clients send a few hundred bytes</td></tr>
 *   <tr><td>{@code maxContentLength}</td><td>{@value #DEFAULT_MAX_CONTENT_LENGTH} bytes</td><td>an ANNOUNCE's SDP: a few hundred bytes, a few kilobytes with many tracks</td></tr>
 *   <tr><td>{@code maxAccessUnitSize}</td><td>{@value #DEFAULT_MAX_ACCESS_UNIT_SIZE} bytes</td><td>a published video frame rebuilt from RTP: a 4K keyframe at a high bitrate, as RTMP's message limit</td></tr>
 *   <tr><td>{@code requestTimeout}</td><td>{@value #DEFAULT_REQUEST_TIMEOUT_SECONDS} s</td><td>from the accepted connection to its first whole request, and from a request's first byte to its last: a real client sends a request in one write</td></tr>
 *   <tr><td>{@code sessionTimeout}</td><td>{@value #DEFAULT_SESSION_TIMEOUT_SECONDS} s</td><td>RFC 2326's default, announced in each {@code Session} header: a connection that sends no request, RTP or RTCP that long, and takes no media over TCP, is closed; players send keep-alives at half of it</td></tr>
 *   <tr><td>{@code udpPort}</td><td>0: a free even port and the next</td><td>the server's RTP port (RTCP the next) for UDP players; -1 serves TCP only</td></tr>
 *   <tr><td>{@code writeBatch}</td><td>{@value #DEFAULT_WRITE_BATCH_MILLIS} ms</td><td>frames go out each engine batch: a longer burst than a receiver's jitter buffer makes its packets late</td></tr>
 * </table>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2326">RFC 2326</a>
 */
public final class RtspConfig {
    /** Default connection limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Default connection limit per client address. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
    /** Default largest request line and headers. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 8_192;
    /** Default largest request body (an ANNOUNCE's SDP). */
    public static final int DEFAULT_MAX_CONTENT_LENGTH = 65_536;
    /** Default largest access unit a publisher's RTP rebuilds. */
    public static final int DEFAULT_MAX_ACCESS_UNIT_SIZE = 8 << 20;
    /** Default time limit of a request, in seconds. */
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
    /** Default session timeout, in seconds (RFC 2326 12.37). */
    public static final int DEFAULT_SESSION_TIMEOUT_SECONDS = 60;
    /**
     * Default write batch window in milliseconds: none. RTP receivers keep a jitter buffer of a
     * set length (GStreamer's rtspsrc 2 s by default, often 200 ms in low-latency set-ups) and
     * take a burst longer than it as late packets, so RTSP players get their frames each engine
     * batch, unlike RTMP's and HTTP's ({@link WriteBatching#DEFAULT_WINDOW_MILLIS} ms).
     */
    public static final int DEFAULT_WRITE_BATCH_MILLIS = 0;
    /** The {@code udpPort} that serves players over TCP only. */
    public static final int NO_UDP = -1;

    private final int port;
    private final InetAddress bindAddress;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final int maxRequestSize;
    private final int maxContentLength;
    private final int maxAccessUnitSize;
    private final Duration requestTimeout;
    private final Duration sessionTimeout;
    private final int udpPort;
    private final Duration writeBatch;

    private RtspConfig(Builder b) {
        this.port = b.port;
        this.bindAddress = b.bindAddress;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.maxRequestSize = b.maxRequestSize;
        this.maxContentLength = b.maxContentLength;
        this.maxAccessUnitSize = b.maxAccessUnitSize;
        this.requestTimeout = b.requestTimeout;
        this.sessionTimeout = b.sessionTimeout;
        this.udpPort = b.udpPort;
        this.writeBatch = b.writeBatch;
    }

    /**
     * Starts the settings of a server on a port.
     *
     * @param port the TCP port, 0 to 65535; 0 picks a free one
     * @return a builder with the defaults
     */
    public static Builder builder(int port) {
        return new Builder(port);
    }

    /** @return the TCP port; 0 picks a free one */
    public int port() {
        return port;
    }

    /** @return the address to listen on, or {@code null} for every address */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** @return RTSP connections at once */
    public int maxConnections() {
        return maxConnections;
    }

    /** @return RTSP connections at once from one client address */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** @return the largest request line and headers, in bytes */
    public int maxRequestSize() {
        return maxRequestSize;
    }

    /** @return the largest request body, in bytes */
    public int maxContentLength() {
        return maxContentLength;
    }

    /** @return the largest access unit rebuilt from a publisher's RTP, in bytes */
    public int maxAccessUnitSize() {
        return maxAccessUnitSize;
    }

    /** @return the time limit of a request, and of the first one */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** @return how long a connection may stay silent */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /** @return the server's RTP port for UDP players (RTCP is the next), 0 for a free pair, {@link #NO_UDP} for none */
    public int udpPort() {
        return udpPort;
    }

    /** @return the write batch window, zero to write every frame at once */
    public Duration writeBatch() {
        return writeBatch;
    }

    @Override
    public String toString() {
        return "RtspConfig{port=" + port + ", udpPort=" + udpPort + ", sessionTimeout=" + sessionTimeout + '}';
    }

    /** Builds {@link RtspConfig}; each setter checks its argument at once. */
    public static final class Builder {
        private final int port;
        private InetAddress bindAddress;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int maxRequestSize = DEFAULT_MAX_REQUEST_SIZE;
        private int maxContentLength = DEFAULT_MAX_CONTENT_LENGTH;
        private int maxAccessUnitSize = DEFAULT_MAX_ACCESS_UNIT_SIZE;
        private Duration requestTimeout = Duration.ofSeconds(DEFAULT_REQUEST_TIMEOUT_SECONDS);
        private Duration sessionTimeout = Duration.ofSeconds(DEFAULT_SESSION_TIMEOUT_SECONDS);
        private int udpPort;
        private Duration writeBatch = Duration.ofMillis(DEFAULT_WRITE_BATCH_MILLIS);

        private Builder(int port) {
            this.port = check("port", port, 0, 65_535);
        }

        /**
         * Listens on one address only.
         *
         * @param address the address, or {@code null} for every address
         * @return this builder
         */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = address;
            return this;
        }

        /**
         * Limits the connections at once.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxConnections(int max) {
            this.maxConnections = check("maxConnections", max, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Limits the connections at once from one client address.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxConnectionsPerAddress(int max) {
            this.maxConnectionsPerAddress = check("maxConnectionsPerAddress", max, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Limits a request's line and headers.
         *
         * @param bytes 256 to 1 MiB
         * @return this builder
         */
        public Builder maxRequestSize(int bytes) {
            this.maxRequestSize = check("maxRequestSize", bytes, 256, 1 << 20);
            return this;
        }

        /**
         * Limits a request's body (an ANNOUNCE's SDP).
         *
         * @param bytes 0 to 1 MiB
         * @return this builder
         */
        public Builder maxContentLength(int bytes) {
            this.maxContentLength = check("maxContentLength", bytes, 0, 1 << 20);
            return this;
        }

        /**
         * Limits the access units a publisher's RTP may rebuild.
         *
         * @param bytes 1 KiB to 64 MiB
         * @return this builder
         */
        public Builder maxAccessUnitSize(int bytes) {
            this.maxAccessUnitSize = check("maxAccessUnitSize", bytes, 1024, 64 << 20);
            return this;
        }

        /**
         * Sets the time limit of a request, and from the connection to its first request.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /**
         * Sets how long a connection may stay silent; announced to clients in the {@code Session} header.
         *
         * @param timeout 1 s or more, in whole seconds
         * @return this builder
         */
        public Builder sessionTimeout(Duration timeout) {
            positive("sessionTimeout", timeout);
            if (timeout.toSeconds() < 1) {
                throw new IllegalArgumentException("sessionTimeout must be at least 1 s: " + timeout);
            }
            this.sessionTimeout = timeout;
            return this;
        }

        /**
         * Sets the server's RTP port for UDP players; RTCP takes the next one.
         *
         * @param rtpPort an even port up to 65534, 0 for a free pair, or {@link #NO_UDP} to serve over TCP only
         * @return this builder
         */
        public Builder udpPort(int rtpPort) {
            if (rtpPort != NO_UDP && (rtpPort < 0 || rtpPort > 65_534 || rtpPort % 2 != 0)) {
                throw new IllegalArgumentException("udpPort must be an even port up to 65534, 0 or -1: " + rtpPort);
            }
            this.udpPort = rtpPort;
            return this;
        }

        /**
         * Sets the write batch window of players over TCP.
         *
         * @param window 0 to {@link WriteBatching#MAX_WINDOW_MILLIS} ms
         * @return this builder
         */
        public Builder writeBatch(Duration window) {
            this.writeBatch = WriteBatching.check(window);
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         */
        public RtspConfig build() {
            return new RtspConfig(this);
        }

        private static int check(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be " + min + " to " + max + ": " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be above zero: " + value);
            }
            return value;
        }
    }
}
