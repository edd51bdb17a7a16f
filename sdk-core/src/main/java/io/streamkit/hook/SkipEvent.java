package io.streamkit.hook;

import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A subscriber that fell behind, for {@link ServerListener#onSkip}.
 *
 * <p>A final class rather than a record, so that fields can be added without breaking
 * listeners; made by the server (and tests) only.
 */
public final class SkipEvent {
    private final StreamKey key;
    private final long subscriptionId;
    private final String protocol;
    private final InetSocketAddress remoteAddress;
    private final long skips;
    private final long connectionId;

    /**
     * Creates the event; for the server and tests.
     *
     * @param key the stream
     * @param subscriptionId the subscription's number
     * @param protocol the player's protocol
     * @param remoteAddress the player's address, or {@code null}
     * @param skips how many times this subscriber has fallen behind so far, this time included
     * @param connectionId the player's connection, as in {@code MediaServer.clients()} and {@link
     *     ConnectionEvent#id()}; 0 for application code
     */
    public SkipEvent(StreamKey key, long subscriptionId, String protocol, InetSocketAddress remoteAddress, long skips,
                     long connectionId) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(protocol, "protocol");
        this.key = key;
        this.subscriptionId = subscriptionId;
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
        this.skips = skips;
        this.connectionId = connectionId;
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
     * Returns the player's address, or {@code null}.
     *
     * @return the player's address, or {@code null}
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Returns how many times this subscriber has fallen behind so far, this time included.
     *
     * @return how many times this subscriber has fallen behind so far, this time included
     */
    public long skips() {
        return skips;
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

    @Override
    public boolean equals(Object other) {
        return other instanceof SkipEvent o && Objects.equals(key, o.key) && subscriptionId == o.subscriptionId
                && Objects.equals(protocol, o.protocol) && Objects.equals(remoteAddress, o.remoteAddress)
                && skips == o.skips && connectionId == o.connectionId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, subscriptionId, protocol, remoteAddress, skips, connectionId);
    }

    @Override
    public String toString() {
        return "SkipEvent[" + "key=" + key + ", " + "subscriptionId=" + subscriptionId + ", " + "protocol=" + protocol
                + ", " + "remoteAddress=" + remoteAddress + ", " + "skips=" + skips
                + ", " + "connectionId=" + connectionId + "]";
    }
}
