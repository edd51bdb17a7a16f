package io.streamkit.rtmp.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.streamkit.engine.StreamEngine;
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.Transports;
import io.streamkit.stream.StreamKey;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * Creates RTMP pullers and pushers over a server's event loops, and builds their connections'
 * pipelines: idle timeout, client handshake, the server's chunk decoder and encoder, and the
 * role's handler. The entry point of {@link RtmpPuller} and {@link RtmpPusher};
 * not API.
 */
public final class RtmpClients {
    /**
     * Write-buffer water marks of a pusher's connection: past the high mark it is unwritable and
     * the engine skips it to the next keyframe; the same bounds as a server's players.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(4 << 20, 8 << 20);

    private RtmpClients() {
    }

    /**
     * Creates a puller; nothing happens until {@link Puller#start()}.
     *
     * @param loops the server's event loops; the puller keeps one of them
     * @param engine where the stream is published
     * @param config the client settings
     * @param url {@code rtmp[s]://host[:port]/app/name}
     * @param localKey the local stream
     * @param onDone run once when the puller has stopped for good
     * @return the puller
     * @throws IllegalArgumentException when the URL is not a usable {@code rtmp://} or {@code rtmps://} URL
     */
    public static Puller puller(EventLoopGroup loops, StreamEngine engine, RtmpClientConfig config, String url,
                                StreamKey localKey, Runnable onDone) {
        return new RtmpPullRelay(loops.next(), engine, config, RtmpUrls.target(Objects.requireNonNull(url, "url")),
                Objects.requireNonNull(localKey, "localKey"), onDone);
    }

    /**
     * Creates a pusher; nothing happens until {@link Pusher#start()}.
     *
     * @param loops the server's event loops; the pusher keeps one of them for its subscription
     *     and its connections
     * @param engine where the local stream is subscribed to
     * @param config the client settings
     * @param localKey the local stream
     * @param url {@code rtmp[s]://host[:port]/app/name}
     * @param onDone run once when the pusher has stopped for good
     * @return the pusher
     * @throws IllegalArgumentException when the URL is not a usable {@code rtmp://} or {@code rtmps://} URL
     */
    public static Pusher pusher(EventLoopGroup loops, StreamEngine engine, RtmpClientConfig config, StreamKey localKey,
                                String url, Runnable onDone) {
        return new RtmpPushRelay(loops.next(), engine, config, Objects.requireNonNull(localKey, "localKey"),
                RtmpUrls.target(Objects.requireNonNull(url, "url")), onDone);
    }

    /**
     * The TLS context of an {@code rtmps://} target: the JVM's default trust store or the
     * configured PEM certificates, host names verified ({@code HTTPS} endpoint identification).
     *
     * @return the context, or {@code null} for a plain {@code rtmp://} target
     * @throws IllegalArgumentException when the trusted certificates cannot be read
     */
    static SslContext tls(RtmpClientConfig config, RtmpUrls.Target target) {
        if (!target.tls()) {
            return null;
        }
        try {
            SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (config.trustCertificates().isPresent()) {
                b.trustManager(config.trustCertificates().get().toFile());
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS for " + target.display() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Connects on {@code loop} with a full client pipeline ending in the role's handler, inside
     * TLS (SNI and the verified host name from the target) when {@code tls} is given.
     */
    static ChannelFuture connect(EventLoop loop, RtmpClientConfig config, RtmpUrls.Target target, SslContext tls,
                                 Function<RtmpChunkDecoder, RtmpClientHandler> role) {
        return new Bootstrap()
                .group(loop)
                .channel(Transports.socketChannel(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RtmpChunkDecoder decoder = new RtmpChunkDecoder(config.maxMessageSize(),
                                RtmpChunkDecoder.DEFAULT_MAX_CHUNK_STREAMS);
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), target.host(), target.port());
                            ssl.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ch.pipeline()
                                .addLast("idle", new IdleTimeoutHandler(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("handshake", new RtmpClientHandshakeHandler(config.handshakeTimeout().toMillis()))
                                .addLast("chunk-decoder", decoder)
                                .addLast("chunk-encoder", new RtmpChunkEncoder())
                                .addLast("rtmp-client", role.apply(decoder));
                    }
                })
                .connect(target.host(), target.port());
    }
}
