package io.streamkit.rtsp.internal;

import io.netty.handler.codec.http.FullHttpResponse;
import io.streamkit.engine.StreamEngine;
import io.streamkit.format.sdp.SessionDescription;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscription;
import io.streamkit.stream.Track;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RTSP client's side of a push: ANNOUNCE with the local stream's SDP (what this server's
 * players get in a DESCRIBE), a SETUP per track in record mode with RTP interleaved in the
 * connection, RECORD, then the local stream's frames as an {@link RtspPlayer} writes them to
 * this server's own players (packets shared with them on the loop). It waits for the local
 * stream up to its play wait; when the stream ends, the push tears down and ends.
 */
final class RtspPushHandler extends RtspClientHandler {
    /** The protocol of the push's subscription, in the stream's events and stats. */
    static final String PROTOCOL = "rtsp-push";

    private final StreamEngine engine;
    private final StreamKey key;
    private final Map<Integer, Track> described = new LinkedHashMap<>();
    private final List<Integer> order = new ArrayList<>();
    private final Map<Integer, RtspPlayer.Out> outs = new LinkedHashMap<>();
    private String base;   // the URL without its query: tracks' controls go under it
    private RtspPlayer player;
    private Subscription subscription;

    RtspPushHandler(RtspUrl url, StreamEngine engine, StreamKey key, Events events) {
        super(url, events);
        this.engine = engine;
        this.key = key;
        int q = url.requestUrl().indexOf('?');
        this.base = q < 0 ? url.requestUrl() : url.requestUrl().substring(0, q);
    }

    @Override
    long mediaBytes() {
        RtspPlayer p = player;
        return p == null ? 0 : p.bytes();
    }

    @Override
    void begin() {
        RtspSdp.tracks(engine, key, SubscribeOptions.defaults().executor(ctx.channel().eventLoop()).protocol(PROTOCOL))
                .whenComplete((tracks, error) -> ctx.executor().execute(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (error != null) {
                fail(error.getCause() != null ? error.getCause() : error);
                return;
            }
            SessionDescription sdp = RtspSdp.describe(key.path(), System.nanoTime() & Long.MAX_VALUE, tracks, described);
            if (described.isEmpty()) {
                fail(new io.streamkit.codec.MediaFormatException("stream " + key + " has no track RTP carries here"));
                return;
            }
            order.addAll(described.keySet());
            request("ANNOUNCE", url.requestUrl(), sdp.toString(), "Content-Type: application/sdp");
        }));
    }

    @Override
    void answered(String method, FullHttpResponse r) {
        switch (method) {
            case "ANNOUNCE" -> setupNext();
            case "SETUP" -> {
                int id = order.get(outs.size());
                RtspTransport t = RtspTransport.parse(r.headers().get("Transport"));
                outs.put(id, RtspPlayer.Out.tcp(t != null && t.tcp() && t.channel() >= 0 ? t.channel() : outs.size() * 2));
                if (outs.size() < order.size()) {
                    setupNext();
                } else {
                    request("RECORD", url.requestUrl(), null, "Range: npt=0.000-");
                }
            }
            case "RECORD" -> record();
            default -> {
            }
        }
    }

    private void setupNext() {
        int id = order.get(outs.size());
        int channel = outs.size() * 2;
        request("SETUP", base + "/trackID=" + id, null,
                "Transport: RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1) + ";mode=record");
    }

    private void record() {
        RtspPlayer p = new RtspPlayer(ctx.channel(), ctx.pipeline().context(RtspServerInitializer.DEMUX), outs, null, null);
        p.onEnd(() -> stop(url.requestUrl()));
        player = p;
        engine.subscribe(key, p, SubscribeOptions.defaults().executor(ctx.channel().eventLoop()).protocol(PROTOCOL))
                .whenComplete((sub, error) -> ctx.executor().execute(() -> {
                    if (error != null) {
                        p.end(false);
                        fail(error.getCause() != null ? error.getCause() : error);
                        return;
                    }
                    if (!ctx.channel().isActive()) {
                        sub.close();
                        return;
                    }
                    subscription = sub;
                    started(url.requestUrl());
                }));
    }

    @Override
    void stop() {
        stop(url.requestUrl());
    }

    @Override
    void ended(Throwable failure) {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (player != null) {
            player.end(false);
        }
    }
}
