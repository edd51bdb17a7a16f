/**
 * What every listener and player connection shares, whatever its protocol: the socket layer
 * ({@link io.streamkit.transport.Transport}), TLS on a port of its own
 * ({@link io.streamkit.transport.TlsConfig}) and the players' write batch window
 * ({@link io.streamkit.transport.WriteBatching}).
 *
 * <p>The lowest package of the protocols: the protocols' configurations depend on it, and it
 * depends on nothing of theirs. No Netty type appears here.
 */
package io.streamkit.transport;
