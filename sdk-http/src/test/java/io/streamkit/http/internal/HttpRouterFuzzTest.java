package io.streamkit.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.http.HttpCall;
import io.streamkit.http.HttpConfig;
import io.streamkit.http.HttpReply;
import io.streamkit.http.spi.HttpExchange;
import io.streamkit.http.spi.HttpMount;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Fuzzes what {@link HttpRouter} makes of a request line: the decoding of the path and the
 * query, the path checks, the choice of HTTP-FLV, an application route or 404, and the
 * {@link HttpCall} an application route receives.
 *
 * <p>The request URI is any string of bytes as the HTTP decoder hands it on (one char per
 * byte); the method is one of those the port serves or any other.
 *
 * <p>Properties: every request is answered with exactly one response (a malformed one with
 * 400, a path nothing serves with 404; never no answer, which is what a thrown exception
 * would give); no route sees a path the router's checks refuse (a {@code .} or {@code ..}
 * segment, a backslash, a NUL, an encoded slash); the call's path is the decoded path, starting
 * with {@code /}, and its query holds at most 32 parameters; every buffer is released. Seeds:
 * the request paths of the HTTP tests, under {@code HttpRouterFuzzTestInputs}.
 */
class HttpRouterFuzzTest {
    private static final HttpConfig CONFIG = HttpConfig.builder(0).build();

    /**
     * Stands in for HTTP-FLV (which mounts on this router from its own module): it claims
     * {@code .flv} paths and WebSocket upgrades on them, and has no stream to play, so it answers
     * 404 as HTTP-FLV does at once for a missing stream when players may not wait.
     */
    private static final HttpMount FLV = new HttpMount() {
        @Override
        public List<String> suffixes() {
            return List.of(".flv");
        }

        @Override
        public boolean webSockets() {
            return true;
        }

        @Override
        public void serve(HttpExchange exchange) {
            exchange.fail(HttpResponseStatus.NOT_FOUND, "no stream");
        }
    };
    private static final HttpMethod[] METHODS = {
        HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PUT,
        HttpMethod.valueOf("BREW"),
    };
    private static final Set<Integer> STATUSES = Set.of(200, 204, 400, 404, 405, 413, 414, 431, 501, 503);

    /** The calls the application route received: the last one, checked after the response. */
    private HttpCall lastCall;

    @FuzzTest
    void route(FuzzedDataProvider data) {
        lastCall = null;
        HttpMethod method = data.pickValue(METHODS);
        String uri = new String(data.consumeRemainingAsBytes(), StandardCharsets.ISO_8859_1);
        FullHttpRequest request;
        try {
            request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER);
        } catch (IllegalArgumentException notARequestLine) {
            return;   // Netty refuses what its decoder never produces (a space or a line break in the URI)
        }
        Map<String, HttpRouter.Route> routes = new LinkedHashMap<>();
        routes.put("/app", new AppRoute(this::answer));
        routes.put("/", new AppRoute(this::answer));
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRouter(CONFIG, List.of(FLV), routes, io.streamkit.server.internal.ServerGuard.lenient().log()));
        try {
            ch.writeInbound(request);
            ch.runPendingTasks();
            Object out = ch.readOutbound();
            assertInstanceOf(FullHttpResponse.class, out, "no response to " + method + " " + uri);
            FullHttpResponse response = (FullHttpResponse) out;
            int status = response.status().code();
            response.release();
            assertTrue(STATUSES.contains(status), "status " + status + " for " + method + " " + uri);
            assertNull(ch.readOutbound(), "two responses to one request");
            if (lastCall != null) {
                assertEquals(200, status, "a call reached the route but the answer was " + status);
                String path = lastCall.path();
                assertTrue(path.startsWith("/"), "path " + path);
                assertNull(HttpRouter.unsafe(path, uri), "the route got a path the checks refuse: " + path);
                for (String segment : path.split("/", -1)) {
                    assertFalse(segment.equals(".") || segment.equals(".."), "segment " + segment + " in " + path);
                }
                assertTrue(lastCall.query().size() <= 32, lastCall.query().size() + " query parameters");
            }
        } finally {
            for (Object o; (o = ch.readOutbound()) != null; ) {
                ReferenceCountUtil.release(o);
            }
            ch.finishAndReleaseAll();
        }
    }

    private CompletableFuture<HttpReply> answer(HttpCall call) {
        lastCall = call;
        return CompletableFuture.completedFuture(HttpReply.text(200, List.of(call.path()).toString()));
    }
}
