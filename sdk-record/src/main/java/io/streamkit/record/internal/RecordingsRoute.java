package io.streamkit.record.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.streamkit.engine.StreamEngine;
import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.http.spi.HttpExchange;
import io.streamkit.http.spi.HttpMount;
import io.streamkit.http.spi.JsonWriter;
import io.streamkit.record.RecordFormat;
import io.streamkit.record.RecordSpec;
import io.streamkit.record.RecordedFile;
import io.streamkit.stream.StreamKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The playback routes of recordings on the HTTP port.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>call</th><th>answer</th></tr>
 *   <tr><td>{@code GET /api/recordings[?stream=app/name][&day=yyyy-MM-dd]}</td><td>200
 *       {@code {"recordings":[{stream, format, name, start, duration, bytes, end, url}]}}: the finished
 *       files of the streams the client may play, oldest first; {@code start} ISO-8601 UTC,
 *       {@code duration} in seconds</td></tr>
 *   <tr><td>{@code GET|HEAD /recordings/{name}}</td><td>the file, with {@code Accept-Ranges: bytes}; a
 *       {@code Range: bytes=a-b} (the first range of a list) is answered 206, an unsatisfiable one 416</td></tr>
 *   <tr><td>{@code GET|HEAD /api/recordings/playback?stream=app/name&start=2026-12-06T20:00:00Z&duration=60}</td>
 *       <td>one MP4 of that time range stitched from the stream's MP4 recordings (see {@code Mp4Stitcher}),
 *       from the keyframe at or before the start; ranges served as for files; 404 when no MP4 covers it</td></tr>
 *   <tr><td>{@code POST /api/recordings/{app}/{name}[?format=mp4|flv|hls]}</td><td>201: the stream is recorded
 *       until stopped (API token needed)</td></tr>
 *   <tr><td>{@code DELETE /api/recordings/{app}/{name}}</td><td>204 after stopping, 404 when it was not recorded
 *       (API token needed)</td></tr>
 * </table>
 *
 * <p>Reads go through the play decision of the recorded stream, as a live player's would,
 * with the request's query (protocol {@code "recording"}); a denial is 403 with the reason.
 * The list's URLs carry the request's query parameters, so a token in them reaches the files.
 * The API's token rule applies to the list as to the rest of {@code /api}. Files are read on
 * the server's blocking threads in {@value #CHUNK}-byte chunks, the next read after the
 * previous chunk was written, so a slow client holds one chunk.
 */
final class RecordingsRoute implements HttpMount {
    /** Bytes read and written at a time. */
    static final int CHUNK = 256 << 10;
    private static final String API = "/api/recordings";
    private static final String FILES = "/recordings/";

    private final RecordService recorder;
    private final StreamEngine engine;
    private final Executor blocking;

    RecordingsRoute(RecordService recorder, StreamEngine engine, Executor blocking) {
        this.recorder = recorder;
        this.engine = engine;
        this.blocking = blocking;
    }

    @Override
    public List<String> prefixes() {
        return List.of(API, "/recordings");
    }

    @Override
    public void serve(HttpExchange exchange) {
        String path = exchange.path();
        HttpMethod method = exchange.request().method();
        if (path.startsWith(FILES)) {
            if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
                exchange.respond(done(json(HttpResponseStatus.METHOD_NOT_ALLOWED, error("use GET or HEAD"))));
                return;
            }
            file(exchange, path.substring(FILES.length()));
            return;
        }
        if (path.equals(API)) {
            if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
                exchange.respond(done(json(HttpResponseStatus.METHOD_NOT_ALLOWED, error("use GET or HEAD"))));
                return;
            }
            if (exchange.authorizeApiCall(false)) {
                exchange.respond(list(exchange.query(), exchange.client()));
            }
            return;
        }
        if (path.equals(API + "/playback")) {
            if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
                exchange.respond(done(json(HttpResponseStatus.METHOD_NOT_ALLOWED, error("use GET or HEAD"))));
                return;
            }
            playback(exchange);
            return;
        }
        if (path.startsWith(API + "/")) {
            startOrStop(exchange, method, path.substring(API.length() + 1));
            return;
        }
        exchange.respond(done(json(HttpResponseStatus.NOT_FOUND, error("no such path: " + path
                + " (try /api/recordings or /recordings/{name})"))));
    }

    // ---- start and stop

    private void startOrStop(HttpExchange exchange, HttpMethod method, String keyPath) {
        StreamKey key;
        try {
            key = StreamKey.parse(keyPath);
        } catch (IllegalArgumentException e) {
            exchange.respond(done(json(HttpResponseStatus.NOT_FOUND, error("no stream " + keyPath + ": " + e.getMessage()))));
            return;
        }
        if (method.equals(HttpMethod.POST)) {
            if (!exchange.authorizeApiCall(true)) {
                return;
            }
            RecordSpec spec = recorder.config().defaultSpec();
            String format = exchange.query().get("format");
            if (format != null) {
                try {
                    spec = recorder.config().as(RecordFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    exchange.respond(done(json(HttpResponseStatus.BAD_REQUEST, error("format " + format
                            + " is not mp4, flv or hls"))));
                    return;
                }
            }
            recorder.start(key, spec);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("stream", key.path());
            body.put("format", spec.format().name().toLowerCase(java.util.Locale.ROOT));
            body.put("recording", true);
            exchange.respond(done(json(HttpResponseStatus.CREATED, body)));
        } else if (method.equals(HttpMethod.DELETE)) {
            if (!exchange.authorizeApiCall(true)) {
                return;
            }
            exchange.respond(done(recorder.stop(key) ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.NO_CONTENT) : json(HttpResponseStatus.NOT_FOUND, error("stream " + key + " is not recorded"))));
        } else {
            FullHttpResponse r = json(HttpResponseStatus.METHOD_NOT_ALLOWED, error("use POST or DELETE"));
            r.headers().set(HttpHeaderNames.ALLOW, "POST, DELETE");
            exchange.respond(done(r));
        }
    }

    // ---- the list

    private CompletionStage<FullHttpResponse> list(Map<String, String> query, InetSocketAddress client) {
        StreamKey only = null;
        LocalDate day = null;
        try {
            if (query.containsKey("stream")) {
                only = StreamKey.parse(query.get("stream"));
            }
            if (query.containsKey("day")) {
                day = LocalDate.parse(query.get("day"));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return done(json(HttpResponseStatus.BAD_REQUEST, error(e.getMessage())));
        }
        StreamKey stream = only;
        LocalDate date = day;
        String carried = carried(query);
        return CompletableFuture.supplyAsync(recorder::recordings, blocking).thenCompose(all -> {
            List<RecordedFile> files = new ArrayList<>();
            Set<StreamKey> keys = new LinkedHashSet<>();
            for (RecordedFile f : all) {
                if (stream != null && !f.stream().equals(stream)) {
                    continue;
                }
                if (date != null && !f.start().atZone(recorder.config().zone()).toLocalDate().equals(date)) {
                    continue;
                }
                files.add(f);
                keys.add(f.stream());
            }
            if (stream != null) {
                keys.add(stream);   // asked for by name: decided even when it has no recording, so the answer tells nothing
            }
            Map<StreamKey, CompletableFuture<AuthResult>> decisions = new LinkedHashMap<>();
            for (StreamKey k : keys) {
                decisions.put(k, authorize(k, query, client).toCompletableFuture()
                        .exceptionally(e -> AuthResult.deny("the play check failed")));
            }
            return CompletableFuture.allOf(decisions.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
                if (stream != null && !decisions.get(stream).join().allowed()) {
                    return json(HttpResponseStatus.FORBIDDEN, error(decisions.get(stream).join().reason()));
                }
                List<Object> out = new ArrayList<>();
                for (RecordedFile f : files) {
                    if (decisions.get(f.stream()).join().allowed()) {
                        out.add(describe(f, carried));
                    }
                }
                return json(HttpResponseStatus.OK, Map.of("recordings", out));
            });
        });
    }

    private static Map<String, Object> describe(RecordedFile f, String carried) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stream", f.stream().path());
        m.put("format", f.format().name().toLowerCase(java.util.Locale.ROOT));
        m.put("name", f.name());
        m.put("start", f.start().toString());
        m.put("duration", f.duration().toMillis() / 1000.0);
        m.put("bytes", f.bytes());
        m.put("codecs", f.codecs().stream().map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList());
        m.put("videoFrames", f.videoFrames());
        m.put("audioFrames", f.audioFrames());
        m.put("end", f.end().map(e -> e.name().toLowerCase(java.util.Locale.ROOT)).orElse(null));
        m.put("url", FILES + encode(f.name()) + carried);
        return m;
    }

    /** The request's parameters other than the list's own, as a query string for the files' URLs. */
    private static String carried(Map<String, String> query) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getKey().equals("stream") || e.getKey().equals("day")) {
                continue;
            }
            out.append(out.isEmpty() ? '?' : '&').append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static String encode(String name) {
        StringBuilder out = new StringBuilder();
        for (String segment : name.split("/")) {
            out.append(out.isEmpty() ? "" : "/").append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    private CompletionStage<AuthResult> authorize(StreamKey key, Map<String, String> query, InetSocketAddress client) {
        return engine.authorize(AuthRequest.builder(AuthRequest.Action.PLAY, key).query(query).remoteAddress(client)
                .protocol("recording").build());
    }

    // ---- files

    private void file(HttpExchange exchange, String name) {
        // An HLS recording's segments are served with its playlist's decision: name-00000.ts belongs to name.m3u8.
        String indexed = name;
        if (name.endsWith(".ts")) {
            int dash = name.lastIndexOf('-');
            indexed = dash > 0 ? name.substring(0, dash) + ".m3u8" : name;
        }
        var file = recorder.byName(indexed);
        if (file.isEmpty() || name.contains("..")) {
            exchange.respond(done(json(HttpResponseStatus.NOT_FOUND, error("no recording " + name))));
            return;
        }
        RecordedFile f = file.get();
        Path path = f.path().resolveSibling(Path.of(name).getFileName().toString());
        if (!path.normalize().startsWith(recorder.config().root())) {
            exchange.respond(done(json(HttpResponseStatus.NOT_FOUND, error("no recording " + name))));
            return;
        }
        boolean head = exchange.request().method().equals(HttpMethod.HEAD);
        String range = exchange.request().headers().get(HttpHeaderNames.RANGE);
        ChannelHandlerContext ctx = exchange.context();
        exchange.stream();
        authorize(f.stream(), exchange.query(), exchange.client()).whenComplete((decision, error) -> {
            if (error != null || !decision.allowed()) {
                whole(exchange, ctx, json(HttpResponseStatus.FORBIDDEN, error(error != null ? "play check failed"
                        : decision.reason())));
                return;
            }
            blocking.execute(() -> send(exchange, ctx, path, contentType(name), range, head, () -> { }));
        });
    }

    // ---- a time range stitched into one MP4

    private void playback(HttpExchange exchange) {
        Map<String, String> q = exchange.query();
        StreamKey key;
        Instant from;
        Duration length;
        try {
            key = StreamKey.parse(required(q, "stream"));
            from = Instant.parse(required(q, "start"));
            length = seconds(required(q, "duration"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            exchange.respond(done(json(HttpResponseStatus.BAD_REQUEST, error(e.getMessage()
                    + " (playback needs stream=app/name, start=ISO-8601 instant such as 2026-12-06T20:00:00Z, duration=seconds)"))));
            return;
        }
        boolean head = exchange.request().method().equals(HttpMethod.HEAD);
        String range = exchange.request().headers().get(HttpHeaderNames.RANGE);
        ChannelHandlerContext ctx = exchange.context();
        exchange.stream();
        authorize(key, q, exchange.client()).whenComplete((decision, error) -> {
            if (error != null || !decision.allowed()) {
                whole(exchange, ctx, json(HttpResponseStatus.FORBIDDEN, error(error != null ? "play check failed"
                        : decision.reason())));
                return;
            }
            blocking.execute(() -> {
                Path out;
                try {
                    Path dir = recorder.config().root().resolve(".streamkit-tmp");
                    Files.createDirectories(dir);
                    out = Files.createTempFile(dir, "playback-", ".mp4");
                } catch (IOException e) {
                    whole(exchange, ctx, json(HttpResponseStatus.INTERNAL_SERVER_ERROR, error("cannot stitch: " + e)));
                    return;
                }
                try {
                    List<RecordedFile> files = recorder.recordings().stream().filter(f -> f.stream().equals(key)).toList();
                    if (!Mp4Stitcher.stitch(files, from, from.plus(length), out, ctx.alloc())) {
                        delete(out);
                        whole(exchange, ctx, json(HttpResponseStatus.NOT_FOUND, error("no MP4 recording of " + key
                                + " covers " + from + " + " + length.toMillis() / 1000.0 + " s")));
                        return;
                    }
                } catch (IOException | RuntimeException e) {
                    delete(out);
                    whole(exchange, ctx, json(HttpResponseStatus.INTERNAL_SERVER_ERROR, error("cannot stitch: " + e)));
                    return;
                }
                send(exchange, ctx, out, "video/mp4", range, head, () -> delete(out));
            });
        });
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("no " + name);
        }
        return v;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file in the recorder's own directory: the next stitch does not need it gone
        }
    }

    private void send(HttpExchange exchange, ChannelHandlerContext ctx, Path path, String type, String range, boolean head,
                      Runnable after) {
        FileChannel channel;
        long size;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            size = channel.size();
            after.run();   // the open channel keeps reading a file deleted now
        } catch (IOException e) {
            after.run();
            whole(exchange, ctx, json(HttpResponseStatus.NOT_FOUND, error("no recording " + path.getFileName())));
            return;
        }
        long[] span = range == null ? new long[] {0, size} : Ranges.first(range, size);
        if (span == null) {
            close(channel);
            FullHttpResponse r = json(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, error("range " + range
                    + " is outside the file's " + size + " bytes"));
            r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
            whole(exchange, ctx, r);
            return;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.ACCEPT_RANGES, "bytes")
                .set(HttpHeaderNames.CONTENT_LENGTH, span[1]);
        if (range != null) {
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + span[0] + "-" + (span[0] + span[1] - 1) + "/" + size);
        }
        exchange.decorate(response, head);
        if (head || span[1] == 0) {
            close(channel);
            ctx.write(response);
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.write(response);
        chunk(ctx, channel, span[0], span[1]);
    }

    /** Reads and writes the next chunk; the one after is read once this one is written. */
    private void chunk(ChannelHandlerContext ctx, FileChannel channel, long at, long left) {
        int n = (int) Math.min(CHUNK, left);
        ByteBuf buf = ctx.alloc().buffer(n);
        try {
            int read = 0;
            while (read < n) {
                int r = buf.writeBytes(channel, at + read, n - read);
                if (r < 0) {
                    throw new IOException("file ended at " + (at + read));
                }
                read += r;
            }
        } catch (IOException e) {
            buf.release();
            close(channel);
            ctx.close();
            return;
        }
        boolean last = left == n;
        if (last) {
            close(channel);
            ctx.write(new DefaultHttpContent(buf));
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(new DefaultHttpContent(buf)).addListener(f -> {
            if (f.isSuccess()) {
                blocking.execute(() -> chunk(ctx, channel, at + n, left - n));
            } else {
                close(channel);
            }
        });
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a read-only channel: nothing was lost
        }
    }

    /** Writes a whole response on a streamed exchange and closes the connection after it. */
    private static void whole(HttpExchange exchange, ChannelHandlerContext ctx, FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        exchange.decorate(response, true);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static String contentType(String name) {
        if (name.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (name.endsWith(".flv")) {
            return "video/x-flv";
        }
        if (name.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        }
        if (name.endsWith(".ts")) {
            return "video/mp2t";
        }
        return "application/octet-stream";
    }

    // ---- helpers

    private static CompletionStage<FullHttpResponse> done(FullHttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static Map<String, Object> error(String message) {
        return Map.of("error", message == null ? "" : message);
    }

    static FullHttpResponse json(HttpResponseStatus status, Object body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(JsonWriter.write(body), StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }

    /** A duration in seconds from a query value, up to a day. */
    static Duration seconds(String value) {
        double s = Double.parseDouble(value);
        if (!(s > 0) || s > 24 * 3600) {
            throw new IllegalArgumentException("duration " + value + " is not between 0 and 86400 seconds");
        }
        return Duration.ofMillis((long) (s * 1000));
    }
}
