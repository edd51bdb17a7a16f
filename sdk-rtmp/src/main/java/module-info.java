/**
 * RTMP and RTMPS as a protocol module: publishers and players on the server side, and the
 * {@code rtmp://} and {@code rtmps://} relay client. Applications configure it through
 * {@code io.streamkit.rtmp}; {@code MediaServer} assembles it from the internal package.
 */
module io.streamkit.rtmp {
    requires transitive io.streamkit.server.spi;
    requires org.slf4j;

    exports io.streamkit.rtmp;
    exports io.streamkit.rtmp.internal to io.streamkit.protocols;
}
