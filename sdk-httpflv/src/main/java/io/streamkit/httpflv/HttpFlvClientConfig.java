package io.streamkit.httpflv;

import io.streamkit.format.flv.FlvReader;
import io.streamkit.format.flv.FlvTagHeader;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP-FLV relay client's timeouts and limits, shared by every {@code http://} and
 * {@code https://} puller of a server, built inside
 * {@code MediaServer.builder().httpFlvClient(c -> c.startTimeout(Duration.ofSeconds(5)))}.
 *
 * <table>
 * <caption>What the puller bounds</caption>
 * <tr><th>setting</th><th>default</th><th>on excess</th></tr>
 * <tr><td>{@code connectTimeout}: the TCP connect</td><td>10 s</td>
 *     <td>{@code start()} fails with Netty's {@code ConnectTimeoutException}</td></tr>
 * <tr><td>{@code startTimeout}: from the connection to the first track</td><td>15 s</td>
 *     <td>{@code start()} fails with a protocol exception naming the limit</td></tr>
 * <tr><td>{@code idleTimeout}: no byte from the origin</td><td>30 s</td>
 *     <td>the pull ends with a protocol exception naming the limit</td></tr>
 * <tr><td>{@code maxTagSize}: an FLV tag's DataSize</td><td>{@value #DEFAULT_MAX_TAG_SIZE} bytes</td>
 *     <td>the pull ends with a {@link io.streamkit.codec.MediaFormatException}</td></tr>
 * <tr><td>{@code maxHeaderSize}: the response's header lines together</td>
 *     <td>{@value #DEFAULT_MAX_HEADER_SIZE} bytes</td><td>the pull ends with a protocol exception naming the limit</td></tr>
 * </table>
 *
 * <p>{@code https://} trusts the JVM's default trust store and verifies the host name. A final
 * class made with its {@link Builder}, so that settings can be added without breaking callers.
 */
public final class HttpFlvClientConfig {

    /**
     * Default connect timeout, 10 s: a reachable origin answers a SYN in well under a second,
     * even across continents; one that has not in 10 s is down or filtered, and the relay above
     * the puller retries sooner than TCP's own minutes of SYN retransmissions would give up.
     */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Default start timeout, 15 s: an origin that has the stream answers and sends its cached
     * sequence headers within a second or two of the request; the rest covers a slow TLS
     * handshake over a long path. Waiting for a stream the origin does not have yet is the
     * retrying relay's job, not one connection's.
     */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Default idle timeout, 30 s: a live stream sends bytes many times a second (an audio frame
     * every 20 to 40 ms, a video frame per picture), so half a minute of silence is a stalled
     * origin or a dead path, which TCP alone would keep open for many minutes.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Default largest tag body, 8 MiB, the FLV reader's own default: a keyframe of a
     * high-bitrate 4K stream is a few MiB, and the bound is what one hostile tag header can make
     * the puller buffer.
     */
    public static final int DEFAULT_MAX_TAG_SIZE = FlvReader.DEFAULT_MAX_TAG_SIZE;

    /**
     * Default largest response header block, 16 KiB: an origin's headers are a few hundred bytes
     * and a CDN's cookies and tracing headers a few KiB more; twice Netty's 8 KiB default leaves
     * room for them while bounding what a peer makes the puller buffer before the body.
     */
    public static final int DEFAULT_MAX_HEADER_SIZE = 16 << 10;

    /** Smallest header limit accepted: 1 KiB, below which ordinary servers' headers are refused. */
    public static final int MIN_HEADER_SIZE = 1 << 10;

    /** Largest header limit accepted: 1 MiB, far past any real server, a bound on a mistaken setting. */
    public static final int MAX_HEADER_SIZE = 1 << 20;

    private final Duration connectTimeout;
    private final Duration startTimeout;
    private final Duration idleTimeout;
    private final int maxTagSize;
    private final int maxHeaderSize;

    private HttpFlvClientConfig(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.startTimeout = b.startTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxTagSize = b.maxTagSize;
        this.maxHeaderSize = b.maxHeaderSize;
    }

    /**
     * Returns the defaults of the table above.
     *
     * @return the settings
     */
    public static HttpFlvClientConfig defaults() {
        return builder().build();
    }

    /**
     * Starts a configuration with the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns how long the TCP connect may take.
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns how long from the connection (TLS handshake and response included) to the first track.
     *
     * @return the timeout
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * Returns how long the origin may send nothing before the pull ends.
     *
     * @return the timeout
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Returns the largest FLV tag body accepted.
     *
     * @return bytes
     */
    public int maxTagSize() {
        return maxTagSize;
    }

    /**
     * Returns the largest response header block accepted.
     *
     * @return bytes
     */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpFlvClientConfig c && connectTimeout.equals(c.connectTimeout)
                && startTimeout.equals(c.startTimeout) && idleTimeout.equals(c.idleTimeout)
                && maxTagSize == c.maxTagSize && maxHeaderSize == c.maxHeaderSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectTimeout, startTimeout, idleTimeout, maxTagSize, maxHeaderSize);
    }

    @Override
    public String toString() {
        return "HttpFlvClientConfig[connectTimeout=" + connectTimeout + ", startTimeout=" + startTimeout
                + ", idleTimeout=" + idleTimeout + ", maxTagSize=" + maxTagSize + ", maxHeaderSize=" + maxHeaderSize + "]";
    }

    /** Collects {@link HttpFlvClientConfig}'s settings; each setter checks its argument at once. */
    public static final class Builder {
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxTagSize = DEFAULT_MAX_TAG_SIZE;
        private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;

        Builder() {
        }

        /**
         * Sets how long the TCP connect may take.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /**
         * Sets how long from the connection to the first track.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = positive("startTimeout", timeout);
            return this;
        }

        /**
         * Sets how long the origin may send nothing before the pull ends.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        /**
         * Sets the largest FLV tag body accepted.
         *
         * @param bytes 1 to {@link FlvTagHeader#MAX_DATA_SIZE}
         * @return this builder
         */
        public Builder maxTagSize(int bytes) {
            if (bytes < 1 || bytes > FlvTagHeader.MAX_DATA_SIZE) {
                throw new IllegalArgumentException("maxTagSize " + bytes + " is outside 1 to " + FlvTagHeader.MAX_DATA_SIZE);
            }
            this.maxTagSize = bytes;
            return this;
        }

        /**
         * Sets the largest response header block accepted.
         *
         * @param bytes {@value HttpFlvClientConfig#MIN_HEADER_SIZE} to {@value HttpFlvClientConfig#MAX_HEADER_SIZE}
         * @return this builder
         */
        public Builder maxHeaderSize(int bytes) {
            if (bytes < MIN_HEADER_SIZE || bytes > MAX_HEADER_SIZE) {
                throw new IllegalArgumentException("maxHeaderSize " + bytes + " is outside " + MIN_HEADER_SIZE
                        + " to " + MAX_HEADER_SIZE);
            }
            this.maxHeaderSize = bytes;
            return this;
        }

        /**
         * Creates the configuration.
         *
         * @return the checked settings
         */
        public HttpFlvClientConfig build() {
            return new HttpFlvClientConfig(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be above zero, got " + value);
            }
            return value;
        }
    }
}
