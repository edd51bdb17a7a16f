/**
 * The HTTP port: {@link io.streamkit.http.HttpConfig}, the application-route API
 * ({@link io.streamkit.http.HttpRoute}, {@link io.streamkit.http.HttpCall},
 * {@link io.streamkit.http.HttpReply}, no Netty types) and, in the {@code internal}
 * sub-package, the router that sends each request to HTTP-FLV, WebSocket-FLV, the JSON API,
 * the metrics or an application route.
 *
 * <p>An application route runs on the connection's event loop and must not block; it
 * answers with a {@code CompletionStage}, so work that waits completes it later from any
 * thread. See {@link io.streamkit.http.HttpRoute} for the threading and failure contract.
 */
package io.streamkit.http;
