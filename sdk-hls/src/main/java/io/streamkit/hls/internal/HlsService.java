package io.streamkit.hls.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.streamkit.hls.HlsConfig;
import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.ServerListener;
import io.streamkit.hook.StreamEvent;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscription;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HLS for a server: starts a segmenter per stream (when it is published, or when a player
 * first asks with {@code onDemand}), keeps each stream's segments in memory, and answers
 * {@code GET /{app}/{name}.m3u8} and {@code GET /{app}/{name}/{seq}.ts}.
 *
 * <p><b>Authorisation.</b> A playlist request passes the engine's play check with its query
 * parameters. With viewer sessions (the default) the viewer then gets a session
 * ({@link HlsSessions}): a multivariant playlist whose one variant is the session's media
 * playlist ({@code name.m3u8?hs=...}), whose segment URIs carry the session too; every reload and
 * segment is checked against it, and the viewer is one client and one play/stop. Without
 * sessions, the playlist lists segment URLs signed with an expiry (HMAC-SHA256 with a per-server
 * secret), so segment requests need no further check. Each segment's signed URL is signed once, when the
 * segment is made, for that segment alone ({@link HlsSegmentSigner}): it is the same in every
 * playlist that lists it and for every player (RFC 8216 6.2.1; a CDN caches one copy), and it
 * expires {@code sessionTtl} after the segment was made, which {@link HlsConfig} keeps
 * longer than a segment stays listed.
 */
public final class HlsService {
    private static final Logger log = LoggerFactory.getLogger(HlsService.class);
    /** The query parameter that carries a viewer's session. */
    static final String SESSION_PARAM = "hs";
    /** At most one line per this long about refused viewers: a flood of them is one line, not a flood of lines. */
    private static final long LIMIT_LOG_INTERVAL_NANOS = 10_000_000_000L;
    private final java.util.concurrent.atomic.AtomicLong lastLimitLog = new java.util.concurrent.atomic.AtomicLong(
            System.nanoTime() - LIMIT_LOG_INTERVAL_NANOS * 2);

    private volatile Engine engine;
    private final HlsConfig config;
    private final EventLoopGroup loops;
    private final HlsSegmentSigner signer;
    private final Map<StreamKey, Entry> streams = new ConcurrentHashMap<>();
    private volatile ServerListener announcer;
    private final HlsDiskWriter disk;
    private final byte[] secret;
    /** The viewers' sessions, or {@code null} when {@code viewerSessions} is off. */
    private volatile HlsSessions sessions;
    private volatile boolean closed;
    /** Where denied playlist requests are logged, one line each within the server's rate. */
    private volatile io.streamkit.server.internal.ClientLog clientLog = io.streamkit.server.internal.ServerGuard.lenient().log();

    /** A stream's rendition and the segmenter that feeds it, if one runs. */
    private static final class Entry {
        final HlsStream stream;
        HlsSegmenter segmenter;
        Subscription subscription;
        ScheduledFuture<?> removal;

        Entry(HlsStream stream) {
            this.stream = stream;
        }
    }

    /**
     * Creates the service; {@link #start} gives it the engine, whose listener it must be first.
     *
     * @param config the HLS settings
     * @param loops the event loops segmenters run on
     */
    public HlsService(HlsConfig config, EventLoopGroup loops) {
        this(config, loops, Clock.systemUTC());
    }

    /** Creates the service with a wall clock of the caller's for the segments' expiries: tests set the time. */
    HlsService(HlsConfig config, EventLoopGroup loops, Clock clock) {
        this.config = config;
        this.loops = loops;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.signer = new HlsSegmentSigner(secret, clock, config.sessionTtl());
        this.secret = secret;
        this.disk = config.directory() == null ? null : new HlsDiskWriter(config.directory());
    }

    /**
     * Connects the service to the engine it segments streams of.
     *
     * @param streams the engine
     */
    public void start(Engine streams) {
        start(streams, null, streams.announcer(), io.streamkit.server.internal.ServerGuard.lenient().log());
    }

    /**
     * Connects the service to the engine, and its viewers' sessions (when on) to the client list
     * and the listeners; sessions idle past {@code viewerTimeout} are ended every second. Denied
     * viewers are logged through the server's rate-limited log.
     *
     * @param streams the engine
     * @param clients where sessions are listed and kicked, or {@code null}
     * @param announcer the listeners that hear sessions' plays and stops
     * @param refusals where a denied playlist request is logged
     */
    public void start(Engine streams, io.streamkit.server.internal.ClientRegistry clients, ServerListener announcer,
                      io.streamkit.server.internal.ClientLog refusals) {
        this.clientLog = refusals;
        this.engine = streams;
        this.announcer = announcer;
        if (config.viewerSessions()) {
            HlsSessions table = new HlsSessions(secret, clients, announcer, config.viewerTimeout().toNanos(),
                    config.maxViewers(), config.maxViewersPerAddress(), System::nanoTime);
            this.sessions = table;
            loops.scheduleWithFixedDelay(table::sweep, 1, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Returns the listener that starts a segmenter for every published stream (unless on demand).
     *
     * @return the listener, to add to the engine
     */
    public ServerListener listener() {
        return new ServerListener() {
            @Override
            public void onPublish(StreamEvent event) {
                if (!config.onDemand() && engine != null) {
                    ensure(event.key());
                }
            }
        };
    }

    /** Starts the stream's segmenter unless one runs. */
    private Entry ensure(StreamKey key) {
        Entry entry = streams.computeIfAbsent(key, k -> new Entry(new HlsStream(k, config, signer)));
        synchronized (entry) {
            if (closed || entry.segmenter != null) {
                return entry;
            }
            if (entry.removal != null) {
                entry.removal.cancel(false);
                entry.removal = null;
            }
            boolean continuing = entry.stream.nextSequence() > 0;
            var loop = loops.next();
            HlsSegmenter segmenter = new HlsSegmenter(entry.stream, config, io.netty.buffer.PooledByteBufAllocator.DEFAULT,
                    continuing, s -> segmenterEnded(entry, s), disk == null ? st -> { } : st -> disk.write(st.key(), st.view()));
            entry.segmenter = segmenter;
            entry.stream.ended(false);
            // "hls-segmenter", not "hls": the one subscriber of a stream's HLS rendition is no viewer
            // (HLS viewers fetch playlists and segments and never subscribe).
            engine.subscribe(key, segmenter, SubscribeOptions.defaults().executor(loop).protocol("hls-segmenter"))
                    .whenComplete((sub, error) -> {
                        synchronized (entry) {
                            if (error != null) {
                                if (entry.segmenter == segmenter) {
                                    entry.segmenter = null;
                                    scheduleRemoval(entry);
                                }
                            } else {
                                entry.subscription = sub;
                            }
                        }
                    });
        }
        return entry;
    }

    private void segmenterEnded(Entry entry, HlsSegmenter segmenter) {
        synchronized (entry) {
            if (entry.segmenter == segmenter) {
                entry.segmenter = null;
                entry.subscription = null;
                scheduleRemoval(entry);
            }
        }
        if (disk != null) {
            disk.write(entry.stream.key(), entry.stream.view());
        }
    }

    /** An ended stream's playlist stays a while (players see EXT-X-ENDLIST), then its memory goes. Guarded by entry. */
    private void scheduleRemoval(Entry entry) {
        if (closed || loops.isShuttingDown()) {
            return;   // the server stops: release() frees every stream once the loops have stopped
        }
        long keepMillis = config.endedRetention().toMillis();
        try {
            entry.removal = loops.schedule(() -> {
                synchronized (entry) {
                    if (entry.segmenter == null && streams.remove(entry.stream.key(), entry)) {
                        entry.stream.release();
                    }
                }
            }, keepMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the loops began to stop after the check above: release() frees it, as for the others
        }
    }

    /**
     * Answers a playlist request.
     *
     * @param key the stream
     * @param query the URL's query parameters
     * @param remote the player's address
     * @return the response, once authorised and ready
     */
    public CompletionStage<FullHttpResponse> playlist(StreamKey key, Map<String, String> query, InetSocketAddress remote) {
        HlsSessions table = sessions;
        if (table != null && query.containsKey(SESSION_PARAM)) {
            return CompletableFuture.completedFuture(sessionPlaylist(table, key, query.get(SESSION_PARAM)));
        }
        long id = table == null ? 0 : engine.newId();   // the viewer's session: its auth request, events and client entry
        return engine.authorize(AuthRequest.builder(AuthRequest.Action.PLAY, key).query(query).remoteAddress(remote)
                        .protocol("hls").connectionId(id).build())
                .thenCompose(result -> {
                    if (!result.allowed()) {
                        clientLog.info(log, "hls {}: play of {} denied{}", remote, key,
                                result.reason().isEmpty() ? "" : ": " + result.reason());
                        return CompletableFuture.completedFuture(text(HttpResponseStatus.FORBIDDEN,
                                "play of " + key + " denied" + (result.reason().isEmpty() ? "" : ": " + result.reason())));
                    }
                    long asked = System.nanoTime();
                    long deadline = asked + config.segmentDuration().toNanos() * 3 + 2_000_000_000L;
                    Entry entry = entryOf(key);
                    CompletionStage<Entry> found;
                    long playWait = engine.policyFor(key).playWait().toNanos();
                    if (entry != null || playWait == 0) {
                        found = CompletableFuture.completedFuture(entry);
                    } else {
                        // as an RTMP or FLV player's subscription waits for a stream that is not published yet,
                        // and says so to the listeners (an edge pulls it on demand from there)
                        ServerListener listeners = announcer;
                        if (listeners != null) {
                            listeners.onPlayWaiting(new io.streamkit.hook.PlayEvent(key, 0, "hls", remote, null, id,
                                    result.attributes(), query));
                        }
                        found = whenPublished(key, asked + Math.min(playWait, deadline - asked));
                    }
                    return found.thenCompose(e -> e == null
                            ? CompletableFuture.completedFuture((HlsStream.View) null)
                            : whenReady(e, deadline))
                            .thenApply(view -> {
                                if (view == null) {
                                    return text(HttpResponseStatus.NOT_FOUND, "stream " + key + " not found");
                                }
                                if (view.segments().isEmpty()) {
                                    return text(HttpResponseStatus.NOT_FOUND, "stream " + key + " has no segment yet");
                                }
                                if (table == null) {
                                    return playlistResponse(view, HlsSegment::uri);
                                }
                                HlsSessions.Session session = table.open(id, key, remote, result.attributes(), query);
                                if (session == null) {
                                    long now = System.nanoTime();
                                    long last = lastLimitLog.get();
                                    if (now - last > LIMIT_LOG_INTERVAL_NANOS && lastLimitLog.compareAndSet(last, now)) {
                                        log.warn("hls {}: the viewer sessions are at their limit ({} in all, {} per address);"
                                                + " refusing {} (one line per 10 s)", key, config.maxViewers(),
                                                config.maxViewersPerAddress(), remote);
                                    }
                                    return text(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many HLS viewers");
                                }
                                return multivariant(key, view, session.token);
                            });
                });
    }

    /** A reload of a session's media playlist: its segment URIs carry the session. */
    private FullHttpResponse sessionPlaylist(HlsSessions table, StreamKey key, String token) {
        String[] why = new String[1];
        HlsSessions.Session session = table.check(key, token, why);
        if (session == null) {
            return text(HttpResponseStatus.FORBIDDEN, why[0]);
        }
        Entry entry = streams.get(key);
        HlsStream.View view = entry == null ? null : entry.stream.view();
        if (view == null || view.segments().isEmpty()) {
            return text(HttpResponseStatus.NOT_FOUND, "stream " + key + " has no segment now");
        }
        String suffix = ".ts?" + SESSION_PARAM + "=" + session.token;
        return playlistResponse(view, segment -> key.name() + "/" + segment.sequence() + suffix);
    }

    /**
     * The answer to a viewer's first playlist request: a multivariant playlist of one variant, the
     * session's media playlist (RFC 8216 4.3.4.2; BANDWIDTH is the peak bit rate of the segments so far).
     */
    private static FullHttpResponse multivariant(StreamKey key, HlsStream.View view, String token) {
        long peak = 1;
        for (HlsSegment segment : view.segments()) {
            if (segment.durationMicros() > 0) {
                peak = Math.max(peak, segment.data().readableBytes() * 8_000_000L / segment.durationMicros());
            }
        }
        String body = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=" + peak + "\n"
                + key.name() + ".m3u8?" + SESSION_PARAM + "=" + token + "\n";
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/vnd.apple.mpegurl");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    /** The stream's segmenter, started now for a live stream when segmenting is on demand; null when there is none. */
    private Entry entryOf(StreamKey key) {
        Entry entry = streams.get(key);
        if (entry == null && config.onDemand() && engine.stream(key).map(s -> s.live()).orElse(false)) {
            entry = ensure(key);
        }
        return entry;
    }

    /** Completes with the stream's segmenter once it is published, or with null at the deadline. */
    private CompletionStage<Entry> whenPublished(StreamKey key, long deadline) {
        Entry entry = entryOf(key);
        if (entry != null || System.nanoTime() >= deadline || closed) {
            return CompletableFuture.completedFuture(entry);
        }
        CompletableFuture<Entry> later = new CompletableFuture<>();
        loops.schedule(() -> whenPublished(key, deadline).whenComplete((e, x) -> later.complete(e)),
                100, TimeUnit.MILLISECONDS);
        return later;
    }

    /** Completes with the view once it lists a segment, or at the deadline. */
    private CompletionStage<HlsStream.View> whenReady(Entry entry, long deadline) {
        HlsStream.View view = entry.stream.view();
        if (!view.segments().isEmpty() || System.nanoTime() >= deadline || closed) {
            return CompletableFuture.completedFuture(view);
        }
        CompletableFuture<HlsStream.View> later = new CompletableFuture<>();
        loops.schedule(() -> whenReady(entry, deadline).whenComplete((v, e) -> later.complete(v)),
                100, TimeUnit.MILLISECONDS);
        return later;
    }

    private FullHttpResponse playlistResponse(HlsStream.View view, java.util.function.Function<HlsSegment, String> uri) {
        // Without sessions, the URIs signed when the segments were made: the text changes only when the segments do.
        String body = HlsStream.playlist(view, config.programDateTime(), uri);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/vnd.apple.mpegurl");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return response;
    }

    /**
     * Answers a segment request.
     *
     * @param key the stream
     * @param sequence the segment's number
     * @param query must hold a valid {@code e} (expiry) and {@code s} (signature) from a playlist,
     *     signed for this stream and sequence number and not expired; else 403 with the reason
     * @return the response
     */
    public FullHttpResponse segment(StreamKey key, long sequence, Map<String, String> query) {
        HlsSessions table = sessions;
        String refusal;
        if (table != null) {
            String[] why = new String[1];
            refusal = table.check(key, query.get(SESSION_PARAM), why) == null ? "segment " + why[0] : null;
        } else {
            refusal = signer.refusal(key, sequence, query);
        }
        if (refusal != null) {
            return text(HttpResponseStatus.FORBIDDEN, refusal);
        }
        Entry entry = streams.get(key);
        ByteBuf data = entry == null ? null : HlsStream.segment(entry.stream.view(), sequence);
        if (data == null) {
            return text(HttpResponseStatus.NOT_FOUND, "segment " + sequence + " of " + key + " is not available");
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, data);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/mp2t");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, (table != null ? "private" : "public") + ", max-age=" + Math.max(10,
                (config.playlistSize() + config.keptSegments()) * config.segmentDuration().toSeconds()));
        return response;
    }

    /** Stops every segmenter and releases every segment. */
    public void close() {
        closed = true;
        HlsSessions table = sessions;
        if (table != null) {
            table.closeAll();
        }
        for (Entry entry : streams.values()) {
            synchronized (entry) {
                if (entry.subscription != null) {
                    entry.subscription.close();
                }
                if (entry.removal != null) {
                    entry.removal.cancel(false);
                }
            }
        }
        if (disk != null) {
            disk.close();
        }
    }

    /** Releases the segments of every stream; after the event loops stopped. */
    public void release() {
        for (Entry entry : streams.values()) {
            entry.stream.release();
        }
        streams.clear();
    }

    private static FullHttpResponse text(HttpResponseStatus status, String reason) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer((status.code() + " " + status.reasonPhrase() + ": " + reason + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        log.debug("hls: {} {}", status.code(), reason);
        return response;
    }
}
