package io.streamkit.stream;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * Who publishes and how its timestamps behave; passed to the engine's {@code publish}.
 * Made from {@link #defaults()} and its {@code with}-style copies ({@link #protocol(String)}, ...).
 */
public final class PublishOptions {
    /** RTMP and FLV carry 32-bit millisecond timestamps: they wrap after 2^32 ms, about 49.7 days. */
    public static final long RTMP_TIMESTAMP_WRAP = (1L << 32) * 1000L;
    private final String protocol;
    private final InetSocketAddress remoteAddress;
    private final long timestampWrap;
    private final long connectionId;
    private final Map<String, String> attributes;
    private final Map<String, String> query;

    private PublishOptions(String protocol, InetSocketAddress remoteAddress, long timestampWrap, long connectionId,
                           Map<String, String> attributes,
            Map<String, String> query) {
        Objects.requireNonNull(protocol, "protocol");
        if (timestampWrap < 0) {
            throw new IllegalArgumentException("timestampWrap " + timestampWrap + " is negative");
        }
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
        this.timestampWrap = timestampWrap;
        this.connectionId = connectionId;
        this.attributes = attributes;
        this.query = query == null ? Map.of() : Map.copyOf(query);
    }

    /**
     * Returns the ingest protocol as shown in the API and events, for example {@code "rtmp"}.
     *
     * @return the ingest protocol as shown in the API and events, for example {@code "rtmp"}
     */
    public String protocol() {
        return protocol;
    }

    /**
     * Returns the publisher's address, or {@code null} for application code.
     *
     * @return the publisher's address, or {@code null} for application code
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Returns the period in microseconds after which the publisher's timestamps wrap to zero
     * (RTMP's 32-bit milliseconds: {@link #RTMP_TIMESTAMP_WRAP}), continued exactly rather than
     * smoothed over as a jump; 0 when they do not wrap.
     *
     * @return the period in microseconds after which the publisher's timestamps wrap to zero
     *     (RTMP's 32-bit milliseconds: {@link #RTMP_TIMESTAMP_WRAP}), continued exactly rather than
     *     smoothed over as a jump; 0 when they do not wrap
     */
    public long timestampWrap() {
        return timestampWrap;
    }

    /**
     * Returns the publisher's connection, as in {@code MediaServer.clients()}; 0 for application
     * code.
     *
     * @return the publisher's connection, as in {@code MediaServer.clients()}; 0 for application
     *     code
     */
    public long connectionId() {
        return connectionId;
    }

    /**
     * Returns the attributes of the auth decision that let the client in
     * (the auth decision's attributes), which the engine's events carry; empty for none.
     *
     * @return the attributes of the auth decision that let the client in (the auth decision's attributes), which the engine's events carry; empty for
     *     none
     */
    public Map<String, String> attributes() {
        return attributes;
    }

    /**
     * Returns the options of application code: protocol {@code "app"}, no address, no wrap, no
     * connection, no attributes.
     *
     * @return the defaults
     */
    public static PublishOptions defaults() {
        return new PublishOptions("app", null, 0, 0, Map.of(), Map.of());
    }

    /**
     * Returns a copy naming another protocol.
     *
     * @param protocol for example {@code "rtmp"}
     * @return the copy
     */
    public PublishOptions protocol(String protocol) {
        return new PublishOptions(protocol, remoteAddress, timestampWrap, connectionId, attributes, query);
    }

    /**
     * Returns a copy with the publisher's address.
     *
     * @param address the remote address
     * @return the copy
     */
    public PublishOptions remoteAddress(InetSocketAddress address) {
        return new PublishOptions(protocol, address, timestampWrap, connectionId, attributes, query);
    }

    /**
     * Returns a copy with another wrap period.
     *
     * @param wrapMicros the period, or 0
     * @return the copy
     */
    public PublishOptions timestampWrap(long wrapMicros) {
        return new PublishOptions(protocol, remoteAddress, wrapMicros, connectionId, attributes, query);
    }

    /**
     * Returns a copy with the publisher's connection.
     *
     * @param id the connection's id
     * @return the copy
     */
    public PublishOptions connectionId(long id) {
        return new PublishOptions(protocol, remoteAddress, timestampWrap, id, attributes, query);
    }

    /**
     * Returns a copy with the auth decision's attributes.
     *
     * @param decided the attributes; {@code null} for none
     * @return the copy
     */
    public PublishOptions attributes(Map<String, String> decided) {
        return new PublishOptions(protocol, remoteAddress, timestampWrap, connectionId, decided, query);
    }

    /**
     * Returns the query parameters of the client's request (the URL's or the stream name's
     * {@code ?token=...}), which the engine's events carry; empty for none.
     *
     * @return the first value of each name, unmodifiable
     */
    public Map<String, String> query() {
        return query;
    }

    /**
     * Returns a copy with the client's query parameters.
     *
     * @param parameters the first value of each name; {@code null} for none
     * @return the copy
     */
    public PublishOptions query(Map<String, String> parameters) {
        return new PublishOptions(protocol, remoteAddress, timestampWrap, connectionId, attributes, parameters);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublishOptions o && Objects.equals(protocol, o.protocol)
                && Objects.equals(remoteAddress, o.remoteAddress) && timestampWrap == o.timestampWrap
                && connectionId == o.connectionId && Objects.equals(attributes, o.attributes)
                && Objects.equals(query, o.query);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, remoteAddress, timestampWrap, connectionId, attributes, query);
    }

    @Override
    public String toString() {
        return "PublishOptions[" + "protocol=" + protocol + ", " + "remoteAddress=" + remoteAddress
                + ", " + "timestampWrap=" + timestampWrap + ", " + "connectionId=" + connectionId
                + ", " + "attributes=" + attributes + ", " + "query=" + query + "]";
    }
}
