/**
 * The server's service provider interface: what a protocol, output or relay client implements
 * to plug into {@code MediaServer} ({@link io.streamkit.server.spi.ProtocolModule}), and what
 * the server lends it ({@link io.streamkit.server.spi.ModuleContext}): the engine, the event
 * loops, listeners, services, relay schemes, events, and the one player write path
 * ({@link io.streamkit.server.spi.PlayerOutputs}: a {@link io.streamkit.server.spi.PlayerOutput}
 * per player, frames in a {@link io.streamkit.server.spi.WireFormat} shared per event loop).
 *
 * <p>Streamkit's own protocols are modules on this interface: the server knows none of them
 * beyond its builder's sugar ({@code .rtmp(port)}, {@code .http(port)}, {@code .hls()}). The
 * dependency rule: a module depends on this package, on {@code io.streamkit.transport} and on
 * core, and reaches another module only through a service it provides (the HTTP port's
 * mounts). A documented tier for protocol authors: it shows Netty types where a module builds
 * pipelines, and may change between minor versions as modules need more of the server.
 */
package io.streamkit.server.spi;
