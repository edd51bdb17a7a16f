package io.streamkit.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.sdp.MediaDescription;
import io.streamkit.format.sdp.RtpFormats;
import io.streamkit.format.sdp.RtpFormats.RtpTrackFormat;
import io.streamkit.format.sdp.SessionDescription;
import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtsp.RtspConfig;
import io.streamkit.rtsp.RtspProtocolException;
import io.streamkit.server.internal.ClientLog;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.WriteBatch;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.StreamException;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscription;
import io.streamkit.stream.Track;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTSP connection (RFC 2326): its requests, in order, and its one session, which plays a
 * stream (DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN) or publishes one (ANNOUNCE, SETUP, RECORD).
 * GET_PARAMETER, SET_PARAMETER and OPTIONS keep it alive. The URL is
 * {@code rtsp://host:port/{app}/{name}[?query]} for both; a track's is the stream's with its
 * control ({@code trackID=N} in our SDP; the publisher's own in its SDP) after it.
 *
 * <p>Requests are answered one at a time: a request that waits for the application (auth) or
 * for a stream holds those after it, at most {@value #MAX_QUEUED} of them. Every refusal is a
 * status with a reason phrase and one log line (rate-limited, as every client mistake).
 *
 * <ul>
 *   <li>400: a request that cannot be read, or without {@code CSeq}; 401: the application's
 *   auth callback denied it; 404: no such stream, or no such track; 408: no whole request
 *   within {@code requestTimeout} of the connection;
 *   <li>415: an ANNOUNCE whose SDP carries nothing this server depacketizes;
 *   <li>454: a {@code Session} that is not this connection's; 455: a method not valid now
 *   (PLAY before SETUP, SETUP before DESCRIBE or ANNOUNCE);
 *   <li>461: a transport this server does not take (UDP when UDP is off, multicast);
 *   <li>501: a method it does not implement.
 * </ul>
 *
 * <p>Deadlines: the first whole request within {@code requestTimeout}; then no silence longer
 * than {@code sessionTimeout}, where requests, the publisher's RTP and the players' RTCP count
 * (interleaved or over UDP), and so does a TCP player's media going out.
 */
final class RtspConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RtspConnectionHandler.class);
    /** Requests held behind one that waits: clients send one at a time, a few pipeline keep-alives. */
    static final int MAX_QUEUED = 8;
    /** Tracks a session may set up: a stream has a video and an audio track, a few have more. */
    static final int MAX_TRACKS = 8;
    static final String PUBLIC = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER, "
            + "ANNOUNCE, RECORD";
    private static final String SERVER = "Streamkit";

    private final Engine engine;
    private final RtspConfig config;
    private final ClientRegistry clients;
    private final ClientLog clientLog;
    private final RtspUdp udp;
    private final long id;
    private final String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);   // Digest's
    private final ArrayDeque<FullHttpRequest> queue = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private InetSocketAddress remote;
    private ClientRegistry.Entry client;
    private IdleTimeoutHandler idle;
    private ScheduledFuture<?> firstRequest;
    private boolean busy;

    // the session
    private String sessionId;
    private StreamKey key;
    private String base;   // the stream's path, under which tracks' controls are
    private Map<String, String> query = Map.of();
    private Map<String, String> attributes = Map.of();
    private final Map<Integer, Track> described = new LinkedHashMap<>();   // play: offered tracks by id
    private final Map<Integer, RtspPlayer.Out> outs = new LinkedHashMap<>();   // play: set-up tracks by id
    private RtspPlayer player;
    private Subscription subscription;
    private List<RtpTrackFormat> announced;   // record: the SDP's media, null when not announced
    private final Map<Integer, RtpTrackFormat> recordSetups = new LinkedHashMap<>();   // record: by RTP channel
    private final Map<Integer, Integer> recordPorts = new LinkedHashMap<>();   // record over UDP: client RTP port by channel
    private final List<UdpRtpInput> udpInputs = new ArrayList<>(2);   // record over UDP, once recording
    private final Map<InetSocketAddress, Object> routes = new LinkedHashMap<>();   // the session's UDP routes, by source
    private RtspIngest ingest;
    private int nextChannel;

    RtspConnectionHandler(Engine engine, RtspConfig config, ClientRegistry clients, ClientLog clientLog, RtspUdp udp) {
        this.engine = engine;
        this.config = config;
        this.clients = clients;
        this.clientLog = clientLog;
        this.udp = udp;
        this.id = engine.newId();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.idle = ctx.pipeline().get(IdleTimeoutHandler.class);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        client = clients.register(id, "rtsp", remote, ctx::close);
        firstRequest = ctx.executor().schedule(() -> refuse(null, HttpResponseStatus.REQUEST_TIMEOUT,
                "no request within " + config.requestTimeout().toMillis() + " ms", true),
                config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InterleavedFrame frame) {
            interleaved(frame);
        } else if (msg instanceof FullHttpRequest request) {
            if (firstRequest != null) {
                firstRequest.cancel(false);
                firstRequest = null;
            }
            progress();
            if (busy) {
                if (queue.size() >= MAX_QUEUED) {
                    request.release();
                    refuse(null, HttpResponseStatus.SERVICE_UNAVAILABLE, "over " + MAX_QUEUED + " requests waiting", true);
                    return;
                }
                queue.add(request);
                return;
            }
            try {
                handle(request);
            } finally {
                request.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void progress() {
        if (idle != null) {
            idle.progress();
        }
    }

    private void interleaved(InterleavedFrame frame) {
        if (ingest == null) {
            // a player's RTCP receiver reports: signs of life, nothing else
            if ((frame.channel() & 1) == 1 && player != null) {
                progress();
            }
            frame.release();
            return;
        }
        progress();
        try {
            ingest.frame(frame);
        } catch (MediaFormatException e) {
            clientLog.warn(log, "rtsp {} #{}: publish of {} failed: {}; closing", remote, id, key, e.getMessage());
            ctx.close();
        }
    }

    /** Answers the next held request, if no request is waiting. */
    private void resume() {
        busy = false;
        while (!busy && !queue.isEmpty() && ctx.channel().isActive()) {
            FullHttpRequest next = queue.poll();
            try {
                handle(next);
            } finally {
                next.release();
            }
        }
    }

    private void handle(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            refuse(null, HttpResponseStatus.BAD_REQUEST, "unreadable request: " + (cause == null ? "?" : cause.getMessage()), true);
            return;
        }
        String cseq = request.headers().get(RtspHeaderNames.CSEQ);
        if (cseq == null || cseq.isBlank() || cseq.length() > 16) {
            refuse(null, HttpResponseStatus.BAD_REQUEST, "request without a valid CSeq", true);
            return;
        }
        String session = request.headers().get(RtspHeaderNames.SESSION);
        if (session != null) {
            int semicolon = session.indexOf(';');
            String sid = (semicolon < 0 ? session : session.substring(0, semicolon)).trim();
            if (sessionId == null ? !isStateless(request) : !sid.equals(sessionId)) {
                refuse(cseq, RtspResponseStatuses.SESSION_NOT_FOUND, "no session " + abbreviate(sid), false);
                return;
            }
        }
        String method = request.method().name().toUpperCase(Locale.ROOT);
        for (int i = 0; i < request.uri().length(); i++) {
            char c = request.uri().charAt(i);
            if (c < 0x20 || c == 0x7F) {
                refuse(cseq, HttpResponseStatus.BAD_REQUEST, "a control character in the URL", false);
                return;
            }
        }
        RtspTarget target;
        try {
            target = RtspTarget.parse(request.uri());
        } catch (IllegalArgumentException e) {
            refuse(cseq, HttpResponseStatus.BAD_REQUEST, "unreadable URL: " + e.getMessage(), false);
            return;
        }
        switch (method) {
            case "OPTIONS" -> {
                FullHttpResponse ok = response(cseq, HttpResponseStatus.OK);
                ok.headers().set("Public", PUBLIC);
                send(ok);
            }
            case "DESCRIBE" -> describe(cseq, target, request);
            case "SETUP" -> setup(cseq, target, request.headers().get(RtspHeaderNames.TRANSPORT));
            case "PLAY" -> play(cseq);
            case "PAUSE" -> pause(cseq);
            case "TEARDOWN" -> {
                send(response(cseq, HttpResponseStatus.OK));
                endSession(false);
            }
            case "GET_PARAMETER", "SET_PARAMETER" -> send(response(cseq, HttpResponseStatus.OK));
            case "ANNOUNCE" -> announce(cseq, target, request);
            case "RECORD" -> record(cseq);
            default -> refuse(cseq, HttpResponseStatus.NOT_IMPLEMENTED, "method " + abbreviate(method) + " not implemented", false);
        }
    }

    /** Requests a client may send with another server's session id: keep-alives after TEARDOWN. */
    private static boolean isStateless(FullHttpRequest request) {
        String m = request.method().name();
        return "OPTIONS".equals(m) || "GET_PARAMETER".equals(m) || "TEARDOWN".equals(m);
    }

    // ---- play ----

    private void describe(String cseq, RtspTarget target, FullHttpRequest request) {
        if (announced != null || subscription != null) {
            refuse(cseq, RtspResponseStatuses.METHOD_NOT_VALID, "DESCRIBE in a session that " + (announced != null
                    ? "publishes" : "plays"), false);
            return;
        }
        StreamKey wanted;
        try {
            wanted = StreamKey.parse(target.path());
        } catch (IllegalArgumentException e) {
            refuse(cseq, HttpResponseStatus.NOT_FOUND, e.getMessage(), false);
            return;
        }
        String url = request.uri();
        busy = true;
        authorize(AuthRequest.Action.PLAY, wanted, target.query(), url, credentials(request)).whenComplete((result, error) ->
                ctx.executor().execute(() -> {
                    if (!ctx.channel().isActive()) {
                        return;
                    }
                    if (result == null || !result.allowed()) {
                        unauthorized(cseq, "play of " + wanted + " denied"
                                + (result == null || result.reason().isEmpty() ? "" : ": " + result.reason()));
                        resume();
                        return;
                    }
                    RtspSdp.tracks(engine, wanted, options(target.query(), result)).whenComplete((tracks, failed) -> ctx.executor().execute(() -> {
                        try {
                            if (ctx.channel().isActive()) {
                                described(cseq, wanted, target, url, result, failed == null ? tracks : List.of());
                            }
                        } finally {
                            resume();
                        }
                    }));
                }));
    }

    private void described(String cseq, StreamKey wanted, RtspTarget target, String url, AuthResult result, List<Track> tracks) {
        described.clear();
        SessionDescription sdp = RtspSdp.describe(wanted.path(), id, tracks, described);
        if (described.isEmpty()) {
            refuse(cseq, HttpResponseStatus.NOT_FOUND, tracks.isEmpty() ? "stream " + wanted + " not found"
                    : "stream " + wanted + " has no track RTP carries here", false);
            return;
        }
        key = wanted;
        base = target.path();
        query = target.query();
        attributes = result.attributes();
        byte[] body = sdp.toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse ok = response(cseq, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        ok.headers().set("Content-Type", "application/sdp");
        String contentBase = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        ok.headers().set("Content-Base", contentBase.endsWith("/") ? contentBase : contentBase + "/");
        send(ok);
    }

    private void setup(String cseq, RtspTarget target, String transportHeader) {
        if (key == null) {
            refuse(cseq, RtspResponseStatuses.METHOD_NOT_VALID, "SETUP before DESCRIBE or ANNOUNCE", false);
            return;
        }
        if (subscription != null || ingest != null) {
            refuse(cseq, RtspResponseStatuses.METHOD_NOT_VALID, "SETUP while " + (ingest != null ? "recording" : "playing"), false);
            return;
        }
        String control = target.below(base);
        if (control == null) {
            refuse(cseq, HttpResponseStatus.NOT_FOUND, "SETUP of " + abbreviate(target.path()) + " outside " + key, false);
            return;
        }
        RtspTransport transport = RtspTransport.parse(transportHeader);
        if (transport == null) {
            refuse(cseq, RtspResponseStatuses.UNSUPPORTED_TRANSPORT, "no transport taken in "
                    + abbreviate(String.valueOf(transportHeader)), false);
            return;
        }
        if (outs.size() + recordSetups.size() >= MAX_TRACKS) {
            refuse(cseq, HttpResponseStatus.BAD_REQUEST, "over " + MAX_TRACKS + " tracks set up", false);
            return;
        }
        if (announced != null) {
            setupRecord(cseq, control, transport);
        } else {
            setupPlay(cseq, control, transport);
        }
    }

    private void setupPlay(String cseq, String control, RtspTransport transport) {
        Track track = null;
        if (control.startsWith("trackID=")) {
            try {
                track = described.get(Integer.parseInt(control.substring("trackID=".length())));
            } catch (NumberFormatException e) {
                track = null;
            }
        } else if (control.isEmpty() && described.size() == 1) {
            track = described.values().iterator().next();
        }
        if (track == null) {
            refuse(cseq, HttpResponseStatus.NOT_FOUND, "no track " + abbreviate(control) + " in " + key, false);
            return;
        }
        String answer;
        if (transport.tcp()) {
            int channel = transport.channel() >= 0 ? transport.channel() : nextChannel;
            if (channel > 254) {
                refuse(cseq, RtspResponseStatuses.UNSUPPORTED_TRANSPORT, "interleaved channel " + channel + " over 254", false);
                return;
            }
            nextChannel = Math.max(nextChannel, channel + 2);
            outs.put(track.id(), RtspPlayer.Out.tcp(channel));
            answer = "RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1);
        } else {
            if (udp == null || remote == null) {
                refuse(cseq, RtspResponseStatuses.UNSUPPORTED_TRANSPORT, "UDP is off here; use TCP", false);
                return;
            }
            InetSocketAddress rtp = new InetSocketAddress(remote.getAddress(), transport.clientPort());
            InetSocketAddress rtcp = new InetSocketAddress(remote.getAddress(), transport.clientPort() + 1);
            if (routes.size() >= MAX_TRACKS && !routes.containsKey(rtcp)) {
                // SETUPs of a track again and again with other ports: its routes would pile up
                refuse(cseq, HttpResponseStatus.BAD_REQUEST, "over " + MAX_TRACKS + " UDP port pairs set up", false);
                return;
            }
            outs.put(track.id(), RtspPlayer.Out.udp(rtp, rtcp));
            // the player's receiver reports: signs of life, as over TCP
            route(rtcp, packet -> {
                packet.release();
                if (player != null) {
                    progress();
                }
            });
            answer = "RTP/AVP;unicast;client_port=" + transport.clientPort() + "-" + (transport.clientPort() + 1)
                    + ";server_port=" + udp.rtpPort() + "-" + udp.rtcpPort();
        }
        FullHttpResponse ok = response(cseq, HttpResponseStatus.OK);
        startSession();
        ok.headers().set("Session", sessionHeader());
        ok.headers().set("Transport", answer);
        send(ok);
    }

    private void play(String cseq) {
        if (announced != null || outs.isEmpty()) {
            refuse(cseq, RtspResponseStatuses.METHOD_NOT_VALID, "PLAY before SETUP", false);
            return;
        }
        FullHttpResponse ok = response(cseq, HttpResponseStatus.OK);
        ok.headers().set("Session", sessionHeader());
        ok.headers().set("Range", "npt=0.000-");
        send(ok);
        if (player != null) {
            return;   // already playing: a PLAY to resume nothing, or a repeated one
        }
        boolean anyUdp = outs.values().stream().anyMatch(RtspPlayer.Out::isUdp);
        RtspPlayer p = new RtspPlayer(ctx.channel(), ctx.pipeline().context(RtspServerInitializer.DEMUX), outs,
                anyUdp ? udp : null, WriteBatch.forWindow(ctx.channel().eventLoop(), config.writeBatch()));
        player = p;
        engine.subscribe(key, p, options(query, AuthResult.allow(attributes)))
                .whenComplete((sub, error) -> ctx.executor().execute(() -> {
                    if (error != null) {
                        p.end(false);
                        if (player == p) {
                            player = null;
                            clientLog.info(log, "rtsp {} #{}: play of {} failed: {}; closing", remote, id, key,
                                    (error.getCause() != null ? error.getCause() : error).getMessage());
                            ctx.close();
                        }
                        return;
                    }
                    if (player != p || !ctx.channel().isActive()) {
                        sub.close();
                        return;
                    }
                    subscription = sub;
                    client.role(ClientRegistry.Role.PLAY, key);
                    log.debug("rtsp {} #{}: playing {}", remote, id, key);
                }));
    }

    private void pause(String cseq) {
        if (outs.isEmpty()) {
            refuse(cseq, RtspResponseStatuses.METHOD_NOT_VALID, "PAUSE before SETUP", false);
            return;
        }
        stopPlaying();
        FullHttpResponse ok = response(cseq, HttpResponseStatus.OK);
        ok.headers().set("Session", sessionHeader());
        send(ok);
    }

    private void stopPlaying() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (player != null) {
            player.end(ctx.channel().isActive());
            player = null;
        }
    }

    private SubscribeOptions options(Map<String, String> parameters, AuthResult result) {
        return SubscribeOptions.defaults().executor(ctx.channel().eventLoop()).protocol("rtsp").remoteAddress(remote)
                .connectionId(id).attributes(result.attributes()).query(parameters);
    }

    // ---- record ----

    private void announce(String cseq, RtspTarget target, FullHttpRequest request) {
        if (key != null) {
            refuse(cseq, RtspResponseStatuses.METHOD_NOT_VALID, "ANNOUNCE in a session of " + key, false);
            return;
        }
        StreamKey wanted;
        try {
            wanted = StreamKey.parse(target.path());
        } catch (IllegalArgumentException e) {
            refuse(cseq, HttpResponseStatus.BAD_REQUEST, e.getMessage(), false);
            return;
        }
        List<RtpTrackFormat> formats = new ArrayList<>();
        try {
            SessionDescription sdp = SessionDescription.parse(request.content().toString(StandardCharsets.UTF_8));
            for (MediaDescription m : sdp.media()) {
                formats.add(RtpFormats.parse(m).orElse(null));
            }
        } catch (MediaFormatException e) {
            refuse(cseq, HttpResponseStatus.BAD_REQUEST, "unreadable SDP: " + e.getMessage(), false);
            return;
        }
        if (formats.stream().allMatch(java.util.Objects::isNull)) {
            refuse(cseq, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "the SDP of " + wanted
                    + " has no media this server takes (H.264, H.265, AAC, Opus)", false);
            return;
        }
        busy = true;
        authorize(AuthRequest.Action.PUBLISH, wanted, target.query(), request.uri(), credentials(request))
                .whenComplete((result, error) ->
                ctx.executor().execute(() -> {
                    try {
                        announced(cseq, wanted, target, formats, result);
                    } finally {
                        resume();
                    }
                }));
    }

    private void announced(String cseq, StreamKey wanted, RtspTarget target, List<RtpTrackFormat> formats,
                           AuthResult result) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (result == null || !result.allowed()) {
            unauthorized(cseq, "publish of " + wanted + " denied"
                    + (result == null || result.reason().isEmpty() ? "" : ": " + result.reason()));
            return;
        }
        key = wanted;
        base = target.path();
        query = target.query();
        attributes = result.attributes();
        announced = formats;
        send(response(cseq, HttpResponseStatus.OK));
    }

    private void setupRecord(String cseq, String control, RtspTransport transport) {
        if (!transport.tcp() && (udp == null || remote == null)) {
            refuse(cseq, RtspResponseStatuses.UNSUPPORTED_TRANSPORT, "UDP is off here; use TCP", false);
            return;
        }
        RtpTrackFormat format = null;
        for (RtpTrackFormat f : announced) {
            if (f != null && f.control() != null && (control.equals(f.control()) || f.control().endsWith("/" + control))) {
                format = f;
                break;
            }
        }
        if (format == null && control.isEmpty() && announced.size() == 1) {
            format = announced.get(0);
        }
        int channel = transport.tcp() && transport.channel() >= 0 ? transport.channel() : nextChannel;
        if (channel > 254) {
            refuse(cseq, RtspResponseStatuses.UNSUPPORTED_TRANSPORT, "interleaved channel " + channel + " over 254", false);
            return;
        }
        nextChannel = Math.max(nextChannel, channel + 2);
        if (format != null) {
            recordSetups.put(channel & ~1, format);
            if (!transport.tcp()) {
                recordPorts.put(channel & ~1, transport.clientPort());
            }
        }
        // A media this server does not take is set up and its packets dropped: the publisher sends the rest.
        FullHttpResponse ok = response(cseq, HttpResponseStatus.OK);
        startSession();
        ok.headers().set("Session", sessionHeader());
        ok.headers().set("Transport", transport.tcp()
                ? "RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1) + ";mode=record"
                : "RTP/AVP;unicast;client_port=" + transport.clientPort() + "-" + (transport.clientPort() + 1)
                        + ";server_port=" + udp.rtpPort() + "-" + udp.rtcpPort() + ";mode=record");
        send(ok);
    }

    /** Sends what arrives at the server's UDP ports from a source to this connection, until the session ends. */
    private void route(InetSocketAddress from, java.util.function.Consumer<ByteBuf> sink) {
        routes.put(from, udp.route(from, ctx.executor(), sink));   // a later route of a source replaces its earlier one
    }

    private void record(String cseq) {
        if (announced == null || sessionId == null) {
            refuse(cseq, RtspResponseStatuses.METHOD_NOT_VALID, "RECORD before ANNOUNCE and SETUP", false);
            return;
        }
        if (ingest != null) {
            FullHttpResponse ok = response(cseq, HttpResponseStatus.OK);
            ok.headers().set("Session", sessionHeader());
            send(ok);
            return;
        }
        if (recordSetups.isEmpty()) {
            refuse(cseq, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "no media set up that this server takes", false);
            return;
        }
        io.streamkit.stream.Publisher publisher;
        try {
            publisher = engine.publish(key, PublishOptions.defaults().protocol("rtsp").remoteAddress(remote)
                    .connectionId(id).attributes(attributes).query(query));
        } catch (StreamException e) {
            refuse(cseq, HttpResponseStatus.FORBIDDEN, e.getMessage(), false);
            return;
        }
        RtspIngest in = new RtspIngest(publisher, ctx.alloc(), config.maxAccessUnitSize());
        try {
            recordSetups.forEach(in::add);
        } catch (MediaFormatException e) {
            in.close();
            publisher.abort();
            refuse(cseq, HttpResponseStatus.BAD_REQUEST, e.getMessage(), false);
            return;
        }
        ingest = in;
        // over UDP: the publisher's packets from the ports it set up, put back in order, then as if interleaved
        recordPorts.forEach((channel, port) -> {
            UdpRtpInput input = new UdpRtpInput(ctx.executor(), channel, this::interleaved);
            udpInputs.add(input);
            route(new InetSocketAddress(remote.getAddress(), port), input::rtp);
            route(new InetSocketAddress(remote.getAddress(), port + 1), input::rtcp);
        });
        client.role(ClientRegistry.Role.PUBLISH, key);
        StreamKey published = key;
        publisher.closed().thenAccept(reason -> {
            if (reason == EndReason.TAKEN_OVER || reason == EndReason.KICKED || reason == EndReason.SHUTDOWN) {
                ctx.executor().execute(() -> {
                    log.info("rtsp {} #{}: publish of {} ended ({}); closing", remote, id, published, reason);
                    ctx.close();
                });
            }
        });
        FullHttpResponse ok = response(cseq, HttpResponseStatus.OK);
        ok.headers().set("Session", sessionHeader());
        send(ok);
        log.info("rtsp {} #{}: publishing {}", remote, id, key);
    }

    // ---- session, responses, end ----

    private CompletionStage<AuthResult> authorize(AuthRequest.Action action, StreamKey wanted, Map<String, String> parameters,
                                                  String url, io.streamkit.hook.Credentials credentials) {
        return engine.authorize(AuthRequest.builder(action, wanted).query(parameters).remoteAddress(remote)
                .protocol("rtsp").connectionId(id).url(url).credentials(credentials).build());
    }

    /** The request's Basic or Digest credentials (against this connection's nonce), or {@code null}. */
    private io.streamkit.hook.Credentials credentials(FullHttpRequest request) {
        return RtspCredentials.parse(request.headers().get("Authorization"), request.method().name(), nonce);
    }

    /** A 401 with the challenges, so that a client with a user and password tries again with them. */
    private void unauthorized(String cseq, String reason) {
        clientLog.info(log, "rtsp {} #{}: 401 {}", remote, id, reason);
        FullHttpResponse r = response(cseq, new HttpResponseStatus(401, phrase(HttpResponseStatus.UNAUTHORIZED, reason)));
        for (String challenge : RtspCredentials.challenges(nonce)) {
            r.headers().add("WWW-Authenticate", challenge);
        }
        send(r);
    }

    private void startSession() {
        if (sessionId == null) {
            sessionId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE).toUpperCase(Locale.ROOT);
        }
    }

    private String sessionHeader() {
        return sessionId + ";timeout=" + config.sessionTimeout().toSeconds();
    }

    /** Ends the session: stops playing or publishing and forgets its state. */
    private void endSession(boolean lost) {
        stopPlaying();
        if (udp != null) {
            routes.forEach(udp::unroute);
            routes.clear();
        }
        udpInputs.forEach(UdpRtpInput::close);
        udpInputs.clear();
        recordPorts.clear();
        if (ingest != null) {
            if (lost) {
                ingest.publisher().abort();
            } else {
                ingest.publisher().close();
            }
            ingest.close();
            ingest = null;
        }
        sessionId = null;
        key = null;
        base = null;
        announced = null;
        described.clear();
        outs.clear();
        recordSetups.clear();
        nextChannel = 0;
    }

    private FullHttpResponse response(String cseq, HttpResponseStatus status) {
        return response(cseq, status, Unpooled.EMPTY_BUFFER);
    }

    private FullHttpResponse response(String cseq, HttpResponseStatus status, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status, body);
        if (cseq != null) {
            r.headers().set("CSeq", cseq);
        }
        r.headers().set("Server", SERVER);
        r.headers().setInt("Content-Length", body.readableBytes());
        return r;
    }

    private void send(FullHttpResponse response) {
        ctx.writeAndFlush(response, ctx.voidPromise());
    }

    /** Answers with a refusal, logs it once, and closes the connection after it when asked. */
    private void refuse(String cseq, HttpResponseStatus status, String reason, boolean close) {
        clientLog.info(log, "rtsp {} #{}: {} {}{}", remote, id, status.code(), reason, close ? "; closing" : "");
        FullHttpResponse r = response(cseq, new HttpResponseStatus(status.code(), phrase(status, reason)));
        if (close) {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        } else {
            send(r);
        }
    }

    /** The status's phrase and the reason, in what a status line may carry. */
    private static String phrase(HttpResponseStatus status, String reason) {
        String text = status.reasonPhrase() + " (" + reason + ")";
        StringBuilder clean = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && clean.length() < 200; i++) {
            char c = text.charAt(i);
            clean.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return clean.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            clientLog.info(log, "rtsp {} #{}: silent for {} s; closing", remote, id, config.sessionTimeout().toSeconds());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof RtspProtocolException) {
            refuse(null, HttpResponseStatus.BAD_REQUEST, c.getMessage(), true);
        } else if (c instanceof java.io.IOException) {
            log.debug("rtsp {} #{}: {}", remote, id, c.toString());
            ctx.close();
        } else {
            clientLog.warn(log, "rtsp {} #{}: {}; closing", remote, id, c.toString());
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (firstRequest != null) {
            firstRequest.cancel(false);
        }
        queue.forEach(FullHttpRequest::release);
        queue.clear();
        endSession(true);
        if (client != null) {
            client.unregister();
        }
        super.channelInactive(ctx);
    }
}
