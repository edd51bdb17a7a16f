/**
 * The HTTP listener as a protocol module: the router, the JSON API, {@code /metrics} and the
 * application's routes ({@code io.streamkit.http}), and the mount SPI other modules serve on it
 * ({@code io.streamkit.http.spi}: HTTP-FLV and HLS mount there).
 */
module io.streamkit.http {
    requires transitive io.streamkit.server.spi;
    requires transitive io.netty.codec.http;
    requires org.slf4j;

    exports io.streamkit.http;
    exports io.streamkit.http.spi;
    exports io.streamkit.http.internal to io.streamkit.protocols;
}
