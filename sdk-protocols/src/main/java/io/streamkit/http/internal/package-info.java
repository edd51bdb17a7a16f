/**
 * The HTTP port's pipeline: the router with its request checks, the JSON API, the Prometheus
 * metrics, and the adapter that runs the application's {@link io.streamkit.http.HttpRoute}s.
 * No compatibility promise; not exported.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Routes answer with a {@code CompletionStage}: the API and metrics complete at once,
 *       an application route when its own work is done. The router writes every answer on
 *       the connection's event loop and serves requests of one connection in order, holding
 *       at most {@value io.streamkit.http.internal.HttpRouter#MAX_PIPELINED} pipelined ones
 *       while an answer is pending.</li>
 *   <li>A route's error status keeps the connection open (the request was well formed); a
 *       request the router itself refuses (malformed, too long, unsafe path) closes it.</li>
 *   <li>JSON and the exposition format are written by {@link io.streamkit.http.internal.JsonWriter}
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
