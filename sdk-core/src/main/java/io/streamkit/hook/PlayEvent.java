package io.streamkit.hook;

import io.streamkit.stream.EndReason;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * A subscriber's start or end, for {@link ServerListener#onPlay} and {@link ServerListener#onStop}.
 *
 * <p>A final class rather than a record, so that fields can be added without breaking
 * listeners; made by the server (and tests) only.
 */
public final class PlayEvent {
    private final StreamKey key;
    private final long subscriptionId;
    private final String protocol;
    private final InetSocketAddress remoteAddress;
    private final EndReason reason;
    private final long connectionId;
    private final Map<String, String> attributes;
    private final Map<String, String> query;

    /**
     * Creates the event; for the server and tests.
     *
     * @param key the stream
     * @param subscriptionId the subscription's number
     * @param protocol the player's protocol
     * @param remoteAddress the player's address, or {@code null} for application code
     * @param reason why it ended; {@code null} in {@code onPlay}
     * @param connectionId the player's connection, as in {@code MediaServer.clients()} and {@link
     *     ConnectionEvent#id()}; 0 for application code
     * @param attributes the attributes of the auth decision that let it in ({@link
     *     AuthResult#attributes()}): an identity, per-stream switches; empty for
     *     none
     */
    public PlayEvent(StreamKey key, long subscriptionId, String protocol, InetSocketAddress remoteAddress,
                     EndReason reason, long connectionId, Map<String, String> attributes) {
        this(key, subscriptionId, protocol, remoteAddress, reason, connectionId, attributes, Map.of());
    }

    /**
     * Creates the event; for the server and tests.
     *
     * @param key the stream
     * @param subscriptionId the subscription's number
     * @param protocol the player's protocol
     * @param remoteAddress the player's address, or {@code null} for application code
     * @param reason why it ended; {@code null} in {@code onPlay}
     * @param connectionId the player's connection, as in {@code MediaServer.clients()} and {@link
     *     ConnectionEvent#id()}; 0 for application code
     * @param attributes the attributes of the auth decision that let it in ({@link
     *     AuthResult#attributes()}): an identity, per-stream switches; empty for
     *     none
     * @param query the query parameters of the client's request ({@code ?token=...}); empty for none
     */
    public PlayEvent(StreamKey key, long subscriptionId, String protocol, InetSocketAddress remoteAddress,
                     EndReason reason, long connectionId, Map<String, String> attributes, Map<String, String> query) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(protocol, "protocol");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        this.key = key;
        this.subscriptionId = subscriptionId;
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
        this.reason = reason;
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
     * Returns the subscription's number.
     *
     * @return the subscription's number
     */
    public long subscriptionId() {
        return subscriptionId;
    }

    /**
     * Returns the player's protocol.
     *
     * @return the player's protocol
     */
    public String protocol() {
        return protocol;
    }

    /**
     * Returns the player's address, or {@code null} for application code.
     *
     * @return the player's address, or {@code null} for application code
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Returns why it ended; {@code null} in {@code onPlay}.
     *
     * @return why it ended; {@code null} in {@code onPlay}
     */
    public EndReason reason() {
        return reason;
    }

    /**
     * Returns the player's connection, as in {@code MediaServer.clients()} and {@link
     * ConnectionEvent#id()}; 0 for application code.
     *
     * @return the player's connection, as in {@code MediaServer.clients()} and {@link
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
        return other instanceof PlayEvent o && Objects.equals(key, o.key) && subscriptionId == o.subscriptionId
                && Objects.equals(protocol, o.protocol) && Objects.equals(remoteAddress, o.remoteAddress)
                && Objects.equals(reason, o.reason) && connectionId == o.connectionId
                && Objects.equals(attributes, o.attributes)
                && Objects.equals(query, o.query);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, subscriptionId, protocol, remoteAddress, reason, connectionId, attributes, query);
    }

    @Override
    public String toString() {
        return "PlayEvent[" + "key=" + key + ", " + "subscriptionId=" + subscriptionId + ", " + "protocol=" + protocol
                + ", " + "remoteAddress=" + remoteAddress + ", " + "reason=" + reason
                + ", " + "connectionId=" + connectionId + ", " + "attributes=" + attributes + ", " + "query=" + query + "]";
    }
}
