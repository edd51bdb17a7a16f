package io.streamkit.http.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.streamkit.http.HttpConfig;
import io.streamkit.http.spi.HttpMount;
import io.streamkit.server.internal.ConnectionGate;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.ProxyProtocolHandler;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.server.internal.TlsContexts;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds each HTTP connection's pipeline and enforces the connection limits: the PROXY protocol
 * header first when the port takes it (the connection is admitted under the client it names),
 * then TLS on the HTTPS port, the idle timeout, the HTTP codec, the input budget, the aggregator
 * and the router.
 */
public final class HttpServerInitializer extends ChannelInitializer<SocketChannel> {
    /** The HTTP codec's name, {@link HttpMount#CODEC_HANDLER}: streaming mounts write their body from its context. */
    public static final String CODEC = HttpMount.CODEC_HANDLER;

    private final HttpConfig config;
    private final List<HttpMount> mounts;
    private final Map<String, HttpRouter.Route> routes;
    private final ConnectionGate gate;
    private final ServerGuard guard;
    private final io.netty.handler.ssl.SslContext tls;

    /**
     * Creates the initializer.
     *
     * @param config the HTTP settings
     * @param mounts the protocol modules' parts of the port (HTTP-FLV, HLS, ...): kept, not
     *     copied, so that modules started after the HTTP module mount before the first request
     * @param routes path prefix to route for the server's own resources (API, metrics, the
     *     application's routes), tried longest first
     * @param guard the server's memory budget and log of clients' mistakes
     */
    public HttpServerInitializer(HttpConfig config, List<HttpMount> mounts, Map<String, HttpRouter.Route> routes,
                                 ServerGuard guard) {
        this(config, mounts, routes, null, guard,
                new ConnectionGate("http", config.maxConnections(), config.maxConnectionsPerAddress(), guard.log()));
    }

    private HttpServerInitializer(HttpConfig config, List<HttpMount> mounts, Map<String, HttpRouter.Route> routes,
                                  io.netty.handler.ssl.SslContext tls, ServerGuard guard, ConnectionGate gate) {
        this.config = config;
        this.mounts = mounts;
        this.routes = routes;
        this.tls = tls;
        this.guard = guard;
        this.gate = gate;
    }

    /**
     * Creates the initializer of the HTTPS port: TLS first, then the same pipeline; its
     * connections count against the same limit.
     *
     * @return the initializer
     * @throws javax.net.ssl.SSLException when the certificate or key cannot be loaded
     */
    public HttpServerInitializer withTls() throws javax.net.ssl.SSLException {
        return new HttpServerInitializer(config, mounts, routes, TlsContexts.server(config.tls()), guard, gate);
    }

    /**
     * Returns the connections open now.
     *
     * @return the count
     */
    public int connections() {
        return gate.connections();
    }

    /**
     * Bytes of request bodies one connection may hold: its own and every request pipelined behind
     * a pending answer at their largest. The address's and the server's shares bound many such
     * connections together.
     */
    long perConnectionBudget() {
        return (long) config.maxContentLength() * (HttpRouter.MAX_PIPELINED + 1);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        init(ch, ch.remoteAddress());
    }

    /**
     * Admits a connection and builds its pipeline, or waits for its PROXY protocol header first.
     * Public for the modules mounted on HTTP, whose tests run their mounts in this pipeline over
     * an embedded channel with a chosen peer.
     *
     * @param ch the connection
     * @param peer its socket's peer, the client when no proxy names another
     */
    public void init(Channel ch, InetSocketAddress peer) {
        if (config.proxyProtocol()) {
            ProxyProtocolHandler.install(ch, "http", config.requestTimeout(), gate, guard.log(), this::pipeline);
        } else if (gate.admit(ch, peer)) {
            pipeline(ch);
        }
    }

    private void pipeline(Channel ch) {
        if (tls != null) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
        }
        ch.pipeline()
                .addLast("idle", new IdleTimeoutHandler(config.idleTimeout().toNanos(), TimeUnit.NANOSECONDS))
                .addLast(CODEC, new HttpServerCodec(config.maxInitialLineLength(), config.maxHeaderSize(), 8192))
                .addLast("http-budget", new HttpInputBudget(guard.memory(), perConnectionBudget()))
                .addLast("http-aggregator", new HttpBodyAggregator(config.maxContentLength()))
                .addLast("http-router", new HttpRouter(config, mounts, routes, guard.log()));
    }
}
