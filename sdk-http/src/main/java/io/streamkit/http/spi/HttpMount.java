package io.streamkit.http.spi;

import java.util.List;

/**
 * A part of the HTTP port that a protocol module serves: HTTP-FLV and WebSocket-FLV at
 * {@code .flv}, HLS at {@code .m3u8} and {@code .ts}, and, from later modules, other streams'
 * resources or whole subtrees such as recordings.
 *
 * <p>The router runs every check a request passes before any mount sees it: a whole request
 * within the deadline and the size limits, a path that decodes to safe segments, an
 * implemented method, a valid WebSocket upgrade (RFC 6455, 4.2.1) where the mount takes them.
 * A path below a mount's prefix belongs to that mount (or to an application route of a longer
 * prefix), whatever it ends with: a module that mounts a subtree owns it, so a recording named
 * {@code .flv} is not taken for a live stream. Other paths try the mounts' suffixes (a
 * stream's resources, read with {@code GET} or {@code HEAD}; any other method is answered 405),
 * then the application's routes, longest first; a path nothing serves is answered 404.
 *
 * <p>This is the service provider tier: it shows Netty's HTTP types, and carries no promise of
 * compatibility beyond the protocol modules that ship with Streamkit.
 */
public interface HttpMount {

    /** The pipeline name of the connection's HTTP codec: a streaming mount writes its body from that handler's context. */
    String CODEC_HANDLER = "http-codec";

    /**
     * Returns the path suffixes this mount serves, each starting with a dot: {@code ".flv"}.
     *
     * @return the suffixes; empty for a mount of prefixes only
     */
    default List<String> suffixes() {
        return List.of();
    }

    /**
     * Returns the path prefixes this mount serves: {@code "/recordings"} serves that path and
     * everything below it, with every method the port implements.
     *
     * @return the prefixes, each starting with a slash; empty for a mount of suffixes only
     */
    default List<String> prefixes() {
        return List.of();
    }

    /**
     * Tells whether the mount takes WebSocket upgrades on its paths; the router checks each
     * upgrade before {@link #serve} and refuses an invalid one with 400.
     *
     * @return {@code false} unless overridden
     */
    default boolean webSockets() {
        return false;
    }

    /**
     * Serves one whole request that passed the router's checks, on the connection's event loop;
     * must not block. The mount answers exactly once through the exchange: with
     * {@link HttpExchange#respond}, by streaming ({@link HttpExchange#stream()}, then writing
     * its own response), or with {@link HttpExchange#fail}. A mount that throws is answered 500.
     *
     * @param exchange the request and the ways to answer it
     */
    void serve(HttpExchange exchange);
}
