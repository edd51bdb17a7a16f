package io.streamkit.http.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.streamkit.engine.StreamEngine;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.stream.EngineStats;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.Track;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /metrics} in the Prometheus text format (0.0.4).
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><th>name</th><th>type</th><th>labels</th></tr>
 *   <tr><td>{@code streamkit_connections}</td><td>gauge</td><td>{@code protocol}: rtmp, http-flv, ws-flv</td></tr>
 *   <tr><td>{@code streamkit_streams}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code streamkit_subscribers}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code streamkit_bytes_in_total}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code streamkit_bytes_out_total}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code streamkit_frames_skipped_total}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code streamkit_publishes_rejected_total}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code streamkit_plays_rejected_total}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code streamkit_stream_bytes_per_second}</td><td>gauge</td><td>{@code app, name, direction}
 *       ({@code in} per {@code track} with its {@code type}, or {@code out} for all players together)</td></tr>
 *   <tr><td>{@code streamkit_stream_players}</td><td>gauge</td><td>{@code app, name, protocol}</td></tr>
 *   <tr><td>{@code streamkit_memory_budget_bytes}</td><td>gauge</td><td>{@code state}: used, limit</td></tr>
 *   <tr><td>{@code streamkit_memory_budget_refusals_total}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code streamkit_log_lines_suppressed_total}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code streamkit_stream_timestamp_corrections_total}</td><td>counter</td><td>{@code app, name,
 *       track, type}: frames whose publisher timestamp the engine repaired (wraps, jumps, jitter, stuck clocks)</td></tr>
 * </table>
 *
 * <p>Bytes are media payload bytes, the same numbers as the API's (whose bitrates are in bits
 * per second, as players show them; the metric is in bytes, the base unit Prometheus names
 * use). The output passes {@code promtool check metrics}. Runs on the connection's
 * event loop; a scrape walks the streams once and allocates one string.
 */
public final class MetricsRoute implements HttpRouter.Route {
    /** Protocols whose connection gauge is written even at zero, so dashboards see a line. */
    private static final List<String> KNOWN_PROTOCOLS = List.of("rtmp", "http-flv", "ws-flv", "hls");
    private final io.streamkit.server.internal.ModuleMetrics modules;

    private final StreamEngine engine;
    private final ClientRegistry clients;
    private final ServerGuard guard;

    /**
     * Creates the metrics route.
     *
     * @param engine the streams
     * @param clients the connections
     * @param guard the memory budget and client log whose use is shown
     */
    public MetricsRoute(StreamEngine engine, ClientRegistry clients, ServerGuard guard) {
        this(engine, clients, guard, null);
    }

    /**
     * Creates the metrics route with the modules' own metrics, written after the server's.
     *
     * @param engine the streams
     * @param clients the connections
     * @param guard the memory budget and client log whose use is shown
     * @param modules the modules' metrics sources, or {@code null} for none
     */
    public MetricsRoute(StreamEngine engine, ClientRegistry clients, ServerGuard guard,
                        io.streamkit.server.internal.ModuleMetrics modules) {
        this.modules = modules;
        this.engine = engine;
        this.clients = clients;
        this.guard = guard;
    }

    @Override
    public CompletionStage<FullHttpResponse> handle(ChannelHandlerContext ctx, FullHttpRequest request, String path,
                                                    Map<String, String> query) {
        FullHttpResponse response;
        if (!path.equals("/metrics")) {
            response = HttpRouter.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
        } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            response = HttpRouter.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    ByteBufUtil.writeUtf8(ctx.alloc(), render()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
        }
        return CompletableFuture.completedFuture(response);
    }

    /** Renders every metric now. */
    String render() {
        String own = render(engine.stats(), clients.countByProtocol(), engine.streams(), guard);
        if (modules == null) {
            return own;
        }
        PrometheusText theirs = new PrometheusText();
        modules.writeTo(theirs);
        return own + theirs;
    }

    static String render(EngineStats stats, Map<String, Integer> connections, List<StreamInfo> streams) {
        return render(stats, connections, streams, ServerGuard.lenient());
    }

    static String render(EngineStats stats, Map<String, Integer> connections, List<StreamInfo> streams,
                         ServerGuard guard) {
        PrometheusText out = new PrometheusText();
        Map<String, Integer> byProtocol = new TreeMap<>();
        for (String p : KNOWN_PROTOCOLS) {
            byProtocol.put(p, 0);
        }
        byProtocol.putAll(connections);
        out.family("streamkit_connections", "gauge", "Media connections open now, by protocol.");
        byProtocol.forEach((protocol, n) -> out.sample("streamkit_connections", n, "protocol", protocol));
        out.family("streamkit_streams", "gauge", "Streams with a publisher now.");
        out.sample("streamkit_streams", stats.streams());
        out.family("streamkit_subscribers", "gauge", "Subscribers (players, recorders, application sinks) attached now.");
        out.sample("streamkit_subscribers", stats.subscribers());
        out.family("streamkit_bytes_in_total", "counter", "Media payload bytes received from publishers.");
        out.sample("streamkit_bytes_in_total", stats.bytesIn());
        out.family("streamkit_bytes_out_total", "counter", "Media payload bytes delivered to subscribers.");
        out.sample("streamkit_bytes_out_total", stats.bytesOut());
        out.family("streamkit_frames_skipped_total", "counter",
                "Frames not delivered to slow subscribers, which skip to the next keyframe.");
        out.sample("streamkit_frames_skipped_total", stats.framesSkipped());
        out.family("streamkit_publishes_rejected_total", "counter",
                "Publish requests refused: denied, already published, or over the stream limit.");
        out.sample("streamkit_publishes_rejected_total", stats.publishesRejected());
        out.family("streamkit_plays_rejected_total", "counter",
                "Play requests refused: denied, stream not found, or over the stream limit.");
        out.sample("streamkit_plays_rejected_total", stats.playsRejected());

        // Bytes, not bits: Prometheus names carry base units (promtool check metrics refuses "bits").
        out.family("streamkit_stream_bytes_per_second", "gauge",
                "Payload bytes per second of each stream over about the last second: in per track, out to all players.");
        for (StreamInfo s : streams) {
            String app = s.key().app();
            String name = s.key().name();
            for (Track t : s.tracks()) {
                out.sample("streamkit_stream_bytes_per_second", t.stats().bitsPerSecond() / 8, "app", app,
                        "name", name, "direction", "in", "track", Integer.toString(t.id()),
                        "type", t.type().name().toLowerCase(java.util.Locale.ROOT));
            }
            out.sample("streamkit_stream_bytes_per_second", s.bitsPerSecondOut() / 8, "app", app, "name", name,
                    "direction", "out");
        }
        out.family("streamkit_stream_players", "gauge", "Subscribers of each stream, by protocol.");
        for (StreamInfo s : streams) {
            s.subscribersByProtocol().forEach((protocol, n) -> out.sample("streamkit_stream_players", n,
                    "app", s.key().app(), "name", s.key().name(), "protocol", protocol));
        }
        out.family("streamkit_memory_budget_bytes", "gauge",
                "Bytes of unfinished inbound messages held now, and the server's budget for them.");
        out.sample("streamkit_memory_budget_bytes", guard.memory().used(), "state", "used");
        out.sample("streamkit_memory_budget_bytes", guard.memory().limit(), "state", "limit");
        out.family("streamkit_memory_budget_refusals_total", "counter",
                "Connections closed because their unfinished input would pass a share of the memory budget.");
        out.sample("streamkit_memory_budget_refusals_total", guard.memory().refusals());
        out.family("streamkit_log_lines_suppressed_total", "counter",
                "Lines about clients' mistakes not written because of the log rate limit.");
        out.sample("streamkit_log_lines_suppressed_total", guard.log().suppressed());
        out.family("streamkit_stream_timestamp_corrections_total", "counter",
                "Frames of each track whose publisher timestamp was repaired: a wrap, a clock jump, jitter or a stuck clock.");
        for (StreamInfo s : streams) {
            for (Track t : s.tracks()) {
                out.sample("streamkit_stream_timestamp_corrections_total", t.stats().timestampCorrections(),
                        "app", s.key().app(), "name", s.key().name(), "track", Integer.toString(t.id()),
                        "type", t.type().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out.toString();
    }
}
