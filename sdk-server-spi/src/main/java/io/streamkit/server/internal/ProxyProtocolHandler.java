package io.streamkit.server.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of a connection on a listener behind a load balancer that speaks the PROXY protocol
 * (version 1, text, or 2, binary; Netty's {@link HAProxyMessageDecoder} reads both): waits for
 * the header, admits the connection through the {@link ConnectionGate} under the client address
 * the header names, and only then builds the protocol's pipeline and tells it the connection is
 * active. So every limit, the memory budget, auth requests, logs and the client list see the
 * real client, never the proxy.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>time to the whole header</td><td>the listener's first deadline (RTMP's handshake
 *       timeout, HTTP's request timeout)</td><td>close, one log line</td></tr>
 *   <tr><td>version 1 header</td><td>108 bytes, the specification's maximum</td><td>close, one log line</td></tr>
 *   <tr><td>version 2 extensions (TLVs)</td><td>{@value #MAX_TLV_BYTES} bytes</td><td>close, one log line</td></tr>
 *   <tr><td>anything that is not a valid header</td><td></td><td>close, one log line</td></tr>
 * </table>
 *
 * <p>A {@code LOCAL} header (the proxy's own health check) and a header whose client is not an
 * IP address ({@code UNKNOWN}, a Unix socket) keep the socket's peer, as the specification says.
 * Before its header a connection is not admitted and counts against no limit; it holds at most
 * the header's bytes and only until its deadline. Confined to the channel's event loop.
 *
 * @see <a href="https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt">The PROXY protocol, versions 1 and 2</a>
 */
public final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {
    /**
     * The largest extension block of a version 2 header: what proxies send (AWS's endpoint id,
     * Azure's link id, HAProxy's TLS facts) is tens to hundreds of bytes.
     */
    public static final int MAX_TLV_BYTES = 4096;
    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolHandler.class);

    private final String protocol;
    private final Duration timeout;
    private final ConnectionGate gate;
    private final ClientLog clientLog;
    private final Consumer<Channel> pipeline;
    private ScheduledFuture<?> deadline;
    private boolean done;

    private ProxyProtocolHandler(String protocol, Duration timeout, ConnectionGate gate, ClientLog clientLog,
                                 Consumer<Channel> pipeline) {
        this.protocol = protocol;
        this.timeout = timeout;
        this.gate = gate;
        this.clientLog = clientLog;
        this.pipeline = pipeline;
    }

    /**
     * Makes a new connection wait for its PROXY protocol header before anything else.
     *
     * @param channel the accepted connection, with an empty pipeline
     * @param protocol the listener's name in log lines ({@code rtmp}, {@code http})
     * @param timeout how long the header may take to arrive whole
     * @param gate admits the connection under the client's address
     * @param clientLog where a refusal is logged
     * @param pipeline builds the protocol's pipeline (by {@code addLast}) once the connection is
     *     admitted; its handlers then see {@code channelActive}
     */
    public static void install(Channel channel, String protocol, Duration timeout, ConnectionGate gate,
                               ClientLog clientLog, Consumer<Channel> pipeline) {
        channel.pipeline()
                .addLast("proxy-decoder", new HAProxyMessageDecoder(MAX_TLV_BYTES))
                .addLast("proxy", new ProxyProtocolHandler(protocol, timeout, gate, clientLog, pipeline));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        // Not passed on: the protocol's handlers are added, and see the connection start, after the header.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    private void arm(ChannelHandlerContext ctx) {
        if (deadline != null || done) {
            return;
        }
        deadline = ctx.executor().schedule(() -> {
            deadline = null;
            if (!done && ctx.channel().isActive()) {
                done = true;
                clientLog.info(log, "{} {}: no PROXY protocol header within {}; closing", protocol,
                        ctx.channel().remoteAddress(), timeout);
                ctx.close();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ReferenceCountUtil.release(msg);   // only a refused connection's leftovers get here: this handler is gone once admitted
            return;
        }
        if (done) {
            header.release();
            return;
        }
        InetSocketAddress client;
        try {
            client = client(header, ctx.channel());
        } finally {
            header.release();
        }
        done = true;
        disarm();
        if (client == null) {
            clientLog.info(log, "{} {}: refused, the PROXY protocol header names no client address; closing", protocol,
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        if (!gate.admit(ctx.channel(), client)) {
            return;   // closed, and logged by the gate
        }
        pipeline.accept(ctx.channel());
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);   // what followed the header reaches the protocol's first handler
    }

    /** The client a header names, the socket's peer where it names none, or {@code null}. */
    static InetSocketAddress client(HAProxyMessage header, Channel channel) {
        InetSocketAddress peer = channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
        if (header.command() == HAProxyCommand.LOCAL) {
            return peer;
        }
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        if (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4 && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6) {
            return peer;
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new InetSocketAddress(address, header.sourcePort());
    }

    /** The innermost message, with what the peer sent made printable: control bytes as {@code ?}. */
    static String reason(Throwable cause) {
        Throwable c = cause;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String message = c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
        StringBuilder b = new StringBuilder(Math.min(message.length(), 160));
        for (int i = 0; i < message.length() && i < 160; i++) {
            char ch = message.charAt(i);
            b.append(ch < 0x20 || ch >= 0x7F ? '?' : ch);
        }
        return b.toString();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            log.debug("{} {}: after the refusal: {}", protocol, ctx.channel().remoteAddress(), cause.toString());
            return;   // the decoder's echo of the bad header, as the connection closes: logged once already
        }
        done = true;
        disarm();
        if (cause instanceof IOException) {
            log.debug("{} {}: {}", protocol, ctx.channel().remoteAddress(), cause.toString());
        } else if (cause instanceof DecoderException) {
            clientLog.info(log, "{} {}: refused, no valid PROXY protocol header: {}; closing", protocol,
                    ctx.channel().remoteAddress(), reason(cause));
        } else {
            log.warn("{} {}: unexpected error before the PROXY protocol header; closing", protocol,
                    ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
