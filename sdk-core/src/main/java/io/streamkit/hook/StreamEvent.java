package io.streamkit.hook;

import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * A publisher's start or end, for {@link ServerListener#onPublish} and {@link ServerListener#onUnpublish}.
 *
 * <p>A final class rather than a record, so that fields can be added without breaking
 * listeners; made by the server (and tests) only.
 */
public final class StreamEvent {
    private final StreamKey key;
    private final String protocol;
    private final InetSocketAddress remoteAddress;
    private final long connectionId;
    private final Map<String, String> attributes;
    private final Map<String, String> query;

    /**
     * Creates the event; for the server and tests.
     *
     * @param key the stream
     * @param protocol the publisher's protocol
     * @param remoteAddress the publisher's address, or {@code null} for application code
     * @param connectionId the publisher's connection, as in {@code MediaServer.clients()} and
     *     {@link ConnectionEvent#id()}; 0 for application code
     * @param attributes the attributes of the auth decision that let it in ({@link
     *     AuthResult#attributes()}): an identity, per-stream switches; empty for
     *     none
     */
    public StreamEvent(StreamKey key, String protocol, InetSocketAddress remoteAddress, long connectionId,
                       Map<String, String> attributes) {
        this(key, protocol, remoteAddress, connectionId, attributes, Map.of());
    }

    /**
     * Creates the event; for the server and tests.
     *
     * @param key the stream
     * @param protocol the publisher's protocol
     * @param remoteAddress the publisher's address, or {@code null} for application code
     * @param connectionId the publisher's connection, as in {@code MediaServer.clients()} and
     *     {@link ConnectionEvent#id()}; 0 for application code
     * @param attributes the attributes of the auth decision that let it in ({@link
     *     AuthResult#attributes()}): an identity, per-stream switches; empty for
     *     none
     * @param query the query parameters of the client's request ({@code ?token=...}); empty for none
     */
    public StreamEvent(StreamKey key, String protocol, InetSocketAddress remoteAddress, long connectionId,
                       Map<String, String> attributes, Map<String, String> query) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(protocol, "protocol");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        this.key = key;
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
        this.connectionId = connectionId;
        this.attributes = attributes;
        this.query = query == null ? Map.of() : Map.copyOf(query);
    }

    /**
     * Returns the stream.
     *
     * @return the stream
     */
    public StreamKey key() {
        return key;
    }

    /**
     * Returns the publisher's protocol.
     *
     * @return the publisher's protocol
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
     * Returns the publisher's connection, as in {@code MediaServer.clients()} and {@link
     * ConnectionEvent#id()}; 0 for application code.
     *
     * @return the publisher's connection, as in {@code MediaServer.clients()} and {@link
     *     ConnectionEvent#id()}; 0 for application code
     */
    public long connectionId() {
        return connectionId;
    }

    /**
     * Returns the attributes of the auth decision that let it in ({@link
     * AuthResult#attributes()}): an identity, per-stream switches; empty for
     * none.
     *
     * @return the attributes of the auth decision that let it in ({@link
     *     AuthResult#attributes()}): an identity, per-stream switches; empty for
     *     none
     */
    public Map<String, String> attributes() {
        return attributes;
    }

    /**
     * Returns the query parameters of the client's request (the URL's or the stream name's
     * {@code ?token=...}): the first value of each name; empty for none.
     *
     * @return the query parameters, unmodifiable
     */
    public Map<String, String> query() {
        return query;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamEvent o && Objects.equals(key, o.key) && Objects.equals(protocol, o.protocol)
                && Objects.equals(remoteAddress, o.remoteAddress) && connectionId == o.connectionId
                && Objects.equals(attributes, o.attributes)
                && Objects.equals(query, o.query);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, protocol, remoteAddress, connectionId, attributes, query);
    }

    @Override
    public String toString() {
        return "StreamEvent[" + "key=" + key + ", " + "protocol=" + protocol + ", " + "remoteAddress=" + remoteAddress
                + ", " + "connectionId=" + connectionId + ", " + "attributes=" + attributes + ", " + "query=" + query + "]";
    }
}
