/**
 * HTTP-FLV and WebSocket-FLV players as a module mounted on the HTTP listener through
 * {@code io.streamkit.http.spi}, and the HTTP-FLV relay client ({@code http://} and {@code https://}
 * pulls); the players' options ride on the HTTP configuration, the client's are
 * {@code io.streamkit.httpflv.HttpFlvClientConfig}, and {@code MediaServer} assembles it.
 */
module io.streamkit.httpflv {
    requires transitive io.streamkit.http;
    requires org.slf4j;

    exports io.streamkit.httpflv;
    exports io.streamkit.httpflv.internal to io.streamkit.protocols;
}
