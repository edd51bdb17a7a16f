package io.streamkit.rtmp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The RTMP client's settings, shared by every RTMP puller and pusher of a
 * server, built inside {@code MediaServer.builder().rtmpClient(c -> c.connectTimeout(Duration.ofSeconds(5)))}.
 *
 * <table>
 *   <caption>Limits and their defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code connectTimeout}</td><td>{@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s</td><td>a reachable server answers a SYN in well under a second; past this it is down</td></tr>
 *   <tr><td>{@code handshakeTimeout}</td><td>{@value #DEFAULT_HANDSHAKE_TIMEOUT_SECONDS} s</td><td>a real server finishes in one round trip</td></tr>
 *   <tr><td>{@code startTimeout}</td><td>{@value #DEFAULT_START_TIMEOUT_SECONDS} s</td><td>from TCP connect to {@code NetStream.Publish.Start}, or to the first track of a pull: covers the server's auth callback and the remote encoder's first sequence header</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>{@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s</td><td>no byte in either direction that long, or a server that takes nothing it is sent that long: the peer is gone</td></tr>
 *   <tr><td>{@code maxMessageSize}</td><td>{@value #DEFAULT_MAX_MESSAGE_SIZE}</td><td>a 4K keyframe at a high bitrate, with room to spare</td></tr>
 *   <tr><td>{@code chunkSize}</td><td>{@value #DEFAULT_CHUNK_SIZE}</td><td>announced with Set Chunk Size before publishing, as OBS and ffmpeg do</td></tr>
 *   <tr><td>{@code reconnectMinDelay}</td><td>{@value #DEFAULT_RECONNECT_MIN_DELAY_SECONDS} s</td><td>a pusher's first retry: quick enough to hide a server restart</td></tr>
 *   <tr><td>{@code reconnectMaxDelay}</td><td>{@value #DEFAULT_RECONNECT_MAX_DELAY_SECONDS} s</td><td>the delay doubles up to this, so a dead server costs one attempt per half minute</td></tr>
 * </table>
 *
 * <p><b>RTMPS.</b> An {@code rtmps://} URL connects over TLS (port 443 unless the URL names
 * one), with SNI and host-name verification against the URL's host, and trusts the JVM's
 * default trust store (the system's CAs), as Facebook's, IVS's and YouTube's ingests need.
 * {@link Builder#trustCertificates(Path)} trusts the certificates of a PEM file instead: a
 * private CA, or a test server's self-signed certificate.
 *
 * <p>A final class rather than a record, so that settings can be added without breaking
 * callers; made with its {@link Builder}.
 */
public final class RtmpClientConfig {
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final Duration startTimeout;
    private final Duration idleTimeout;
    private final int maxMessageSize;
    private final int chunkSize;
    private final Duration reconnectMinDelay;
    private final Duration reconnectMaxDelay;
    private final Path trustCertificates;

    /** Default connect timeout in seconds. */
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    /** Default handshake timeout in seconds. */
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 10;
    /** Default start timeout in seconds. */
    public static final int DEFAULT_START_TIMEOUT_SECONDS = 15;
    /** Default idle timeout in seconds. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    /** Default message size limit: 8 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 << 20;
    /** Default outgoing chunk size. */
    public static final int DEFAULT_CHUNK_SIZE = 4096;
    /** Default first reconnect delay in seconds. */
    public static final int DEFAULT_RECONNECT_MIN_DELAY_SECONDS = 1;
    /** Default longest reconnect delay in seconds. */
    public static final int DEFAULT_RECONNECT_MAX_DELAY_SECONDS = 30;

    /**
     * Checks the settings.
     *
     * @param connectTimeout TCP connect time limit
     * @param handshakeTimeout handshake time limit
     * @param startTimeout time limit until play or publish started
     * @param idleTimeout idle time limit
     * @param maxMessageSize message size limit
     * @param chunkSize outgoing chunk size
     * @param reconnectMinDelay first reconnect delay
     * @param reconnectMaxDelay longest reconnect delay, at least {@code reconnectMinDelay}
     * @param trustCertificates a PEM file of the certificates RTMPS trusts, or {@code null} for the JVM's default
     */
    private RtmpClientConfig(Duration connectTimeout, Duration handshakeTimeout, Duration startTimeout,
                             Duration idleTimeout, int maxMessageSize, int chunkSize, Duration reconnectMinDelay,
                             Duration reconnectMaxDelay, Path trustCertificates) {
        RtmpConfig.Builder.checkPositive("connectTimeout", connectTimeout);
        RtmpConfig.Builder.checkPositive("handshakeTimeout", handshakeTimeout);
        RtmpConfig.Builder.checkPositive("startTimeout", startTimeout);
        RtmpConfig.Builder.checkPositive("idleTimeout", idleTimeout);
        RtmpConfig.Builder.check("maxMessageSize", maxMessageSize, 1024, RtmpConfig.MAX_CHUNK_SIZE);
        RtmpConfig.Builder.check("chunkSize", chunkSize, 128, RtmpConfig.MAX_CHUNK_SIZE);
        RtmpConfig.Builder.checkPositive("reconnectMinDelay", reconnectMinDelay);
        RtmpConfig.Builder.checkPositive("reconnectMaxDelay", reconnectMaxDelay);
        if (reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
            throw new IllegalArgumentException("reconnectMaxDelay " + reconnectMaxDelay
                    + " is below reconnectMinDelay " + reconnectMinDelay + "; raise the maximum");
        }
        this.connectTimeout = connectTimeout;
        this.handshakeTimeout = handshakeTimeout;
        this.startTimeout = startTimeout;
        this.idleTimeout = idleTimeout;
        this.maxMessageSize = maxMessageSize;
        this.chunkSize = chunkSize;
        this.reconnectMinDelay = reconnectMinDelay;
        this.reconnectMaxDelay = reconnectMaxDelay;
        this.trustCertificates = trustCertificates;
    }

    /**
     * Returns the defaults.
     *
     * @return the settings of the table above
     */
    public static RtmpClientConfig defaults() {
        return builder().build();
    }

    /**
     * Returns time for the TCP connection.
     *
     * @return time for the TCP connection
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns time for the RTMP handshake.
     *
     * @return time for the RTMP handshake
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Returns time from connecting until the play or publish has started.
     *
     * @return time from connecting until the play or publish has started
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * Returns time without traffic before the connection is closed.
     *
     * @return time without traffic before the connection is closed
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Returns the largest message the server may send.
     *
     * @return the largest message the server may send
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Returns the chunk size announced and sent with.
     *
     * @return the chunk size announced and sent with
     */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Returns a pusher's delay before its first reconnect attempt.
     *
     * @return a pusher's delay before its first reconnect attempt
     */
    public Duration reconnectMinDelay() {
        return reconnectMinDelay;
    }

    /**
     * Returns the most a pusher's doubling delay grows to .
     *
     * @return the most a pusher's doubling delay grows to 
     */
    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /**
     * Returns the certificates RTMPS connections trust instead of the JVM's default trust store.
     *
     * @return the PEM file, or empty for the default trust store
     */
    public Optional<Path> trustCertificates() {
        return Optional.ofNullable(trustCertificates);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RtmpClientConfig o && Objects.equals(connectTimeout, o.connectTimeout)
                && Objects.equals(handshakeTimeout, o.handshakeTimeout)
                && Objects.equals(startTimeout, o.startTimeout) && Objects.equals(idleTimeout, o.idleTimeout)
                && maxMessageSize == o.maxMessageSize && chunkSize == o.chunkSize
                && Objects.equals(reconnectMinDelay, o.reconnectMinDelay)
                && Objects.equals(reconnectMaxDelay, o.reconnectMaxDelay)
                && Objects.equals(trustCertificates, o.trustCertificates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectTimeout, handshakeTimeout, startTimeout, idleTimeout, maxMessageSize, chunkSize
                , reconnectMinDelay, reconnectMaxDelay, trustCertificates);
    }

    @Override
    public String toString() {
        return "RtmpClientConfig[" + "connectTimeout=" + connectTimeout
                + ", " + "handshakeTimeout=" + handshakeTimeout + ", " + "startTimeout=" + startTimeout
                + ", " + "idleTimeout=" + idleTimeout + ", " + "maxMessageSize=" + maxMessageSize
                + ", " + "chunkSize=" + chunkSize + ", " + "reconnectMinDelay=" + reconnectMinDelay
                + ", " + "reconnectMaxDelay=" + reconnectMaxDelay
                + (trustCertificates != null ? ", trustCertificates=" + trustCertificates : "") + "]";
    }

    /**
     * Starts a configuration with the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects {@link RtmpClientConfig}'s settings; each setter checks its argument at once. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
        private Duration handshakeTimeout = Duration.ofSeconds(DEFAULT_HANDSHAKE_TIMEOUT_SECONDS);
        private Duration startTimeout = Duration.ofSeconds(DEFAULT_START_TIMEOUT_SECONDS);
        private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private Duration reconnectMinDelay = Duration.ofSeconds(DEFAULT_RECONNECT_MIN_DELAY_SECONDS);
        private Duration reconnectMaxDelay = Duration.ofSeconds(DEFAULT_RECONNECT_MAX_DELAY_SECONDS);
        private Path trustCertificates;

        Builder() {
        }

        /**
         * Sets the time the TCP connection may take.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = RtmpConfig.Builder.checkPositive("connectTimeout", timeout);
            return this;
        }

        /**
         * Sets the time the RTMP handshake may take.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = RtmpConfig.Builder.checkPositive("handshakeTimeout", timeout);
            return this;
        }

        /**
         * Sets the time from connecting until the publish is accepted, or until a pull's first
         * track arrives.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = RtmpConfig.Builder.checkPositive("startTimeout", timeout);
            return this;
        }

        /**
         * Sets the time without traffic in either direction after which the connection is closed.
         *
         * @param timeout above zero
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = RtmpConfig.Builder.checkPositive("idleTimeout", timeout);
            return this;
        }

        /**
         * Sets the largest message the remote server may send; a larger one closes the connection.
         *
         * @param bytes 1024 to {@value RtmpConfig#MAX_CHUNK_SIZE}
         * @return this builder
         */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = RtmpConfig.Builder.check("maxMessageSize", bytes, 1024, RtmpConfig.MAX_CHUNK_SIZE);
            return this;
        }

        /**
         * Sets the chunk size announced to the remote server and sent with.
         *
         * @param size 128 to {@value RtmpConfig#MAX_CHUNK_SIZE}
         * @return this builder
         */
        public Builder chunkSize(int size) {
            this.chunkSize = RtmpConfig.Builder.check("chunkSize", size, 128, RtmpConfig.MAX_CHUNK_SIZE);
            return this;
        }

        /**
         * Sets a pusher's reconnect backoff: the first delay, doubled after each failed attempt
         * up to the maximum, and back to the first after a publish is accepted.
         *
         * @param min the first delay, above zero
         * @param max the longest delay, at least {@code min}
         * @return this builder
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            RtmpConfig.Builder.checkPositive("reconnectMinDelay", min);
            RtmpConfig.Builder.checkPositive("reconnectMaxDelay", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnect max delay " + max + " is below the min delay " + min);
            }
            this.reconnectMinDelay = min;
            this.reconnectMaxDelay = max;
            return this;
        }

        /**
         * Makes RTMPS connections trust the certificates in a PEM file instead of the JVM's
         * default trust store: a private CA's, or a server's self-signed certificate. The host
         * name is still verified against the certificate.
         *
         * @param pemFile a readable file of one or more PEM certificates
         * @return this builder
         */
        public Builder trustCertificates(Path pemFile) {
            if (!Files.isReadable(Objects.requireNonNull(pemFile, "pemFile"))) {
                throw new IllegalArgumentException("trust certificates " + pemFile + " is not a readable file");
            }
            this.trustCertificates = pemFile;
            return this;
        }

        /**
         * Creates the configuration.
         *
         * @return the checked settings
         */
        public RtmpClientConfig build() {
            return new RtmpClientConfig(connectTimeout, handshakeTimeout, startTimeout, idleTimeout, maxMessageSize,
                    chunkSize, reconnectMinDelay, reconnectMaxDelay, trustCertificates);
        }
    }
}
