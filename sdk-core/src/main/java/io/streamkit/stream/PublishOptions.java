package io.streamkit.stream;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Who publishes and how its timestamps behave; passed to {@link io.streamkit.engine.StreamEngine#publish}.
 *
 * @param protocol the ingest protocol as shown in the API and events, for example {@code "rtmp"}
 * @param remoteAddress the publisher's address, or {@code null} for application code
 * @param timestampWrap the period in microseconds after which the publisher's timestamps
 *     wrap to zero (RTMP's 32-bit milliseconds: {@link #RTMP_TIMESTAMP_WRAP}); a wrap is then
 *     continued exactly rather than smoothed over as a jump. {@code 0}: timestamps do not wrap
 */
public record PublishOptions(String protocol, InetSocketAddress remoteAddress, long timestampWrap) {

    /** RTMP and FLV carry 32-bit millisecond timestamps: they wrap after 2^32 ms, about 49.7 days. */
    public static final long RTMP_TIMESTAMP_WRAP = (1L << 32) * 1000L;

    /**
     * Checks the components.
     *
     * @param protocol the protocol name
     * @param remoteAddress the client's address, or {@code null}
     * @param timestampWrap wrap period in microseconds, or 0
     * @throws IllegalArgumentException when {@code timestampWrap} is negative
     */
    public PublishOptions {
        Objects.requireNonNull(protocol, "protocol");
        if (timestampWrap < 0) {
            throw new IllegalArgumentException("timestampWrap " + timestampWrap + " is negative");
        }
    }

    /**
     * Returns the options of application code: protocol {@code "app"}, no address, no wrap.
     *
     * @return the defaults
     */
    public static PublishOptions defaults() {
        return new PublishOptions("app", null, 0);
    }

    /**
     * Returns a copy naming another protocol.
     *
     * @param protocol for example {@code "rtmp"}
     * @return the copy
     */
    public PublishOptions protocol(String protocol) {
        return new PublishOptions(protocol, remoteAddress, timestampWrap);
    }

    /**
     * Returns a copy with the publisher's address.
     *
     * @param address the remote address
     * @return the copy
     */
    public PublishOptions remoteAddress(InetSocketAddress address) {
        return new PublishOptions(protocol, address, timestampWrap);
    }

    /**
     * Returns a copy with another wrap period.
     *
     * @param wrapMicros the period, or 0
     * @return the copy
     */
    public PublishOptions timestampWrap(long wrapMicros) {
        return new PublishOptions(protocol, remoteAddress, wrapMicros);
    }
}
