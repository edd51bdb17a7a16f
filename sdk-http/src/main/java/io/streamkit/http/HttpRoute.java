package io.streamkit.http;

import java.util.concurrent.CompletionStage;

/**
 * An application's handler of requests below a path prefix on the HTTP port, registered with
 * {@link HttpConfig.Builder#route(String, HttpRoute)}:
 * <pre>{@code
 * MediaServer.builder().http(8080, h -> h
 *         .route("/hello", call -> CompletableFuture.completedFuture(HttpReply.text(200, "hi " + call.remoteAddress())))
 *         .route("/rooms", call -> rooms.lookupAsync(call.query("id")).thenApply(r -> HttpReply.json(200, r.toJson()))))
 * }</pre>
 *
 * <p><b>Threading.</b> {@link #handle} is called on the connection's event loop, which also
 * serves other connections and streams: it must not block. Work that waits (a database, a
 * web service) returns a stage that completes later, on any thread; the reply is written on
 * the connection's event loop. Requests on one connection are answered in order, so a
 * connection waits for its pending reply before its next request is handled.
 *
 * <p><b>Failures.</b> A route that throws, returns {@code null}, or whose stage fails or
 * completes with {@code null}, answers 500 and is logged; the connection stays usable.
 */
@FunctionalInterface
public interface HttpRoute {

    /**
     * Answers one request.
     *
     * @param call the request, whole: its body is already read, within
     *     {@link HttpConfig#maxContentLength()}
     * @return the reply, now or later
     */
    CompletionStage<HttpReply> handle(HttpCall call);
}
