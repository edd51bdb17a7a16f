package io.streamkit.rtmp.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtmp.RtmpConfig;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each accepted connection's pipeline: idle timeout, handshake, chunk decoder and
 * encoder, connection handler; and enforces the connection limit.
 */
public final class RtmpServerInitializer extends ChannelInitializer<SocketChannel> {
    private static final Logger log = LoggerFactory.getLogger(RtmpServerInitializer.class);

    private final Engine engine;
    private final RtmpConfig config;
    private final AtomicInteger connections = new AtomicInteger();

    /**
     * Creates the initializer.
     *
     * @param engine the engine publishers and players go through
     * @param config the RTMP settings
     */
    public RtmpServerInitializer(Engine engine, RtmpConfig config) {
        this.engine = engine;
        this.config = config;
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
        ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("handshake", new RtmpHandshakeHandler(config.handshakeTimeout().toMillis()))
                .addLast("chunk-decoder", decoder)
                .addLast("chunk-encoder", new RtmpChunkEncoder())
                .addLast("rtmp", new RtmpConnectionHandler(engine, config, decoder));
    }
}
