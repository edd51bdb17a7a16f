/**
 * The HTTP port's service provider interface: what a protocol module implements to serve a
 * part of the port ({@link io.streamkit.http.spi.HttpMount}) and what it is handed for each
 * request ({@link io.streamkit.http.spi.HttpExchange}).
 *
 * <p>HTTP-FLV and HLS are mounts; the router in {@code io.streamkit.http.internal} knows none
 * of them by name. Modules depend on this package, never on the router, so the HTTP server
 * and the modules that mount on it form no cycle. Netty's HTTP types appear here on purpose:
 * a mount writes its own streamed answers.
 */
package io.streamkit.http.spi;
