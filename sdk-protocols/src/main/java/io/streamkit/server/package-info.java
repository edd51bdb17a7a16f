/**
 * {@link io.streamkit.server.MediaServer}: the embeddable server, its builder and its
 * running handle. One Netty event loop group, sized to the cores, carries every protocol
 * and the engine's fan-out, so a player's frames are written on the loop that owns its
 * connection.
 *
 * <p>The server assembles modules ({@link io.streamkit.server.spi.ProtocolModule}): the
 * builder's sugar ({@code .rtmp(port)}, {@code .http(port)}, {@code .hls()}) adds Streamkit's,
 * {@code .module(m)} an application's. It starts them in order, binds the listeners they
 * declared, and on any failure stops what started in reverse; it knows no protocol by name.
 * {@link io.streamkit.server.MediaServer#clients()} and {@code kick(id)} reach every
 * protocol's client connections.
 */
package io.streamkit.server;
