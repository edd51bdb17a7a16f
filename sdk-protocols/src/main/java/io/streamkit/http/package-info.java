/**
 * The HTTP port: {@link io.streamkit.http.HttpConfig} and, in the {@code internal}
 * sub-package, the router that sends each request to HTTP-FLV, WebSocket-FLV, the JSON API or
 * the metrics.
 */
package io.streamkit.http;
