/**
 * Recording as a module: MP4 (fragmented while recording, finalised at a clean close), FLV and
 * HLS files of the streams the application chooses, its callbacks, and the playback of
 * recordings on the HTTP port through {@code io.streamkit.http.spi}; applications configure
 * and drive it through {@code io.streamkit.record}.
 */
module io.streamkit.record {
    requires transitive io.streamkit.http;
    requires org.slf4j;

    exports io.streamkit.record;
    exports io.streamkit.record.internal to io.streamkit.protocols;
}
