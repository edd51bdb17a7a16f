package io.streamkit.rtsp.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.format.rtp.RtcpPacket;
import io.streamkit.format.rtp.RtpReorderBuffer;
import io.streamkit.server.internal.Transports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One track's UDP ports on the client's side of a pull (RFC 2326 12.39's {@code client_port}):
 * an even port for RTP and the next for RTCP, on the RTSP connection's event loop, so what
 * arrives meets the ingest on its own thread, through a {@link UdpRtpInput} (which puts RTP back
 * in order).
 *
 * <p>Only datagrams from the RTSP server's address are taken (a camera's ports are its own,
 * and NATs rewrite them, so any port of that address); the rest are dropped and counted. A
 * receiver report goes to the server's RTCP port every {@value #REPORT_SECONDS} s, which keeps a
 * NAT's mapping open and tells cameras that wait for one that the receiver lives.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>packets held for a missing one</td><td>{@value RtpReorderBuffer#DEFAULT_CAPACITY}</td><td>the gap is given up</td></tr>
 *   <tr><td>time a gap is waited for</td><td>{@value UdpRtpInput#REORDER_MILLIS} ms</td><td>the gap is given up</td></tr>
 *   <tr><td>datagram size</td><td>{@value #MAX_DATAGRAM} bytes</td><td>the rest is cut by the socket; the packet is malformed and dropped</td></tr>
 * </table>
 */
final class RtspClientUdp implements AutoCloseable {
    /** Receiver reports' period: RFC 3550 6.2's 5 s minimum interval. */
    static final int REPORT_SECONDS = 5;
    /** The largest datagram read: an IPv4 UDP payload's maximum. */
    static final int MAX_DATAGRAM = 65_507;
    private static final int BIND_ATTEMPTS = 20;

    private final Channel rtp;
    private final Channel rtcp;
    private final InetAddress peer;
    private final UdpRtpInput input;
    private final long ssrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    private ScheduledFuture<?> reports;
    private long foreign;
    private boolean closed;

    private RtspClientUdp(Channel rtp, Channel rtcp, int channel, InetAddress peer, Consumer<InterleavedFrame> sink) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.peer = peer;
        this.input = new UdpRtpInput(rtp.eventLoop(), channel, sink);
    }

    /**
     * Binds a pair of ports on a loop, the even one first.
     *
     * @param loop the RTSP connection's event loop
     * @param local the address to bind: the RTSP connection's local one
     * @param peer the RTSP server's address, the only one packets are taken from
     * @param channel the track's RTP channel (RTCP's is the next), as the ingest knows the track
     * @param sink takes the packets, in order, each as an interleaved frame it owns
     * @return the pair, once bound; failed when no pair could be bound
     */
    static io.netty.util.concurrent.Future<RtspClientUdp> bind(EventLoop loop, InetAddress local, InetAddress peer,
                                                              int channel, Consumer<InterleavedFrame> sink) {
        Promise<RtspClientUdp> promise = loop.newPromise();
        Receiver receiver = new Receiver();
        Bootstrap b = new Bootstrap().group(loop).channel(Transports.datagramChannel(loop))
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .handler(receiver);
        new Binding(b, local, promise, first -> rtcp -> {
            RtspClientUdp udp = new RtspClientUdp(first, rtcp, channel, peer, sink);
            receiver.udp = udp;
            return udp;
        }).next();
        return promise;
    }

    /** Binds a free port, then the next one when the first is even; from a new free port when not. */
    private static final class Binding {
        private final Bootstrap b;
        private final InetAddress local;
        private final Promise<RtspClientUdp> promise;
        private final Function<Channel, Function<Channel, RtspClientUdp>> make;
        private int attempts;

        Binding(Bootstrap b, InetAddress local, Promise<RtspClientUdp> promise,
                Function<Channel, Function<Channel, RtspClientUdp>> make) {
            this.b = b;
            this.local = local;
            this.promise = promise;
            this.make = make;
        }

        void next() {
            if (attempts++ == BIND_ATTEMPTS) {
                promise.tryFailure(new IllegalStateException("no pair of free UDP ports for RTP in " + BIND_ATTEMPTS
                        + " attempts"));
                return;
            }
            b.bind(new InetSocketAddress(local, 0)).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    promise.tryFailure(f.cause());
                    return;
                }
                Channel first = f.channel();
                int port = ((InetSocketAddress) first.localAddress()).getPort();
                if (port % 2 != 0 || port == 65_535) {
                    first.close();
                    next();
                    return;
                }
                b.bind(new InetSocketAddress(local, port + 1)).addListener((ChannelFuture g) -> {
                    if (!g.isSuccess()) {
                        first.close();
                        next();
                        return;
                    }
                    RtspClientUdp udp = make.apply(first).apply(g.channel());
                    if (!promise.trySuccess(udp)) {
                        udp.close();
                    }
                });
            });
        }
    }

    /** @return the RTP port; RTCP's is the next */
    int rtpPort() {
        return ((InetSocketAddress) rtp.localAddress()).getPort();
    }

    /** RTP packets taken from the server. */
    long packets() {
        return input.packets();
    }

    /** Datagrams dropped for coming from another address than the server's. */
    long foreign() {
        return foreign;
    }

    /**
     * Starts the receiver reports to the server's RTCP port. On the loop.
     *
     * @param serverRtcpPort the server's RTCP port from its {@code Transport} answer, or -1 when it gave none
     */
    void start(int serverRtcpPort) {
        if (serverRtcpPort <= 0 || closed) {
            return;
        }
        InetSocketAddress to = new InetSocketAddress(peer, serverRtcpPort);
        Runnable report = () -> {
            ByteBuf rr = rtcp.alloc().buffer(64);
            RtcpPacket.writeReceiverReport(rr, ssrc, input.sourceSsrc(), 0, (int) Math.min(Integer.MAX_VALUE, input.lost()),
                    0, 0, 0, 0, "streamkit");
            rtcp.writeAndFlush(new DatagramPacket(rr, to), rtcp.voidPromise());
        };
        report.run();   // also opens a NAT's mapping towards the server before its first packet
        reports = rtp.eventLoop().scheduleAtFixedRate(report, REPORT_SECONDS, REPORT_SECONDS, TimeUnit.SECONDS);
    }

    /** Closes the ports and releases what waits in the reorder buffer. On the loop, or from any thread at the end. */
    @Override
    public void close() {
        try {
            rtp.eventLoop().execute(this::closeNow);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closeNow();   // the loop is gone: nothing else runs on it any more
        }
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (reports != null) {
            reports.cancel(false);
        }
        input.close();
        rtp.close();
        rtcp.close();
    }

    /** Both ports' handler: routes a datagram from the server to its pair. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Receiver extends ChannelInboundHandlerAdapter {
        RtspClientUdp udp;   // set on the loop, read on it

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket d)) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            RtspClientUdp u = udp;
            if (u == null || u.closed || !d.sender().getAddress().equals(u.peer)) {
                if (u != null) {
                    u.foreign++;
                }
                d.release();
                return;
            }
            if (ctx.channel() == u.rtp) {
                u.input.rtp(d.content());
            } else {
                u.input.rtcp(d.content());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable after the server went away, on Linux: the RTSP connection ends the pull
        }
    }
}
