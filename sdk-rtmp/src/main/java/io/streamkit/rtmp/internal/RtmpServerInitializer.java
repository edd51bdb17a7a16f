package io.streamkit.rtmp.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ConnectionGate;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.ProxyProtocolHandler;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.server.internal.TlsContexts;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Builds each accepted connection's pipeline: idle timeout, handshake, chunk decoder and
 * encoder, connection handler; and enforces the connection limits. When the port takes the
 * PROXY protocol, the header comes first, within the handshake timeout, and the connection is
 * admitted under the client it names before the rest of the pipeline exists.
 */
public final class RtmpServerInitializer extends ChannelInitializer<SocketChannel> {
    /** The idle handler's name; players write media from its context (see {@code RtmpPlayer}). */
    static final String IDLE = "idle";

    private final Engine engine;
    private final ClientRegistry clients;
    private final RtmpConfig config;
    private final ConnectionGate gate;
    private final ServerGuard guard;
    private final io.netty.handler.ssl.SslContext tls;

    /**
     * Creates the initializer of a plain RTMP port.
     *
     * @param engine the engine publishers and players go through
     * @param config the RTMP settings
     * @param clients where connections register for the API
     * @param guard the server's memory budget and log of clients' mistakes
     */
    public RtmpServerInitializer(Engine engine, RtmpConfig config, ClientRegistry clients, ServerGuard guard) {
        this(engine, config, clients, guard, null,
                new ConnectionGate("rtmp", config.maxConnections(), config.maxConnectionsPerAddress(), guard.log()));
    }

    private RtmpServerInitializer(Engine engine, RtmpConfig config, ClientRegistry clients, ServerGuard guard,
                                  io.netty.handler.ssl.SslContext tls, ConnectionGate gate) {
        this.engine = engine;
        this.clients = clients;
        this.config = config;
        this.guard = guard;
        this.tls = tls;
        this.gate = gate;
    }

    /**
     * Creates the initializer of the RTMPS port: TLS first, then the same pipeline; connections
     * count against the same limit as the plain port's.
     *
     * @return the initializer
     * @throws javax.net.ssl.SSLException when the certificate or key cannot be loaded
     */
    public RtmpServerInitializer withTls() throws javax.net.ssl.SSLException {
        io.netty.handler.ssl.SslContext context = TlsContexts.server(config.tls());
        return new RtmpServerInitializer(engine, config, clients, guard, context, gate);
    }

    /**
     * Returns the connections open now.
     *
     * @return the count
     */
    public int connections() {
        return gate.connections();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        init(ch, ch.remoteAddress());
    }

    /**
     * Admits a connection and builds its pipeline, or waits for its PROXY protocol header first.
     *
     * @param ch the connection
     * @param peer its socket's peer, the client when no proxy names another
     */
    void init(Channel ch, InetSocketAddress peer) {
        if (config.proxyProtocol()) {
            ProxyProtocolHandler.install(ch, "rtmp", config.handshakeTimeout(), gate, guard.log(), this::pipeline);
        } else if (gate.admit(ch, peer)) {
            pipeline(ch);
        }
    }

    private void pipeline(Channel ch) {
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(config.maxMessageSize(), config.maxChunkStreams(), guard.memory());
        if (tls != null) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
        }
        ch.pipeline()
                .addLast(IDLE, new IdleTimeoutHandler(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS, false))
                .addLast("handshake", new RtmpHandshakeHandler(config.handshakeTimeout().toMillis()))
                .addLast("chunk-decoder", decoder)
                .addLast("chunk-encoder", new RtmpChunkEncoder())
                .addLast("rtmp", new RtmpConnectionHandler(engine, config, decoder, clients, guard.log()));
    }
}
