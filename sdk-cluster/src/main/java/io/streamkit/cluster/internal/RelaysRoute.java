package io.streamkit.cluster.internal;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.streamkit.cluster.RelayInfo;
import io.streamkit.cluster.Relays;
import io.streamkit.http.spi.HttpExchange;
import io.streamkit.http.spi.HttpMount;
import io.streamkit.http.spi.JsonWriter;
import io.streamkit.relay.RelayStatus;
import io.streamkit.stream.StreamKey;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The relays' part of the JSON API, under the port's API token like the rest of it.
 *
 * <table>
 *   <caption>Calls</caption>
 *   <tr><th>call</th><th>answer</th></tr>
 *   <tr><td>{@code GET /api/relays}</td><td>200 {@code {"relays":[...]}}: id, kind, stream, url (without its query), rule, state, since, retryAt, bytes, attempts, lastError</td></tr>
 *   <tr><td>{@code GET /api/relays/{id}}</td><td>200 one relay, or 404</td></tr>
 *   <tr><td>{@code POST /api/relays/push/{app}/{name}?url=rtmps://...}</td><td>201 the new push; 400 for a URL no scheme takes; 503 past the relay limit</td></tr>
 *   <tr><td>{@code POST /api/relays/pull/{app}/{name}?url=rtmp://...}</td><td>201 the new pull; 400; 503</td></tr>
 *   <tr><td>{@code DELETE /api/relays/{id}}</td><td>204, or 404</td></tr>
 * </table>
 */
final class RelaysRoute implements HttpMount {
    static final String API = "/api/relays";

    private final Relays relays;

    RelaysRoute(Relays relays) {
        this.relays = relays;
    }

    @Override
    public List<String> prefixes() {
        return List.of(API);
    }

    @Override
    public void serve(HttpExchange exchange) {
        String path = exchange.path();
        HttpMethod method = exchange.request().method();
        boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        if (path.equals(API) || path.equals(API + "/")) {
            if (!read) {
                answer(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED, error("use GET, or POST to " + API + "/push/{app}/{name}"));
            } else if (exchange.authorizeApiCall(false)) {
                answer(exchange, HttpResponseStatus.OK, Map.of("relays", relays.list().stream().map(RelaysRoute::json).toList()));
            }
            return;
        }
        String rest = path.substring(API.length() + 1);
        if (rest.startsWith("push/") || rest.startsWith("pull/")) {
            if (!method.equals(HttpMethod.POST)) {
                answer(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED, error("use POST"));
                return;
            }
            if (exchange.authorizeApiCall(true)) {
                add(exchange, rest.startsWith("push/"), rest.substring(5));
            }
            return;
        }
        if (rest.contains("/")) {
            answer(exchange, HttpResponseStatus.NOT_FOUND, error("no such path: " + path));
            return;
        }
        if (read) {
            if (exchange.authorizeApiCall(false)) {
                relays.get(rest).ifPresentOrElse(r -> answer(exchange, HttpResponseStatus.OK, json(r)),
                        () -> answer(exchange, HttpResponseStatus.NOT_FOUND, error("no relay " + rest)));
            }
        } else if (method.equals(HttpMethod.DELETE)) {
            if (exchange.authorizeApiCall(true)) {
                if (relays.remove(rest)) {
                    exchange.respond(CompletableFuture.completedFuture(
                            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT)));
                } else {
                    answer(exchange, HttpResponseStatus.NOT_FOUND, error("no relay " + rest));
                }
            }
        } else {
            answer(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED, error("use GET or DELETE"));
        }
    }

    private void add(HttpExchange exchange, boolean push, String keyPath) {
        String url = exchange.query().get("url");
        if (url == null || url.isBlank()) {
            answer(exchange, HttpResponseStatus.BAD_REQUEST, error("name the remote stream: ?url=rtmp://host/app/name"));
            return;
        }
        StreamKey key;
        try {
            key = StreamKey.parse(keyPath);
        } catch (IllegalArgumentException e) {
            answer(exchange, HttpResponseStatus.BAD_REQUEST, error("bad stream " + keyPath + ": " + e.getMessage()));
            return;
        }
        try {
            RelayInfo info = push ? relays.push(key, url) : relays.pull(url, key);
            answer(exchange, HttpResponseStatus.CREATED, json(info));
        } catch (IllegalArgumentException e) {
            answer(exchange, HttpResponseStatus.BAD_REQUEST, error(e.getMessage()));
        } catch (IllegalStateException e) {
            answer(exchange, HttpResponseStatus.SERVICE_UNAVAILABLE, error(e.getMessage()));
        }
    }

    static Map<String, Object> json(RelayInfo r) {
        RelayStatus s = r.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("stream", r.stream().path());
        m.put("url", r.url());
        if (r.rule() != null) {
            m.put("rule", r.rule());
        }
        m.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("since", s.since().toString());
        s.retryAt().ifPresent(t -> m.put("retryAt", t.toString()));
        m.put("bytes", s.bytes());
        m.put("attempts", s.attempts());
        s.lastError().ifPresent(e -> m.put("lastError", e));
        return m;
    }

    private static Map<String, Object> error(String message) {
        return Map.of("error", message == null ? "" : message);
    }

    private static void answer(HttpExchange exchange, HttpResponseStatus status, Object body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(JsonWriter.write(body), StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        exchange.respond(CompletableFuture.completedFuture(r));
    }
}
