package io.streamkit.hook;

import java.net.InetSocketAddress;

/**
 * A client connection, for {@link ServerListener#onConnect} and {@link ServerListener#onDisconnect}.
 *
 * @param id the connection's number, unique within the server
 * @param protocol the protocol, for example {@code "rtmp"}
 * @param remoteAddress the client's address
 */
public record ConnectionEvent(long id, String protocol, InetSocketAddress remoteAddress) {
}
