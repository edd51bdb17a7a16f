package io.streamkit.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.streamkit.http.HttpConfig;
import io.streamkit.http.HttpReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The router's answer to request targets it cannot decode. */
class HttpRouterTest {

    /**
     * Issue 15, item 4, and HttpRouterFuzzTest's seed bad-escape: Netty's decoder throws for a
     * {@code %} without two hex digits, in the path or the query, and the connection was closed
     * without an answer (and a WARN). It is a client's mistake: 400, then close.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/app/%zz", "/app/%", "/app/a%4", "/app/x?token=%zz", "/app/x?%=1"})
    void aMalformedEscapeIsAnswered400(String uri) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRouter(HttpConfig.builder(0).build(), List.of(),
                Map.of("/app", new AppRoute(call -> CompletableFuture.completedFuture(HttpReply.text(200, "app")))),
                io.streamkit.server.internal.ServerGuard.lenient().log()));
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Unpooled.EMPTY_BUFFER));
        FullHttpResponse response = ch.readOutbound();
        try {
            assertEquals(400, response.status().code(), uri);
            String body = response.content().toString(StandardCharsets.UTF_8);
            assertTrue(body.contains("escape") || body.contains("hex byte"), body);   // names what is wrong
        } finally {
            response.release();
        }
        assertFalse(ch.isActive(), "the connection is closed after the answer");
        ch.finishAndReleaseAll();
    }
}
