package io.streamkit.rtmp.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.IdleTimeoutHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each accepted connection's pipeline: idle timeout, handshake, chunk decoder and
 * encoder, connection handler; and enforces the connection limit.
 */
public final class RtmpServerInitializer extends ChannelInitializer<SocketChannel> {
    /** The idle handler's name; players write media from its context (see {@code RtmpPlayer}). */
    static final String IDLE = "idle";
    private static final Logger log = LoggerFactory.getLogger(RtmpServerInitializer.class);

    private final Engine engine;
    private final ClientRegistry clients;
    private final RtmpConfig config;
    private final AtomicInteger connections;
    private final io.netty.handler.ssl.SslContext tls;

    /**
     * Creates the initializer of a plain RTMP port.
     *
     * @param engine the engine publishers and players go through
     * @param config the RTMP settings
     * @param clients where connections register for the API
     */
    public RtmpServerInitializer(Engine engine, RtmpConfig config, ClientRegistry clients) {
        this(engine, config, clients, null, new AtomicInteger());
    }

    private RtmpServerInitializer(Engine engine, RtmpConfig config, ClientRegistry clients,
                                  io.netty.handler.ssl.SslContext tls, AtomicInteger connections) {
        this.engine = engine;
        this.clients = clients;
        this.config = config;
        this.tls = tls;
        this.connections = connections;
    }

    /**
     * Creates the initializer of the RTMPS port: TLS first, then the same pipeline; connections
     * count against the same limit as the plain port's.
     *
     * @return the initializer
     * @throws javax.net.ssl.SSLException when the certificate or key cannot be loaded
     */
    public RtmpServerInitializer withTls() throws javax.net.ssl.SSLException {
        io.netty.handler.ssl.SslContext context = config.tls().serverContext();
        return new RtmpServerInitializer(engine, config, clients, context, connections);
    }

    /**
     * Returns the connections open now.
     *
     * @return the count
     */
    public int connections() {
        return connections.get();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (connections.incrementAndGet() > config.maxConnections()) {
            connections.decrementAndGet();
            log.warn("rtmp {}: refused, {} connections reach the limit", ch.remoteAddress(), config.maxConnections());
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(config.maxMessageSize(), config.maxChunkStreams());
        if (tls != null) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
        }
        ch.pipeline()
                .addLast(IDLE, new IdleTimeoutHandler(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("handshake", new RtmpHandshakeHandler(config.handshakeTimeout().toMillis()))
                .addLast("chunk-decoder", decoder)
                .addLast("chunk-encoder", new RtmpChunkEncoder())
                .addLast("rtmp", new RtmpConnectionHandler(engine, config, decoder, clients));
    }
}
