package io.streamkit.httpflv.internal;

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
import io.streamkit.engine.StreamEngine;
import io.streamkit.http.HttpConfig;
import io.streamkit.http.internal.HttpRouter;
import io.streamkit.http.internal.HttpServerInitializer;
import io.streamkit.internal.engine.Engine;
import io.streamkit.server.internal.ClientLog;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.MemoryBudget;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.TestMedia;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw request bytes into an HTTP connection's real pipeline, with HTTP-FLV mounted (its players
 * and WebSocket upgrades are what most of these requests ask for): every malformed request gets its status,
 * a text body and {@code Connection: close}, the connection closes, a request read with it is not
 * served, and the mistake is one line of the client log.
 */
class HttpRouterRefusalTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 40_000);
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";   // RFC 6455's example key, 16 bytes
    private static final String NEXT = "GET /api/ok HTTP/1.1\r\nHost: x\r\n\r\n";

    private StreamEngine engine;
    private ClientLog clientLog;
    private EmbeddedChannel ch;

    @BeforeEach
    void start() {
        engine = Engine.builder().policy(StreamPolicy.defaults().withPlayWait(Duration.ZERO)).build();
        clientLog = new ClientLog(0, 0);   // writes nothing, counts every line it was asked for
    }

    @AfterEach
    void stop() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
        engine.close();
    }

    private EmbeddedChannel connect(HttpConfig config, MemoryBudget budget) {
        Map<String, HttpRouter.Route> routes = Map.of("/api", (ctx, request, path, query) -> CompletableFuture.completedFuture(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("ok " + path, StandardCharsets.UTF_8))));
        HttpServerInitializer init = new HttpServerInitializer(config,
                List.of(new HttpFlvService((Engine) engine, new ClientRegistry(), config.writeBatch(), config.absoluteTime())),
                routes, new ServerGuard(clientLog, budget));
        ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                init.init(c, PEER);
            }
        });
        ch.freezeTime();
        return ch;
    }

    private EmbeddedChannel connect() {
        return connect(HttpConfig.builder(0).maxContentLength(1024).build(), MemoryBudget.unlimited());
    }

    static Stream<Arguments> malformed() {
        String ws = "GET /live/cam.flv HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
        return Stream.of(
                Arguments.of("invalid %-escape", "GET /live/%zz.flv HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("truncated %-escape", "GET /live/cam%4 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("overlong UTF-8", "GET /live/%C0%AE%C0%AE/x.flv HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("truncated UTF-8", "GET /live/%E0%80.flv HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("invalid escape in the query", "GET /api/ok?token=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("encoded slash in the path", "GET /live/a%2Fb.flv?x=%2F HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("no request line", "NONSENSE\r\n\r\n", 400),
                Arguments.of("request line too long", "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                Arguments.of("headers too large", "GET /api/ok HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000)
                        + "\r\n\r\n", 431),
                Arguments.of("unknown method", "BREW /api/ok HTTP/1.1\r\nHost: x\r\n\r\n", 501),
                Arguments.of("POST to a stream", "POST /live/cam.flv HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405),
                Arguments.of("declared body over the limit", "POST /api/ok HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n",
                        413),
                Arguments.of("chunked body over the limit", "POST /api/ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "400\r\n" + "x".repeat(1024) + "\r\n" + "400\r\n" + "x".repeat(1024) + "\r\n", 413),
                Arguments.of("Content-Length not a number", "POST /api/ok HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                        400),
                Arguments.of("two Content-Lengths", "POST /api/ok HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                        + "Content-Length: 2\r\n\r\nab", 400),
                Arguments.of("bad chunk size", "POST /api/ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
                Arguments.of("upgrade without a key", ws + "Sec-WebSocket-Version: 13\r\n\r\n", 400),
                Arguments.of("upgrade without a version", ws + "Sec-WebSocket-Key: " + KEY + "\r\n\r\n", 400),
                Arguments.of("upgrade with version 8", ws + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 8\r\n\r\n",
                        400),
                Arguments.of("upgrade with a short key", ws + "Sec-WebSocket-Key: abcd\r\nSec-WebSocket-Version: 13\r\n\r\n", 400),
                Arguments.of("upgrade without Connection: Upgrade", "GET /live/cam.flv HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                        + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n", 400),
                Arguments.of("POST upgrade", "POST /live/cam.flv HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedRequestIsAnsweredOnceAndTheConnectionCloses(String what, String request, int status) {
        connect();
        ch.writeInbound(Unpooled.copiedBuffer(request + NEXT, StandardCharsets.ISO_8859_1));
        ch.runPendingTasks();
        String out = outbound();
        assertTrue(out.startsWith("HTTP/1.1 " + status + " "), what + ": " + firstLine(out));
        assertEquals(1, out.split("HTTP/1.1 ", -1).length - 1, what + ": one response, the request after it is not served: " + out);
        assertTrue(out.toLowerCase().contains("\r\nconnection: close\r\n"), what + ": Connection: close");
        assertTrue(out.contains("content-type: text/plain"), what + ": a text body");
        assertTrue(out.contains("\r\n\r\n" + status + " "), what + ": the body names the status: " + out);
        assertFalse(ch.isOpen(), what + ": closed");
        assertFalse(ch.config().isAutoRead(), what + ": reads nothing more");
        assertEquals(1, clientLog.suppressed(), what + ": one log line");
        if (what.startsWith("upgrade with version")) {
            assertTrue(out.contains("sec-websocket-version: 13"), "names the version this server speaks (RFC 6455, 4.4)");
        }
    }

    @Test
    void aGoodRequestIsServedAndTheConnectionStaysOpen() {
        connect();
        // an escaped URL in the query is a value, not a path: its slashes are not refused
        ch.writeInbound(Unpooled.copiedBuffer("GET /api/ok%20there?x=%41&url=rtsp%3A%2F%2Fcam%2Fa HTTP/1.1\r\nHost: x\r\n\r\n"
                + NEXT,
                StandardCharsets.ISO_8859_1));
        String out = outbound();
        assertEquals(2, out.split("HTTP/1.1 200 OK", -1).length - 1, out);
        assertTrue(out.contains("ok /api/ok there"), "the decoded path: " + out);
        assertTrue(ch.isOpen());
        assertEquals(0, clientLog.suppressed());
    }

    @Test
    void aSlowlorisIsClosedAtTheRequestTimeoutHoweverOftenItSendsAByte() {
        connect(HttpConfig.builder(0).requestTimeout(Duration.ofSeconds(10)).build(), MemoryBudget.unlimited());
        ch.writeInbound(Unpooled.copiedBuffer("GET /api/ok HTTP/1.1\r\n", StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 4; i++) {
            advance(2_000);
            ch.writeInbound(Unpooled.copiedBuffer("X-" + i + ": y\r\n", StandardCharsets.ISO_8859_1));
            assertTrue(ch.isOpen(), "still within the deadline after " + (i + 1) * 2 + " s");
        }
        advance(2_100);
        assertFalse(ch.isOpen(), "closed at 10 s although a header byte came every 2 s");
        assertEquals(1, clientLog.suppressed(), "one line");
    }

    @Test
    void aWebSocketUpgradeThatNeverFinishesIsClosedAtTheRequestTimeout() {
        connect(HttpConfig.builder(0).requestTimeout(Duration.ofSeconds(3)).build(), MemoryBudget.unlimited());
        ch.writeInbound(Unpooled.copiedBuffer("GET /live/cam.flv HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\n", StandardCharsets.ISO_8859_1));
        advance(2_900);
        assertTrue(ch.isOpen());
        advance(200);
        assertFalse(ch.isOpen(), "closed at the request timeout");
        assertEquals("", outbound(), "nothing answered to a request that never came whole");
    }

    @Test
    void aStreamingPlayerIsUnderTheIdleRuleOnlyNotTheRequestTimeout() {
        Publisher publisher = engine.publish(StreamKey.of("live", "cam"));
        try {
            publisher.addTrack(TestMedia.h264());
            connect(HttpConfig.builder(0).requestTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(30)).build(),
                    MemoryBudget.unlimited());
            ch.writeInbound(Unpooled.copiedBuffer("GET /live/cam.flv HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.ISO_8859_1));
            ch.runPendingTasks();
            assertTrue(outbound().startsWith("HTTP/1.1 200 OK"), "the player's response started");
            advance(20_000);
            assertTrue(ch.isOpen(), "a playing connection outlives the request timeout by far");
            advance(20_000);
            assertFalse(ch.isOpen(), "closed by the idle rule: nothing moved for 30 s");
        } finally {
            publisher.close();
        }
    }

    @Test
    void aBodyOverTheMemoryBudgetIsRefusedWith413() {
        MemoryBudget budget = new MemoryBudget(4096, 4096);
        MemoryBudget.Account others = budget.open(null, 4096);
        assertTrue(others.reserve(3500), "other connections hold most of the budget");
        try {
            connect(HttpConfig.builder(0).maxContentLength(2048).build(), budget);
            ch.writeInbound(Unpooled.copiedBuffer("POST /api/ok HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
                    + "x".repeat(1000) + NEXT, StandardCharsets.ISO_8859_1));
            String out = outbound();
            assertTrue(out.startsWith("HTTP/1.1 413 "), firstLine(out));
            assertTrue(out.contains("memory budget"), out);
            assertEquals(1, out.split("HTTP/1.1 ", -1).length - 1, out);
            assertFalse(ch.isOpen());
            assertEquals(1, clientLog.suppressed());
            assertEquals(3500, budget.used(), "the refused connection holds nothing");
        } finally {
            others.close();
        }
    }

    @Test
    void bodiesAreReservedWhileTheyArriveAndGivenBackWhenHandled() {
        MemoryBudget budget = new MemoryBudget(1 << 20, 1 << 20);
        connect(HttpConfig.builder(0).maxContentLength(4096).build(), budget);
        ch.writeInbound(Unpooled.copiedBuffer("POST /api/ok HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n"
                + "x".repeat(2000), StandardCharsets.ISO_8859_1));
        assertEquals(2000, budget.used(), "what arrived of the body is held");
        ch.writeInbound(Unpooled.copiedBuffer("x".repeat(1000), StandardCharsets.ISO_8859_1));
        assertTrue(outbound().startsWith("HTTP/1.1 200 OK"));
        assertEquals(0, budget.used(), "handled: given back");
        ch.writeInbound(Unpooled.copiedBuffer("POST /api/ok HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\nxyz",
                StandardCharsets.ISO_8859_1));
        assertEquals(3, budget.used());
        ch.close();
        assertEquals(0, budget.used(), "a connection that closes gives back what it held");
    }

    @Test
    void aWebSocketPlayerOverItsShareIsClosedWithStatus1009() {
        Publisher publisher = engine.publish(StreamKey.of("live", "cam"));
        MemoryBudget budget = new MemoryBudget(4096, 4096);
        MemoryBudget.Account others = budget.open(null, 4096);
        try {
            publisher.addTrack(TestMedia.h264());
            connect(HttpConfig.builder(0).build(), budget);
            ch.writeInbound(Unpooled.copiedBuffer("GET /live/cam.flv HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n",
                    StandardCharsets.ISO_8859_1));
            ch.runPendingTasks();
            String out = outbound();
            assertTrue(out.startsWith("HTTP/1.1 101 "), firstLine(out));
            ch.writeInbound(ping(100));
            assertTrue(outbound().contains("\u008a\u0064"), "a ping is answered with a pong of its 100 bytes");
            assertEquals(0, budget.used(), "the ping's bytes are given back once its pong is written");
            assertTrue(others.reserve(4000), "other connections now hold most of the budget");
            ch.writeInbound(ping(100));
            out = outbound();
            assertTrue(out.contains("\u0088"), "a close frame: " + out);
            assertTrue(out.contains("\u0003\u00f1"), "with status 1009 (0x03f1)");
            assertFalse(ch.isOpen());
            assertEquals(1, clientLog.suppressed(), "one line");
            assertEquals(4000, budget.used(), "the closed player holds nothing");
        } finally {
            others.close();
            publisher.close();
        }
    }

    @Test
    void aWebSocketMessageOverTheFrameLimitClosesWith1009AndOneLine() {
        Publisher publisher = engine.publish(StreamKey.of("live", "cam"));
        try {
            publisher.addTrack(TestMedia.h264());
            connect();
            ch.writeInbound(Unpooled.copiedBuffer("GET /live/cam.flv HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n",
                    StandardCharsets.ISO_8859_1));
            ch.runPendingTasks();
            assertTrue(outbound().startsWith("HTTP/1.1 101 "));
            ByteBuf big = Unpooled.buffer().writeByte(0x82).writeByte(0x80 | 126).writeShort(2_000).writeInt(0);
            ch.writeInbound(big.writeZero(2_000));
            String out = outbound();
            assertTrue(out.contains("\u0088") && out.contains("\u0003\u00f1"), "a close frame with status 1009: " + out);
            assertFalse(ch.isOpen());
            assertEquals(1, clientLog.suppressed(), "one line");
        } finally {
            publisher.close();
        }
    }

    /** A masked ping frame from a client, with a zero mask so that the payload reads as sent. */
    private static ByteBuf ping(int length) {
        ByteBuf frame = Unpooled.buffer();
        frame.writeByte(0x89).writeByte(0x80 | length).writeInt(0);
        frame.writeBytes(new byte[length]);
        return frame;
    }

    private void advance(long millis) {
        for (long t = 0; t < millis; t += 100) {
            ch.advanceTimeBy(Math.min(100, millis - t), TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ch.runPendingTasks();
        }
    }

    /** Everything written to the client so far, as text. */
    private String outbound() {
        StringBuilder b = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            if (o instanceof ByteBuf buf) {
                b.append(buf.toString(StandardCharsets.ISO_8859_1));
                buf.release();
            } else {
                io.netty.util.ReferenceCountUtil.release(o);
            }
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        int end = s.indexOf("\r\n");
        return end < 0 ? s : s.substring(0, end);
    }
}
