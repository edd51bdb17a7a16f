/**
 * Server-wide state the protocols share, such as the registry of connected clients that the
 * HTTP API lists and kicks. Internal to {@code io.streamkit.protocols}: not exported, no
 * compatibility promise.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>A client is a media connection (RTMP, HTTP-FLV, WebSocket-FLV), not every HTTP
 *       request: API and metrics calls come and go and are not worth listing.</li>
 *   <li>The registry holds a way to close each connection, not the channel, so it knows no
 *       transport; a kick closes the connection on its own event loop and the protocol's
 *       usual close path ends its publish or play.</li>
 * </ul>
 */
package io.streamkit.server.internal;
