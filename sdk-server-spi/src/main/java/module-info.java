/**
 * The server SPI: what a protocol module is written on ({@code io.streamkit.server.spi}), the
 * transports and TLS settings listeners take ({@code io.streamkit.transport}), and what
 * Streamkit's own modules share ({@code io.streamkit.server.internal}: the player write path,
 * the client registry, the server guard, the PROXY protocol and idle handlers), exported to them
 * only.
 */
module io.streamkit.server.spi {
    requires transitive io.streamkit.core;
    requires transitive io.netty.transport;
    requires transitive io.netty.codec;
    requires transitive io.netty.handler;
    requires io.netty.codec.haproxy;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires io.netty.transport.unix.common;
    requires org.slf4j;

    exports io.streamkit.transport;
    exports io.streamkit.server.spi;
    exports io.streamkit.server.internal to
            io.streamkit.rtmp, io.streamkit.http, io.streamkit.httpflv, io.streamkit.hls, io.streamkit.rtsp,
            io.streamkit.protocols;
}
