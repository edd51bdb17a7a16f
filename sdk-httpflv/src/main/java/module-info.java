/**
 * HTTP-FLV and WebSocket-FLV players as a module mounted on the HTTP listener through
 * {@code io.streamkit.http.spi}. It has no public package: the HTTP configuration carries its
 * options, and {@code MediaServer} assembles it.
 */
module io.streamkit.httpflv {
    requires transitive io.streamkit.http;
    requires org.slf4j;

    exports io.streamkit.httpflv.internal to io.streamkit.protocols;
}
