package io.streamkit.rtsp.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtsp.RtspConfig;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ConnectionGate;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.ServerGuard;
import java.util.concurrent.TimeUnit;

/**
 * Builds each accepted RTSP connection's pipeline, within the connection limits: the idle
 * timeout, the demuxer of requests and interleaved frames, Netty's RTSP codec, the
 * connection's handler. Players' media is written from the demuxer's context, below the encoder.
 */
public final class RtspServerInitializer extends ChannelInitializer<SocketChannel> {
    /** The demuxer's name: players write interleaved bytes from its context. */
    static final String DEMUX = "rtsp-demux";

    private final Engine engine;
    private final RtspConfig config;
    private final ClientRegistry clients;
    private final ServerGuard guard;
    private final ConnectionGate gate;
    private final RtspUdp udp;

    /**
     * Creates the initializer.
     *
     * @param engine the engine publishers and players go through
     * @param config the RTSP settings
     * @param clients where connections register
     * @param guard the server's log of clients' mistakes
     * @param udp the server's UDP ports, or {@code null} for TCP only
     */
    RtspServerInitializer(Engine engine, RtspConfig config, ClientRegistry clients, ServerGuard guard, RtspUdp udp) {
        this.engine = engine;
        this.config = config;
        this.clients = clients;
        this.guard = guard;
        this.udp = udp;
        this.gate = new ConnectionGate("rtsp", config.maxConnections(), config.maxConnectionsPerAddress(), guard.log());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (gate.admit(ch, ch.remoteAddress())) {
            pipeline(ch);
        }
    }

    void pipeline(Channel ch) {
        ch.pipeline()
                .addLast("idle", new IdleTimeoutHandler(config.sessionTimeout().toMillis(), TimeUnit.MILLISECONDS, false))
                .addLast(DEMUX, new RtspDemuxer(config.maxRequestSize(), config.maxContentLength(),
                        config.requestTimeout().toNanos()))
                .addLast("rtsp-encoder", new RtspEncoder())
                .addLast("rtsp-decoder", new RtspDecoder(config.maxRequestSize(), config.maxRequestSize(),
                        config.maxContentLength()))
                .addLast("rtsp-aggregator", new HttpObjectAggregator(config.maxContentLength()))
                .addLast("rtsp", new RtspConnectionHandler(engine, config, clients, guard.log(), udp));
    }
}
