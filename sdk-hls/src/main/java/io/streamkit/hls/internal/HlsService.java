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
 * parameters; the playlist it gets lists segment URLs signed with an expiry (HMAC-SHA256 with
 * a per-server secret), so segment requests need no further check and a token in the
 * playlist URL is all a normal player carries. Each segment's URL is signed once, when the
 * segment is made, for that segment alone ({@link HlsSegmentSigner}): it is the same in every
 * playlist that lists it and for every player (RFC 8216 6.2.1; a CDN caches one copy), and it
 * expires {@code sessionTtl} after the segment was made, which {@link HlsConfig} keeps
 * longer than a segment stays listed.
 */
public final class HlsService {
    private static final Logger log = LoggerFactory.getLogger(HlsService.class);

    private volatile Engine engine;
    private final HlsConfig config;
    private final EventLoopGroup loops;
    private final HlsSegmentSigner signer;
    private final Map<StreamKey, Entry> streams = new ConcurrentHashMap<>();
    private final HlsDiskWriter disk;
    private volatile boolean closed;

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
        this.disk = config.directory() == null ? null : new HlsDiskWriter(config.directory());
    }

    /**
     * Connects the service to the engine it segments streams of.
     *
     * @param streams the engine
     */
    public void start(Engine streams) {
        this.engine = streams;
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
        return engine.authorize(AuthRequest.builder(AuthRequest.Action.PLAY, key).query(query).remoteAddress(remote).protocol("hls").build())
                .thenCompose(result -> {
                    if (!result.allowed()) {
                        return CompletableFuture.completedFuture(text(HttpResponseStatus.FORBIDDEN,
                                "play of " + key + " denied" + (result.reason().isEmpty() ? "" : ": " + result.reason())));
                    }
                    Entry entry = streams.get(key);
                    if (entry == null && config.onDemand() && engine.stream(key).map(s -> s.live()).orElse(false)) {
                        entry = ensure(key);
                    }
                    if (entry == null) {
                        return CompletableFuture.completedFuture(text(HttpResponseStatus.NOT_FOUND, "stream " + key + " not found"));
                    }
                    return whenReady(entry, System.nanoTime() + config.segmentDuration().toNanos() * 3 + 2_000_000_000L)
                            .thenApply(view -> view.segments().isEmpty()
                                    ? text(HttpResponseStatus.NOT_FOUND, "stream " + key + " has no segment yet")
                                    : playlistResponse(view));
                });
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

    private FullHttpResponse playlistResponse(HlsStream.View view) {
        // The URIs signed when the segments were made: the text changes only when the segments do.
        String body = HlsStream.playlist(view, config.programDateTime(), HlsSegment::uri);
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
        String refusal = signer.refusal(key, sequence, query);
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
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=" + Math.max(10,
                (config.playlistSize() + config.keptSegments()) * config.segmentDuration().toSeconds()));
        return response;
    }

    /** Stops every segmenter and releases every segment. */
    public void close() {
        closed = true;
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
