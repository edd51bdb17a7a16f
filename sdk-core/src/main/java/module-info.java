/**
 * Streamkit's engine and its public roles, with the codec and container code that
 * works over {@code ByteBuf} and knows no connection.
 *
 * <p>Three tiers: the exported API packages below; {@code io.streamkit.internal.*},
 * exported only to {@code io.streamkit.protocols} and carrying no compatibility
 * promise; and package-private code.
 */
module io.streamkit.core {
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires org.jctools.core;
    requires org.slf4j;

    exports io.streamkit.stream;
    exports io.streamkit.engine;
    exports io.streamkit.relay;
    exports io.streamkit.hook;
    exports io.streamkit.codec;
    exports io.streamkit.codec.h264;
    exports io.streamkit.codec.h265;
    exports io.streamkit.codec.av1;
    exports io.streamkit.codec.aac;
    exports io.streamkit.codec.opus;
    exports io.streamkit.format.amf0;
    exports io.streamkit.format.flv;
    exports io.streamkit.format.fmp4;
    exports io.streamkit.format.mpegts;
    exports io.streamkit.format.rtp;
    exports io.streamkit.format.sdp;

    exports io.streamkit.internal.engine to
            io.streamkit.server.spi, io.streamkit.rtmp, io.streamkit.http, io.streamkit.httpflv, io.streamkit.hls,
            io.streamkit.rtsp, io.streamkit.protocols;
}
