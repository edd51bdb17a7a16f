package io.streamkit.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.streamkit.test.Await;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's UDP pair: what arrives goes to the session of its source, on that session's loop, or is dropped. */
class RtspUdpTest {
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop session = new DefaultEventLoop();
    private final ConcurrentLinkedQueue<Integer> taken = new ConcurrentLinkedQueue<>();
    private RtspUdp udp;
    private DatagramSocket source;
    private DatagramSocket stranger;

    @BeforeEach
    void start() throws Exception {
        udp = RtspUdp.bind(io, InetAddress.getLoopbackAddress(), 0);
        source = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() {
        source.close();
        stranger.close();
        udp.close();
        session.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aRoutedSourcesDatagramsReachItsSessionsLoopInOrderAndOthersAreCounted() throws Exception {
        udp.route((InetSocketAddress) source.getLocalSocketAddress(), session, packet -> take(packet));
        for (int i = 0; i < 50; i++) {
            send(stranger, i, udp.rtpPort());
            send(source, i, i % 2 == 0 ? udp.rtpPort() : udp.rtcpPort());
        }
        await(() -> taken.size() == 50 && udp.unrouted() == 50);
        assertEquals(50, taken.size());
        assertEquals(50, udp.unrouted());
    }

    @Test
    void aRouteEndsAndALaterRouteOfTheSameSourceIsNotEndedByAnEarlierOnesEnd() throws Exception {
        InetSocketAddress from = (InetSocketAddress) source.getLocalSocketAddress();
        Object first = udp.route(from, session, packet -> take(packet));
        udp.unroute(from, first);
        send(source, 1, udp.rtpPort());
        await(() -> udp.unrouted() == 1);
        Object second = udp.route(from, session, packet -> take(packet));
        udp.unroute(from, first);   // the first's end again: the second stays
        send(source, 2, udp.rtpPort());
        await(() -> taken.size() == 1);
        assertEquals(List.of(2), List.copyOf(taken));
        udp.unroute(from, second);
    }

    @Test
    void aSessionLoopThatCannotKeepUpGetsAtMostThePendingLimitAndTheRestIsDropped() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        session.execute(() -> {
            try {
                blocked.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        udp.route((InetSocketAddress) source.getLocalSocketAddress(), session, packet -> take(packet));
        int sent = RtspUdp.MAX_PENDING + 500;
        for (int i = 0; i < sent; i++) {
            send(source, i, udp.rtpPort());
        }
        // every datagram read while the loop is blocked: the limit's worth wait, the rest are dropped
        await(() -> udp.unrouted() == sent - RtspUdp.MAX_PENDING);
        assertEquals(0, taken.size());
        blocked.countDown();
        await(() -> taken.size() == RtspUdp.MAX_PENDING);
        assertEquals(sent - RtspUdp.MAX_PENDING, udp.unrouted());
    }

    private void take(ByteBuf packet) {
        assertTrue(session.inEventLoop(), "on the session's loop");
        taken.add(packet.getInt(packet.readerIndex()));
        packet.release();
    }

    private static void send(DatagramSocket from, int n, int port) throws Exception {
        byte[] b = {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n, 0, 0, 0, 0};
        from.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    }

    private void await(BooleanSupplier condition) {
        Await.until(Duration.ofSeconds(10), condition, () -> taken.size() + " taken, " + udp.unrouted() + " dropped");
    }
}
