package io.streamkit.hls.internal;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.streamkit.http.spi.HttpExchange;
import io.streamkit.http.spi.HttpMount;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Routes {@code /{app}/{name}.m3u8} and {@code /{app}/{name}/{seq}.ts} to the {@link HlsService}. */
public final class HlsRoute implements HttpMount {
    private final HlsService service;

    /**
     * Creates the route.
     *
     * @param service the HLS service
     */
    public HlsRoute(HlsService service) {
        this.service = service;
    }

    @Override
    public List<String> suffixes() {
        return List.of(".m3u8", ".ts");
    }

    @Override
    public void serve(HttpExchange exchange) {
        exchange.respond(answer(exchange.path(), exchange.query(), exchange.client()));
    }

    private CompletionStage<FullHttpResponse> answer(String path, Map<String, String> query, InetSocketAddress remote) {
        try {
            if (path.endsWith(".m3u8")) {
                return service.playlist(StreamKey.parse(path.substring(1, path.length() - 5)), query, remote);
            }
            String rest = path.substring(1, path.length() - 3);
            int slash = rest.lastIndexOf('/');
            if (slash <= 0) {
                return bad("segment path " + path + " is not /app/name/N.ts");
            }
            long sequence = Long.parseLong(rest.substring(slash + 1));
            return CompletableFuture.completedFuture(service.segment(StreamKey.parse(rest.substring(0, slash)), sequence, query));
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
    }

    private static CompletionStage<FullHttpResponse> bad(String reason) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.wrappedBuffer(("400 Bad Request: " + reason + "\n").getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return CompletableFuture.completedFuture(response);
    }
}
