/**
 * The HTTP port's pipeline: the router with its request checks, the JSON API, the Prometheus
 * metrics, and the adapter that runs the application's {@link io.streamkit.http.HttpRoute}s.
 * No compatibility promise; not exported.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>The router knows no protocol by name: HTTP-FLV/WS-FLV and HLS are
 *       {@link io.streamkit.http.spi.HttpMount}s handed to it, tried by path suffix before the
 *       server's own prefix routes (API, metrics, the application's), a prefix mount with them,
 *       longest prefix first. Every check a request passes (deadline, sizes, path, method,
 *       WebSocket upgrade) is made before a mount sees it, so a module cannot forget one. A
 *       mount answers through an {@link io.streamkit.http.spi.HttpExchange}: a whole response
 *       the router writes in pipelining order, a stream it writes itself, or a refusal.</li>
 *   <li>Routes answer with a {@code CompletionStage}: the API and metrics complete at once,
 *       an application route when its own work is done. The router writes every answer on
 *       the connection's event loop and serves requests of one connection in order, holding
 *       at most {@value io.streamkit.http.internal.HttpRouter#MAX_PIPELINED} pipelined ones
 *       while an answer is pending.</li>
 *   <li>A route's error status keeps the connection open (the request was well formed); a
 *       request the router itself refuses (malformed, too long, unsafe path, bad escape, bad
 *       WebSocket upgrade, unimplemented method, too large) closes it, with its status, a text
 *       body and {@code Connection: close}. From the refusal on, the connection stops reading
 *       and drops whatever it had already read, so one connection is one log line however much
 *       it sent. Not done: a lingering close (reading and discarding for a while after the
 *       answer); a client still sending a large body when the refusal comes may see a reset
 *       instead of the 413.</li>
 *   <li>A path is decoded strictly ({@code HttpPath}): a bad escape or bad UTF-8 is a 400, not
 *       a replacement character, so a path cannot mean one thing to the safety check and
 *       another to a route.</li>
 *   <li>A WebSocket upgrade is checked in full before the player's auth call and
 *       subscription, which it would otherwise cost; Netty's handshaker, which threw from a
 *       task on the event loop and left the request unanswered, is reached only by a valid
 *       upgrade.</li>
 *   <li>Body chunks and inbound WebSocket frames are reserved in the server's
 *       {@code MemoryBudget} between the decoder and the aggregator ({@code HttpInputBudget}),
 *       and given back when the router has handled the request (or the frame its control
 *       handler); the aggregator's own limit ({@code maxContentLength}) and the WebSocket
 *       frame limit stay the first bounds, the budget bounds many connections together.</li>
 *   <li>JSON and the exposition format are written by {@link io.streamkit.http.spi.JsonWriter}
 *       and {@link io.streamkit.http.internal.PrometheusText}: a page each, where a library
 *       would be a dependency of every user.</li>
 *   <li>The API's numbers are snapshots: {@code StreamEngine.stats()} and {@code StreamInfo}
 *       read the engine's single-writer counters without stopping them, and the out bitrate
 *       is measured between successive snapshots, so scraping more often than once a
 *       second still reports a one-second rate.</li>
 *   <li>The API token is compared by SHA-256 digest with {@code MessageDigest.isEqual}, in
 *       time independent of where the tokens differ and of their lengths.</li>
 * </ul>
 */
package io.streamkit.http.internal;
