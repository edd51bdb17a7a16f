package io.streamkit.server.spi;

/**
 * A protocol, output or relay client plugged into a server: RTMP, the HTTP port, HTTP-FLV,
 * HLS, and an application's own. {@code MediaServer.Builder} starts its modules in the order
 * they were added (its sugar, {@code .rtmp(1935)} or {@code .hls()}, adds Streamkit's, the
 * HTTP port first so that others can mount on it), each with the same
 * {@link ModuleContext}; once every module has started, the server binds the listeners they
 * declared. When a module's start or a bind fails, the modules already started are stopped in
 * reverse order and the server's start fails with the cause.
 *
 * <pre>{@code
 * MediaServer server = MediaServer.builder()
 *         .rtmp(1935)
 *         .module(new LineProtocolModule(9000))   // the application's own protocol
 *         .start();
 * }</pre>
 *
 * <p>A module depends on this package and on core; it finds another module's services only
 * through {@link ModuleContext#service} (an HTTP module's {@code io.streamkit.http.spi.HttpMounts},
 * say), never by its class. Streamkit's own modules are made afresh by each
 * {@code start()}; a builder starts the application's module instances as often as it starts
 * a server, so a module that keeps state belongs to a builder that starts once.
 */
public interface ProtocolModule {

    /**
     * Returns the module's name, unique in a server: in log lines, and the prefix of the
     * names of the listeners it declares.
     *
     * @return a short lower-case name, such as {@code "rtmp"}
     */
    String name();

    /**
     * Wires the module into a starting server: declares its listeners, provides and looks up
     * services, registers relay schemes and event listeners. Called once, on the thread that
     * starts the server, before any listener is bound; must not block on the network.
     *
     * @param context the server's parts
     * @throws Exception when the module cannot start; the server's start fails with it
     */
    void start(ModuleContext context) throws Exception;

    /**
     * Stops what the module started (its relays, its own threads or files), in reverse order
     * of the modules' starts, before the server closes its listeners and ends its streams.
     * Also called when a later module's start failed. Must not throw; idempotent.
     */
    default void stop() {
    }
}
