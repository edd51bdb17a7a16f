package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.NetUtil;
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.server.internal.ClientLog;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ConnectionGate;
import io.streamkit.server.internal.MemoryBudget;
import io.streamkit.server.internal.ServerGuard;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An RTMP port behind a load balancer: the PROXY protocol header comes before the handshake,
 * the connection is admitted and registered under the client it names, and a connection that
 * starts with the handshake itself is closed unanswered with one log line.
 */
class RtmpProxyProtocolTest {
    private static final int N = RtmpHandshake.PACKET_SIZE;
    private static final InetSocketAddress BALANCER = new InetSocketAddress("10.0.0.2", 50_000);

    private StreamEngine engine;
    private ClientLog clientLog;
    private ClientRegistry clients;
    private RtmpServerInitializer init;
    private EmbeddedChannel ch;

    @BeforeEach
    void start() {
        engine = Engine.builder().build();
        clientLog = new ClientLog(0, 0);   // counts the lines it was asked for
        clients = new ClientRegistry();
        init = new RtmpServerInitializer((Engine) engine, RtmpConfig.builder(0).proxyProtocol(true)
                .handshakeTimeout(Duration.ofSeconds(2)).build(), clients, new ServerGuard(clientLog, MemoryBudget.unlimited()));
        ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                init.init(c, BALANCER);
            }
        });
        ch.freezeTime();
    }

    @AfterEach
    void stop() {
        ch.finishAndReleaseAll();
        engine.close();
    }

    @Test
    void aVersion1HeaderBeforeTheHandshakeNamesTheClient() {
        ch.writeInbound(Unpooled.wrappedBuffer(
                Unpooled.copiedBuffer("PROXY TCP4 198.51.100.20 192.0.2.1 40123 1935\r\n", StandardCharsets.US_ASCII), c0c1()));
        assertHandshakeAnswered();
        assertEquals(new InetSocketAddress("198.51.100.20", 40123), ConnectionGate.clientAddress(ch));
        assertEquals(new InetSocketAddress("198.51.100.20", 40123), clients.list().get(0).remoteAddress(),
                "the API's client list shows the client, not the balancer");
        assertEquals(0, clientLog.suppressed());
    }

    @Test
    void aVersion2HeaderBeforeTheHandshakeNamesTheClient() {
        ByteBuf header = Unpooled.buffer();
        header.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        header.writeByte(0x21).writeByte(0x11).writeShort(12);   // v2 PROXY, TCP over IPv4, 12 bytes of addresses
        header.writeBytes(NetUtil.createByteArrayFromIpAddressString("198.51.100.21"));
        header.writeBytes(NetUtil.createByteArrayFromIpAddressString("192.0.2.1"));
        header.writeShort(40124).writeShort(1935);
        ch.writeInbound(header);
        assertNull(ch.readOutbound(), "nothing before the handshake");
        ch.writeInbound(c0c1());
        assertHandshakeAnswered();
        assertEquals(new InetSocketAddress("198.51.100.21", 40124), clients.list().get(0).remoteAddress());
    }

    @Test
    void aHandshakeWithoutAHeaderIsRefused() {
        ch.writeInbound(c0c1());
        assertFalse(ch.isOpen());
        assertNull(ch.readOutbound(), "no S0/S1/S2 for a client that bypassed the balancer");
        assertTrue(clients.list().isEmpty());
        assertEquals(0, init.connections());
        assertEquals(1, clientLog.suppressed(), "one line");
    }

    @Test
    void aHeaderThatNeverComesIsCutOffAtTheHandshakeTimeout() {
        ch.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 ", StandardCharsets.US_ASCII));
        ch.advanceTimeBy(2_100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
        assertEquals(1, clientLog.suppressed());
    }

    private void assertHandshakeAnswered() {
        ByteBuf reply = ch.readOutbound();
        assertEquals(1 + 2 * N, reply.readableBytes(), "S0, S1 and S2");
        assertEquals(3, reply.getByte(0));
        reply.release();
        assertTrue(ch.isOpen());
        assertEquals(1, init.connections());
    }

    /** C0 and a simple-form C1. */
    private static ByteBuf c0c1() {
        return Unpooled.buffer().writeByte(3).writeZero(N);
    }
}
