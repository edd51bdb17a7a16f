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
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HLS for a server: starts a segmenter per stream (when it is published, or when a player
 * first asks with {@code onDemand}), keeps each stream's segments in memory, and answers
 * {@code GET /{app}/{name}.m3u8} and {@code GET /{app}/{name}/{seq}.ts}.
 *
 * <p><b>Authorisation.</b> A playlist request passes the engine's play check with its query
 * parameters; the playlist it gets lists segment URLs signed for that stream with an expiry
 * (HMAC-SHA256 with a per-server secret), so segment requests need no further check and a
 * token in the playlist URL is all a normal player carries.
 */
public final class HlsService {
    private static final Logger log = LoggerFactory.getLogger(HlsService.class);

    private volatile Engine engine;
    private final HlsConfig config;
    private final EventLoopGroup loops;
    private final byte[] secret = new byte[32];
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
        this.config = config;
        this.loops = loops;
        new SecureRandom().nextBytes(secret);
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
        Entry entry = streams.computeIfAbsent(key, k -> new Entry(new HlsStream(k, config)));
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
            engine.subscribe(key, segmenter, SubscribeOptions.defaults().executor(loop).protocol("hls"))
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
        long keepMillis = Math.max(30_000, 2L * config.playlistSize() * config.segmentDuration().toMillis());
        entry.removal = loops.schedule(() -> {
            synchronized (entry) {
                if (entry.segmenter == null && streams.remove(entry.stream.key(), entry)) {
                    entry.stream.release();
                }
            }
        }, keepMillis, TimeUnit.MILLISECONDS);
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
        return engine.authorize(new AuthRequest(AuthRequest.Action.PLAY, key, query, remote, "hls"))
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
                                    : playlistResponse(key, view));
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

    private FullHttpResponse playlistResponse(StreamKey key, HlsStream.View view) {
        // Rounded up to the minute: the playlist text (and its URLs) changes only when a segment does.
        long expiry = ((System.currentTimeMillis() / 1000 + config.sessionTtl().toSeconds()) / 60 + 1) * 60;
        String signature = sign(key, expiry);
        String body = HlsStream.playlist(view, config.programDateTime(),
                seq -> key.name() + "/" + seq + ".ts?e=" + expiry + "&s=" + signature);
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
     * @param query must hold a valid {@code e} (expiry) and {@code s} (signature) from a playlist
     * @return the response
     */
    public FullHttpResponse segment(StreamKey key, long sequence, Map<String, String> query) {
        long expiry;
        try {
            expiry = Long.parseLong(query.getOrDefault("e", ""));
        } catch (NumberFormatException e) {
            return text(HttpResponseStatus.FORBIDDEN, "segment URL is not signed; fetch it through the playlist");
        }
        String signature = query.getOrDefault("s", "");
        if (!MessageDigest.isEqual(sign(key, expiry).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return text(HttpResponseStatus.FORBIDDEN, "segment signature does not match; fetch it through the playlist");
        }
        if (expiry < System.currentTimeMillis() / 1000) {
            return text(HttpResponseStatus.FORBIDDEN, "segment URL expired; reload the playlist");
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

    private String sign(StreamKey key, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal((key.path() + "|" + expiry).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
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
