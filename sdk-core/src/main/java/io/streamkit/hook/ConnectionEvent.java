package io.streamkit.hook;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A client connection's start or end, for {@link ServerListener#onConnect} and
 * {@link ServerListener#onDisconnect}: every protocol's connections, and modules' that register theirs.
 *
 * <p>A final class rather than a record, so that fields can be added without breaking
 * listeners; made by the server (and tests) only.
 */
public final class ConnectionEvent {
    private final long id;
    private final String protocol;
    private final InetSocketAddress remoteAddress;

    /**
     * Creates the event; for the server and tests.
     *
     * @param id the connection's id, unique within the server: as in {@code MediaServer.clients()},
     *     {@link AuthRequest#connectionId()} and the publish and play events
     * @param protocol the protocol, for example {@code "rtmp"} or {@code "http-flv"}
     * @param remoteAddress the client's address, or {@code null} when unknown
     */
    public ConnectionEvent(long id, String protocol, InetSocketAddress remoteAddress) {
        Objects.requireNonNull(protocol, "protocol");
        this.id = id;
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
    }

    /**
     * Returns the connection's id, unique within the server: as in {@code MediaServer.clients()},
     * {@link AuthRequest#connectionId()} and the publish and play events.
     *
     * @return the connection's id, unique within the server: as in {@code MediaServer.clients()},
     *     {@link AuthRequest#connectionId()} and the publish and play events
     */
    public long id() {
        return id;
    }

    /**
     * Returns the protocol, for example {@code "rtmp"} or {@code "http-flv"}.
     *
     * @return the protocol, for example {@code "rtmp"} or {@code "http-flv"}
     */
    public String protocol() {
        return protocol;
    }

    /**
     * Returns the client's address, or {@code null} when unknown.
     *
     * @return the client's address, or {@code null} when unknown
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionEvent o && id == o.id && Objects.equals(protocol, o.protocol)
                && Objects.equals(remoteAddress, o.remoteAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, protocol, remoteAddress);
    }

    @Override
    public String toString() {
        return "ConnectionEvent[" + "id=" + id + ", " + "protocol=" + protocol
                + ", " + "remoteAddress=" + remoteAddress + "]";
    }
}
