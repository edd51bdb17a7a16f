package io.streamkit.server;

import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one client connection of a server: an RTMP connection, an HTTP-FLV or
 * WebSocket-FLV player, or a module's own. From {@link MediaServer#clients()}; the same
 * clients {@code GET /api/clients} lists.
 *
 * <p>A final class rather than a record, so that fields (bytes, the auth decision's
 * attributes) can be added without breaking callers.
 */
public final class ClientInfo {
    /** What a client does on its connection. */
    public enum Role {
        /** Connected, not yet publishing or playing. */
        NONE,
        /** Publishes a stream. */
        PUBLISH,
        /** Plays a stream. */
        PLAY
    }

    private final long id;
    private final String protocol;
    private final InetSocketAddress remoteAddress;
    private final Instant connectedAt;
    private final Role role;
    private final StreamKey stream;

    ClientInfo(long id, String protocol, InetSocketAddress remoteAddress, Instant connectedAt, Role role,
               StreamKey stream) {
        this.id = id;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.remoteAddress = remoteAddress;
        this.connectedAt = Objects.requireNonNull(connectedAt, "connectedAt");
        this.role = Objects.requireNonNull(role, "role");
        this.stream = stream;
    }

    /**
     * Returns the connection's id, unique within the server: what {@link MediaServer#kick(long)} takes.
     *
     * @return the id
     */
    public long id() {
        return id;
    }

    /**
     * Returns the protocol: {@code rtmp}, {@code http-flv}, {@code ws-flv}, or a module's own.
     *
     * @return the protocol's name
     */
    public String protocol() {
        return protocol;
    }

    /**
     * Returns the client's address: the one a PROXY protocol header named, else the socket's peer.
     *
     * @return the address, or empty when unknown
     */
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    /**
     * Returns when the connection registered.
     *
     * @return the instant
     */
    public Instant connectedAt() {
        return connectedAt;
    }

    /**
     * Returns what the client does.
     *
     * @return its role
     */
    public Role role() {
        return role;
    }

    /**
     * Returns the stream the client publishes or plays.
     *
     * @return the stream, or empty before it names one
     */
    public Optional<StreamKey> stream() {
        return Optional.ofNullable(stream);
    }

    @Override
    public String toString() {
        return "ClientInfo[id=" + id + ", protocol=" + protocol + ", remoteAddress=" + remoteAddress + ", connectedAt="
                + connectedAt + ", role=" + role + ", stream=" + stream + "]";
    }
}
