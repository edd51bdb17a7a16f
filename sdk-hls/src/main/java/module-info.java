/**
 * HLS (MPEG-TS segments) as a module mounted on the HTTP listener through
 * {@code io.streamkit.http.spi}; applications configure it through {@code io.streamkit.hls}.
 */
module io.streamkit.hls {
    requires transitive io.streamkit.http;
    requires org.slf4j;

    exports io.streamkit.hls;
    exports io.streamkit.hls.internal to io.streamkit.protocols;
}
