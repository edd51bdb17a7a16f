/**
 * RTSP as a protocol module: players over RTP (TCP interleaved or UDP) and publishers
 * (ANNOUNCE and RECORD). Applications configure it through {@code io.streamkit.rtsp};
 * {@code MediaServer} assembles it from the internal package.
 */
module io.streamkit.rtsp {
    requires transitive io.streamkit.server.spi;
    requires io.netty.codec.http;
    requires org.slf4j;

    exports io.streamkit.rtsp;
    exports io.streamkit.rtsp.internal to io.streamkit.protocols;
}
