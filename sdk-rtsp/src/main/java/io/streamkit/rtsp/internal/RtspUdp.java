package io.streamkit.rtsp.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.server.internal.Transports;
import io.netty.buffer.ByteBuf;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The server's UDP ports for RTSP over UDP: RTP goes from the even port, RTCP from the next, to
 * each player's ports, and publishers recording over UDP send theirs to them. Packets only ever
 * go to the address of the player's own RTSP connection, so a SETUP cannot aim the server's
 * traffic at a third party.
 *
 * <p>What arrives is routed by its source, an address and port a session set up
 * ({@link #route}): a publisher's RTP and RTCP to its ingest, a player's receiver reports to its
 * connection as signs of life; each on the session's event loop. Datagrams from any other source
 * are dropped and counted ({@link #unrouted()}), without a log line: UDP's sources are forged at
 * no cost, so only the sessions' own addresses and ports are taken. A route holds at most
 * {@value #MAX_PENDING} datagrams handed to its session's loop and not yet taken there; past that
 * (a session's loop that cannot keep up with its source) datagrams are dropped and counted too,
 * so memory stays bounded whatever a source sends.
 */
final class RtspUdp implements AutoCloseable {
    /** Bytes a UDP port may have queued before players count as unwritable (and skip to a keyframe). */
    static final int HIGH_WATER_MARK = 4 << 20;
    private static final int BIND_ATTEMPTS = 20;
    /** Datagrams a route may have on their way to its session's loop: a second of a 10 Mbit/s stream in 1,200-byte packets. */
    static final int MAX_PENDING = 1_024;

    private final Channel rtp;
    private final Channel rtcp;
    private final Router router;

    private RtspUdp(Channel rtp, Channel rtcp, Router router) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.router = router;
    }

    /**
     * Binds the pair.
     *
     * @param loops where the channels live
     * @param address the address to bind, or {@code null} for every address
     * @param rtpPort an even port, or 0 for a free pair
     * @return the bound ports
     * @throws InterruptedException when interrupted while binding
     * @throws IllegalStateException when no pair could be bound; the message names the ports
     */
    static RtspUdp bind(EventLoopGroup loops, InetAddress address, int rtpPort) throws InterruptedException {
        Router router = new Router();
        Bootstrap b = new Bootstrap().group(loops).channel(Transports.datagramChannel(loops))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HIGH_WATER_MARK / 2, HIGH_WATER_MARK))
                .option(ChannelOption.SO_SNDBUF, 1 << 20)
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RtspClientUdp.MAX_DATAGRAM))
                .handler(router);
        Throwable last = null;
        for (int attempt = 0; attempt < (rtpPort == 0 ? BIND_ATTEMPTS : 1); attempt++) {
            Channel first = null;
            try {
                first = bind(b, address, rtpPort);
                int port = ((InetSocketAddress) first.localAddress()).getPort();
                if (port % 2 != 0 || port == 65_535) {
                    first.close();
                    continue;
                }
                Channel second = bind(b, address, port + 1);
                return new RtspUdp(first, second, router);
            } catch (Exception e) {
                last = e;
                if (first != null) {
                    first.close();
                }
            }
        }
        throw new IllegalStateException("RTSP UDP ports " + (rtpPort == 0 ? "(a free pair)" : rtpPort + "-" + (rtpPort + 1))
                + " could not be bound" + (last == null ? "" : ": " + last.getMessage()), last);
    }

    private static Channel bind(Bootstrap b, InetAddress address, int port) throws InterruptedException {
        InetSocketAddress local = address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
        return b.bind(local).sync().channel();
    }

    /** @return the RTP port */
    int rtpPort() {
        return ((InetSocketAddress) rtp.localAddress()).getPort();
    }

    /** @return the RTCP port */
    int rtcpPort() {
        return ((InetSocketAddress) rtcp.localAddress()).getPort();
    }

    /** Whether the RTP port takes more: below its high water mark. */
    boolean writable() {
        return rtp.isWritable();
    }

    /**
     * Sends packets, RTP or RTCP by their destination's parity, from the port's event loop, and
     * flushes. Passes the packets on.
     *
     * @param packets the packets; the list is the caller's again once this returns
     */
    void send(List<DatagramPacket> packets) {
        DatagramPacket[] batch = packets.toArray(new DatagramPacket[0]);
        rtp.eventLoop().execute(() -> {
            boolean toRtp = false;
            boolean toRtcp = false;
            for (DatagramPacket p : batch) {
                boolean control = io.streamkit.format.rtp.RtcpPacket.isRtcp(p.content());
                (control ? rtcp : rtp).write(p, (control ? rtcp : rtp).voidPromise());
                toRtp |= !control;
                toRtcp |= control;
            }
            if (toRtp) {
                rtp.flush();
            }
            if (toRtcp) {
                rtcp.flush();
            }
        });
    }

    /**
     * Sends what arrives from a source to a session, on the session's loop, until
     * {@link #unroute}d. A later route from the same source replaces an earlier one.
     *
     * @param from the source: the session's RTSP peer's address and the port it set up
     * @param loop the session's event loop
     * @param sink takes each datagram's payload, owning it
     * @return the route, to give to {@link #unroute}
     */
    Object route(InetSocketAddress from, EventExecutor loop, Consumer<ByteBuf> sink) {
        Route r = new Route(loop, sink);
        router.routes.put(key(from), r);
        return r;
    }

    /**
     * Ends a route, unless a later one from the same source replaced it.
     *
     * @param from the source given to {@link #route}
     * @param route what {@link #route} returned
     */
    void unroute(InetSocketAddress from, Object route) {
        router.routes.remove(key(from), route);
    }

    /** @return the datagrams dropped for coming from no session's source, or past a route's pending limit */
    long unrouted() {
        return router.unrouted.sum();
    }

    /** A source as a key: IPv4-mapped IPv6 addresses as their IPv4 ones, as sockets report either. */
    private static InetSocketAddress key(InetSocketAddress a) {
        InetAddress address = a.getAddress();
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) {
                try {
                    return new InetSocketAddress(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}),
                            a.getPort());
                } catch (java.net.UnknownHostException e) {
                    throw new AssertionError(e);   // four bytes are always an address
                }
            }
        }
        return a;
    }

    @Override
    public void close() {
        rtp.close();
        rtcp.close();
    }

    private record Route(EventExecutor loop, Consumer<ByteBuf> sink, java.util.concurrent.atomic.AtomicInteger pending) {
        Route(EventExecutor loop, Consumer<ByteBuf> sink) {
            this(loop, sink, new java.util.concurrent.atomic.AtomicInteger());
        }
    }

    /** Routes what arrives by its source; drops the rest. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Router extends ChannelInboundHandlerAdapter {
        final Map<InetSocketAddress, Route> routes = new ConcurrentHashMap<>();
        final LongAdder unrouted = new LongAdder();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket d)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            Route r = routes.get(key(d.sender()));
            if (r == null) {
                unrouted.increment();
                d.release();
                return;
            }
            ByteBuf packet = d.content();
            if (r.loop().inEventLoop()) {
                r.sink().accept(packet);
                return;
            }
            if (r.pending().incrementAndGet() > MAX_PENDING) {
                r.pending().decrementAndGet();
                unrouted.increment();
                packet.release();
                return;
            }
            try {
                r.loop().execute(() -> {
                    r.pending().decrementAndGet();
                    r.sink().accept(packet);
                });
            } catch (RejectedExecutionException e) {
                r.pending().decrementAndGet();
                packet.release();   // the loop is shutting down
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable from a player that went away, on Linux: nothing to do
        }
    }
}
