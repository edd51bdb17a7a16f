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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The server's UDP ports for RTSP players: RTP goes from the even port, RTCP from the next, to
 * each player's ports. What arrives on them (players' receiver reports, NAT keep-alives) is
 * read and dropped: players keep their sessions alive through their RTSP connection. Packets only
 * ever go to the address of the player's own RTSP connection, so a SETUP cannot aim the server's
 * traffic at a third party.
 */
final class RtspUdp implements AutoCloseable {
    /** Bytes a UDP port may have queued before players count as unwritable (and skip to a keyframe). */
    static final int HIGH_WATER_MARK = 4 << 20;
    private static final int BIND_ATTEMPTS = 20;

    private final Channel rtp;
    private final Channel rtcp;

    private RtspUdp(Channel rtp, Channel rtcp) {
        this.rtp = rtp;
        this.rtcp = rtcp;
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
        Bootstrap b = new Bootstrap().group(loops).channel(Transports.datagramChannel(loops))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HIGH_WATER_MARK / 2, HIGH_WATER_MARK))
                .option(ChannelOption.SO_SNDBUF, 1 << 20)
                .handler(new Drop());
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
                return new RtspUdp(first, second);
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

    @Override
    public void close() {
        rtp.close();
        rtcp.close();
    }

    /** Reads and drops what players send. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Drop extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable from a player that went away, on Linux: nothing to do
        }
    }
}
