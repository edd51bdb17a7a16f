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
import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.VideoParameters;
import io.streamkit.engine.StreamEngine;
import io.streamkit.http.spi.JsonWriter;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackStats;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api/}.
 *
 * <table>
 *   <caption>Calls</caption>
 *   <tr><th>call</th><th>answer</th></tr>
 *   <tr><td>{@code GET /api/streams}</td><td>200 {@code {"streams":[stream...]}}</td></tr>
 *   <tr><td>{@code GET /api/streams/{app}/{name}}</td><td>200 one stream, 404 when the engine does not know it</td></tr>
 *   <tr><td>{@code GET /api/clients}</td><td>200 {@code {"clients":[client...]}}</td></tr>
 *   <tr><td>{@code DELETE /api/streams/{app}/{name}}</td><td>204 after ending its publisher ({@code kick}), 404</td></tr>
 *   <tr><td>{@code DELETE /api/clients/{id}}</td><td>204 after closing the connection, 404</td></tr>
 * </table>
 *
 * <p>A stream: {@code app, name, live, publisher {protocol, address} | null, uptimeSeconds,
 * tracks [{id, type, codec, width, height, frameRate, profile, level | sampleRate, channels,
 * profile; bitrate, frames, bytes, timestampCorrections}], bitrateIn, bitrateOut, bytesIn, bytesOut, framesSkipped,
 * players {protocol: count}, playerCount}}; bitrates in bits per second. A client:
 * {@code id, protocol, address, connectedAt, connectedSeconds, role, stream}.
 *
 * <p>Mutating calls need {@code Authorization: Bearer <apiToken>}: without a configured token
 * they answer 403 and are off; with a wrong or missing one, 401. The token is compared in
 * constant time (both sides hashed with SHA-256, then {@link MessageDigest#isEqual}), so
 * neither its content nor its length leaks through timing. Errors are
 * {@code {"error":"..."}}. Runs on the connection's event loop; every call reads snapshots
 * and returns at once.
 */
public final class ApiRoute implements HttpRouter.Route {
    private static final Logger log = LoggerFactory.getLogger(ApiRoute.class);
    /** The 403 message when no token is configured. */
    static final String OFF = ApiToken.OFF;

    private final StreamEngine engine;
    private final ClientRegistry clients;
    private final ApiToken token;

    /**
     * Creates the API.
     *
     * @param engine the streams
     * @param clients the connections
     * @param apiToken the bearer token of mutating calls, or {@code null} to refuse them
     */
    public ApiRoute(StreamEngine engine, ClientRegistry clients, String apiToken) {
        this.engine = engine;
        this.clients = clients;
        this.token = new ApiToken(apiToken);
    }

    @Override
    public CompletionStage<FullHttpResponse> handle(ChannelHandlerContext ctx, FullHttpRequest request, String path,
                                                    Map<String, String> query) {
        return CompletableFuture.completedFuture(answer(request, path));
    }

    FullHttpResponse answer(FullHttpRequest request, String path) {
        String rest = path.length() > "/api/".length() ? path.substring("/api/".length()) : "";
        String[] seg = rest.isEmpty() ? new String[0] : rest.split("/", -1);
        HttpMethod method = request.method();
        boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        if (seg.length == 1 && seg[0].equals("streams")) {
            if (!read) {
                return notAllowed("GET, HEAD");
            }
            List<StreamInfo> streams = new ArrayList<>(engine.streams());
            streams.sort(Comparator.comparing((StreamInfo s) -> s.key().app()).thenComparing(s -> s.key().name()));
            List<Object> out = new ArrayList<>(streams.size());
            Instant now = Instant.now();
            for (StreamInfo s : streams) {
                out.add(stream(s, now));
            }
            return json(HttpResponseStatus.OK, Map.of("streams", out));
        }
        if (seg.length >= 3 && seg[0].equals("streams")) {
            // The app may have segments of its own: the name is the last segment.
            String keyPath = rest.substring("streams/".length());
            StreamKey key;
            try {
                key = StreamKey.parse(keyPath);
            } catch (IllegalArgumentException e) {
                return error(HttpResponseStatus.NOT_FOUND, "no stream " + keyPath + ": " + e.getMessage());
            }
            if (read) {
                Optional<StreamInfo> info = engine.stream(key);
                return info.isPresent() ? json(HttpResponseStatus.OK, stream(info.get(), Instant.now()))
                        : error(HttpResponseStatus.NOT_FOUND, "no stream " + key);
            }
            if (method.equals(HttpMethod.DELETE)) {
                FullHttpResponse refused = refuse(request);
                if (refused != null) {
                    return refused;
                }
                if (!engine.kick(key)) {
                    return error(HttpResponseStatus.NOT_FOUND, "no stream " + key);
                }
                log.info("api: stream {} kicked", key);
                return noContent();
            }
            return notAllowed("GET, HEAD, DELETE");
        }
        if (seg.length == 1 && seg[0].equals("clients")) {
            if (!read) {
                return notAllowed("GET, HEAD");
            }
            Instant now = Instant.now();
            List<Object> out = new ArrayList<>();
            for (ClientRegistry.Client c : clients.list()) {
                out.add(client(c, now));
            }
            return json(HttpResponseStatus.OK, Map.of("clients", out));
        }
        if (seg.length == 2 && seg[0].equals("clients")) {
            if (!method.equals(HttpMethod.DELETE)) {
                return notAllowed("DELETE");
            }
            FullHttpResponse refused = refuse(request);
            if (refused != null) {
                return refused;
            }
            long id;
            try {
                id = Long.parseLong(seg[1]);
            } catch (NumberFormatException e) {
                return error(HttpResponseStatus.NOT_FOUND, "no client " + seg[1]);
            }
            if (!clients.kick(id)) {
                return error(HttpResponseStatus.NOT_FOUND, "no client " + id);
            }
            log.info("api: client {} kicked", id);
            return noContent();
        }
        return error(HttpResponseStatus.NOT_FOUND, "no such API call: " + path
                + " (try /api/streams, /api/streams/{app}/{name}, /api/clients)");
    }

    /** Why a call that needs the token is refused, or {@code null} when its token is right. */
    FullHttpResponse refuse(FullHttpRequest request) {
        String why = token.refusal(request);
        if (why == null) {
            return null;
        }
        FullHttpResponse r = error(token.configured() ? HttpResponseStatus.UNAUTHORIZED : HttpResponseStatus.FORBIDDEN, why);
        if (token.configured()) {
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"streamkit\"");
        }
        return r;
    }

    static Map<String, Object> stream(StreamInfo s, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app", s.key().app());
        m.put("name", s.key().name());
        m.put("live", s.live());
        if (s.publisherProtocol() == null) {
            m.put("publisher", null);
        } else {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("protocol", s.publisherProtocol());
            p.put("address", address(s.publisherAddress()));
            m.put("publisher", p);
        }
        m.put("uptimeSeconds", s.live() && s.publishedAt() != null
                ? Math.max(0, Duration.between(s.publishedAt(), now).toSeconds()) : 0);
        List<Object> tracks = new ArrayList<>();
        for (Track t : s.tracks()) {
            tracks.add(track(t));
        }
        m.put("tracks", tracks);
        m.put("bitrateIn", s.bitsPerSecondIn());
        m.put("bitrateOut", s.bitsPerSecondOut());
        m.put("bytesIn", s.bytesIn());
        m.put("bytesOut", s.bytesOut());
        m.put("framesSkipped", s.framesSkipped());
        m.put("players", s.subscribersByProtocol());
        m.put("playerCount", s.subscribers());
        return m;
    }

    private static Map<String, Object> track(Track t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("type", t.type().name().toLowerCase(Locale.ROOT));
        m.put("codec", t.codec().name().toLowerCase(Locale.ROOT));
        Optional<VideoParameters> video = t.format().video();
        Optional<AudioParameters> audio = t.format().audio();
        if (video.isPresent()) {
            VideoParameters v = video.get();
            m.put("width", v.width());
            m.put("height", v.height());
            m.put("frameRate", v.frameRate());
            m.put("profile", v.profile());
            m.put("level", v.level());
        } else if (audio.isPresent()) {
            AudioParameters a = audio.get();
            m.put("sampleRate", a.sampleRate());
            m.put("channels", a.channels());
            m.put("profile", a.profile());
        }
        TrackStats stats = t.stats();
        m.put("bitrate", stats.bitsPerSecond());
        m.put("frames", stats.frames());
        m.put("bytes", stats.bytes());
        m.put("timestampCorrections", stats.timestampCorrections());
        return m;
    }

    private static Map<String, Object> client(ClientRegistry.Client c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("protocol", c.protocol());
        m.put("address", address(c.remoteAddress()));
        m.put("connectedAt", c.connectedAt().toString());
        m.put("connectedSeconds", Math.max(0, Duration.between(c.connectedAt(), now).toSeconds()));
        m.put("role", c.role().name().toLowerCase(Locale.ROOT));
        m.put("stream", c.stream() == null ? null : c.stream().path());
        return m;
    }

    private static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    static FullHttpResponse json(HttpResponseStatus status, Object body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(io.netty.buffer.ByteBufAllocator.DEFAULT, JsonWriter.write(body)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }

    private static FullHttpResponse error(HttpResponseStatus status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return json(status, body);
    }

    private static FullHttpResponse notAllowed(String allow) {
        FullHttpResponse r = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; allowed: " + allow);
        r.headers().set(HttpHeaderNames.ALLOW, allow);
        return r;
    }

    private static FullHttpResponse noContent() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
    }
}
