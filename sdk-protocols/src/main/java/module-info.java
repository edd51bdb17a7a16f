/**
 * Streamkit's wire protocols as Netty pipelines, and {@code MediaServer}, which
 * assembles them around the engine of {@code io.streamkit.core}.
 */
module io.streamkit.protocols {
    requires transitive io.streamkit.core;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.codec.haproxy;
    requires io.netty.handler;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires io.netty.transport.unix.common;
    requires org.slf4j;

    exports io.streamkit.server;
    exports io.streamkit.server.spi;
    exports io.streamkit.transport;
    exports io.streamkit.rtmp;
    exports io.streamkit.http;
    exports io.streamkit.http.spi;
    exports io.streamkit.hls;
}
