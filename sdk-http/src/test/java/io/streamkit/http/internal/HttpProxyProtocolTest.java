package io.streamkit.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.streamkit.http.HttpConfig;
import io.streamkit.server.internal.ClientLog;
import io.streamkit.server.internal.ConnectionGate;
import io.streamkit.server.internal.MemoryBudget;
import io.streamkit.server.internal.ServerGuard;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP port behind a load balancer: the PROXY protocol header (v1 text or v2 binary) comes
 * first, the connection is admitted under the client it names, and routes and limits see that
 * client; a connection without a valid header is closed unanswered with one log line.
 */
class HttpProxyProtocolTest {
    private static final InetSocketAddress BALANCER = new InetSocketAddress("10.0.0.2", 50_000);
    private static final String REQUEST = "GET /api/who HTTP/1.1\r\nHost: x\r\n\r\n";

    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private ClientLog clientLog;
    private HttpServerInitializer init;

    @BeforeEach
    void start() {
        clientLog = new ClientLog(0, 0);   // counts the lines it was asked for
        Map<String, HttpRouter.Route> routes = Map.of("/api", (ctx, request, path, query) -> CompletableFuture.completedFuture(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.copiedBuffer(
                        "client " + ConnectionGate.clientAddress(ctx.channel()), StandardCharsets.UTF_8))));
        init = new HttpServerInitializer(HttpConfig.builder(0).proxyProtocol(true)
                .requestTimeout(Duration.ofSeconds(2)).maxConnectionsPerAddress(1).build(),
                List.of(), routes,
                new ServerGuard(clientLog, MemoryBudget.unlimited()));
    }

    @AfterEach
    void stop() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel connect() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                init.init(c, BALANCER);
            }
        });
        ch.freezeTime();
        channels.add(ch);
        return ch;
    }

    @Test
    void aVersion1HeaderNamesTheClient() {
        EmbeddedChannel ch = connect();
        ch.writeInbound(ascii("PROXY TCP4 203.0.113.9 192.0.2.1 51000 8080\r\n" + REQUEST));
        String out = outbound(ch);
        assertTrue(out.startsWith("HTTP/1.1 200 OK"), out);
        assertTrue(out.endsWith("client /203.0.113.9:51000"), "the route sees the client, not the balancer: " + out);
        assertEquals(1, init.connections());
        assertEquals(0, clientLog.suppressed());
    }

    @Test
    void aVersion2HeaderNamesTheClientEvenWhenItArrivesInPieces() {
        EmbeddedChannel ch = connect();
        ByteBuf header = v2Tcp6("2001:db8::7", 443);
        ch.writeInbound(header.readRetainedSlice(10));
        assertEquals("", outbound(ch));
        ch.writeInbound(Unpooled.wrappedBuffer(header, ascii(REQUEST)));
        String out = outbound(ch);
        assertTrue(out.startsWith("HTTP/1.1 200 OK"), out);
        assertTrue(out.endsWith("client /[2001:db8:0:0:0:0:0:7]:443"), out);
    }

    @Test
    void perAddressLimitsCountTheClientsNotTheBalancer() {
        EmbeddedChannel first = connect();
        first.writeInbound(ascii("PROXY TCP4 203.0.113.9 192.0.2.1 51000 8080\r\n"));
        EmbeddedChannel other = connect();
        other.writeInbound(ascii("PROXY TCP4 203.0.113.10 192.0.2.1 51000 8080\r\n" + REQUEST));
        assertTrue(outbound(other).startsWith("HTTP/1.1 200 OK"), "another client through the same balancer is admitted");
        EmbeddedChannel same = connect();
        same.writeInbound(ascii("PROXY TCP4 203.0.113.9 192.0.2.1 51001 8080\r\n" + REQUEST));
        assertFalse(same.isOpen(), "a second connection of a client limited to one is refused");
        assertEquals("", outbound(same));
        assertTrue(first.isOpen());
        assertEquals(1, clientLog.suppressed(), "one line for the refusal");
    }

    @Test
    void aConnectionWithoutAHeaderIsClosedUnansweredWithOneLine() {
        EmbeddedChannel ch = connect();
        ch.writeInbound(ascii(REQUEST + REQUEST));
        assertFalse(ch.isOpen());
        assertEquals("", outbound(ch), "nothing is answered to a client that bypassed the balancer");
        assertEquals(0, init.connections(), "never admitted");
        assertEquals(1, clientLog.suppressed());
    }

    @Test
    void aMalformedVersion2HeaderIsRefused() {
        EmbeddedChannel ch = connect();
        ByteBuf header = v2Tcp6("2001:db8::7", 443);
        header.setByte(12, 0x31);   // version 3
        ch.writeInbound(header);
        assertFalse(ch.isOpen());
        assertEquals(1, clientLog.suppressed());
    }

    @Test
    void aHeaderThatNeverComesIsCutOffAtTheRequestTimeout() {
        EmbeddedChannel ch = connect();
        ch.writeInbound(ascii("PROXY TCP4 203.0.113.9"));
        ch.advanceTimeBy(1_900, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        ch.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
        assertEquals(1, clientLog.suppressed());
    }

    /** A version 2 PROXY header for TCP over IPv6, as the specification lays it out (section 2.2). */
    static ByteBuf v2Tcp6(String source, int port) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.writeByte(0x21);   // version 2, PROXY
        b.writeByte(0x21);   // AF_INET6, STREAM
        b.writeShort(36 + 7);   // two addresses, two ports, and one TLV of 4 bytes
        b.writeBytes(io.netty.util.NetUtil.createByteArrayFromIpAddressString(source));
        b.writeBytes(io.netty.util.NetUtil.createByteArrayFromIpAddressString("2001:db8::1"));
        b.writeShort(port).writeShort(8080);
        b.writeByte(0x04).writeShort(4).writeInt(0x12345678);   // PP2_TYPE_NOOP
        return b;
    }

    static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    static String outbound(EmbeddedChannel ch) {
        StringBuilder b = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) o;
            b.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return b.toString();
    }
}
