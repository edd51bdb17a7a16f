/**
 * {@code MediaServer}, which assembles the protocol modules around the engine of
 * {@code io.streamkit.core}: Streamkit's own (RTMP, RTSP, HTTP, HTTP-FLV, HLS, recording, HTTP hooks) through its builder's
 * sugar, and the application's own through {@code Builder.module}. Reading this module reads
 * every protocol's public configuration and the server SPI.
 */
module io.streamkit.protocols {
    requires transitive io.streamkit.server.spi;
    requires transitive io.streamkit.rtmp;
    requires transitive io.streamkit.http;
    requires transitive io.streamkit.hls;
    requires transitive io.streamkit.record;
    requires transitive io.streamkit.webhook;
    requires transitive io.streamkit.cluster;
    requires transitive io.streamkit.httpflv;
    requires transitive io.streamkit.rtsp;
    requires org.slf4j;

    exports io.streamkit.server;
}
