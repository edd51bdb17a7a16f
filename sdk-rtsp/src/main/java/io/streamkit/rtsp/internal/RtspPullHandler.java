package io.streamkit.rtsp.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.sdp.MediaDescription;
import io.streamkit.format.sdp.RtpFormats;
import io.streamkit.format.sdp.RtpFormats.RtpTrackFormat;
import io.streamkit.format.sdp.SessionDescription;
import io.streamkit.rtsp.RtspProtocolException;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The RTSP client's side of a pull: DESCRIBE, a SETUP per track this server takes (RTP over TCP,
 * interleaved), PLAY, then the interleaved RTP into an {@link RtspIngest} that publishes the local
 * stream; keep-alives ({@code GET_PARAMETER}, or {@code OPTIONS} for servers that do not list it)
 * at half the session's timeout. A {@code 401} is answered once per request with the URL's user
 * and password (Digest, else Basic).
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>time from the connection to PLAY's answer</td><td>{@value #START_TIMEOUT_SECONDS} s</td><td>the pull fails</td></tr>
 *   <tr><td>silence (no byte read) once playing</td><td>{@value #IDLE_TIMEOUT_SECONDS} s</td><td>the pull ends</td></tr>
 *   <tr><td>response head, SDP</td><td>{@value #MAX_HEAD} bytes, {@value #MAX_BODY} bytes</td><td>the pull fails</td></tr>
 *   <tr><td>tracks set up</td><td>{@value RtspConnectionHandler#MAX_TRACKS}</td><td>the rest are not set up</td></tr>
 * </table>
 */
final class RtspPullHandler extends ChannelInboundHandlerAdapter {
    static final int START_TIMEOUT_SECONDS = 15;
    static final int IDLE_TIMEOUT_SECONDS = 30;
    static final int MAX_HEAD = 16_384;
    static final int MAX_BODY = 65_536;
    /** The protocol the local publisher reports. */
    static final String PROTOCOL = "rtsp-pull";

    /** What the puller hears. */
    interface Events {
        /** PLAY was answered and the local stream is published. */
        void live();

        /** The connection ended; {@code cause} is why, or {@code null} for an orderly end. */
        void closed(Throwable cause);
    }

    private final RtspUrl url;
    private final Function<PublishOptions, Publisher> publish;
    private final int maxAccessUnitSize;
    private final Events events;
    private ChannelHandlerContext ctx;
    private int cseq;
    private String method;
    private String requestUrl;
    private boolean authTried;
    private RtspAuthorization authorization;
    private String session;
    private long keepAliveSeconds = 30;
    private boolean getParameter = true;
    private String base;
    private String aggregate;   // the session's control URL: PLAY, keep-alives, TEARDOWN
    private final List<Integer> channels = new ArrayList<>();
    private final List<RtpTrackFormat> tracks = new ArrayList<>();
    private final List<String> controls = new ArrayList<>();
    private int setups;
    private RtspIngest ingest;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> keepAlive;
    private Throwable failure;
    private volatile long mediaBytes;

    RtspPullHandler(RtspUrl url, Function<PublishOptions, Publisher> publish, int maxAccessUnitSize, Events events) {
        this.url = url;
        this.publish = publish;
        this.maxAccessUnitSize = maxAccessUnitSize;
        this.events = events;
    }

    /** RTP bytes received. */
    long mediaBytes() {
        return mediaBytes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        deadline = ctx.executor().schedule(() -> fail(new RtspProtocolException(url.display() + " did not start playing within "
                + START_TIMEOUT_SECONDS + " s")), START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        request("DESCRIBE", url.requestUrl(), "Accept: application/sdp");
        super.channelActive(ctx);
    }

    private void request(String m, String uri, String... headers) {
        method = m;
        requestUrl = uri;
        FullHttpRequest r = new DefaultFullHttpRequest(io.netty.handler.codec.rtsp.RtspVersions.RTSP_1_0,
                HttpMethod.valueOf(m), uri, Unpooled.EMPTY_BUFFER);
        r.headers().set("CSeq", ++cseq);
        r.headers().set("User-Agent", "Streamkit");
        if (session != null) {
            r.headers().set("Session", session);
        }
        if (authorization != null) {
            r.headers().set("Authorization", authorization.header(m, uri));
        }
        for (String h : headers) {
            int colon = h.indexOf(':');
            r.headers().set(h.substring(0, colon), h.substring(colon + 1).trim());
        }
        ctx.writeAndFlush(r);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InterleavedFrame frame) {
            if (ingest == null) {
                frame.release();
                return;
            }
            mediaBytes += frame.content().readableBytes();
            try {
                ingest.frame(frame);
            } catch (MediaFormatException e) {
                fail(e);
            }
        } else if (msg instanceof FullHttpResponse response) {
            try {
                response(response);
            } catch (RuntimeException e) {
                fail(e);
            } finally {
                response.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void response(FullHttpResponse r) {
        int status = r.status().code();
        if (ingest != null) {   // keep-alives' and TEARDOWN's answers
            if (status == 405 || status == 501) {
                getParameter = false;   // it takes OPTIONS as keep-alive instead
            }
            return;
        }
        if (status == 401 && !authTried && url.user() != null) {
            authTried = true;
            authorization = RtspAuthorization.of(r.headers().getAll("WWW-Authenticate"), url.user(), url.password());
            if (authorization != null) {
                resend(method);
                return;
            }
        }
        if (status != 200) {
            throw new RtspProtocolException(method + " " + url.display() + " answered " + status + " "
                    + abbreviate(r.status().reasonPhrase()));
        }
        authTried = false;
        switch (method) {
            case "DESCRIBE" -> described(r);
            case "SETUP" -> setUp(r);
            case "PLAY" -> playing();
            default -> {
            }
        }
    }

    private void resend(String m) {
        switch (m) {
            case "DESCRIBE" -> request("DESCRIBE", requestUrl, "Accept: application/sdp");
            case "SETUP" -> setupNext();
            case "PLAY" -> request("PLAY", requestUrl, "Range: npt=0.000-");
            default -> throw new RtspProtocolException(m + " " + url.display() + " needs authorization");
        }
    }

    private void described(FullHttpResponse r) {
        String text = r.content().toString(StandardCharsets.UTF_8);
        SessionDescription sdp = SessionDescription.parse(text);
        String contentBase = r.headers().get("Content-Base");
        base = contentBase != null ? contentBase : r.headers().get("Content-Location") != null
                ? r.headers().get("Content-Location") : url.requestUrl();
        aggregate = resolve(sdp.control());
        for (MediaDescription m : sdp.media()) {
            if (tracks.size() >= RtspConnectionHandler.MAX_TRACKS) {
                break;
            }
            RtpFormats.parse(m).ifPresent(f -> {
                tracks.add(f);
                controls.add(resolve(f.control() != null ? f.control() : m.control()));
            });
        }
        if (tracks.isEmpty()) {
            throw new MediaFormatException(url.display() + " offers no track this server takes (H.264, H.265, AAC, Opus)");
        }
        setupNext();
    }

    /** A track's control URL, absolute (RFC 2326 C.1.1). */
    private String resolve(String control) {
        if (control == null || control.isEmpty() || control.equals("*")) {
            return base;
        }
        if (control.toLowerCase(Locale.ROOT).startsWith("rtsp://")) {
            return control;
        }
        return base.endsWith("/") ? base + control : base + "/" + control;
    }

    private void setupNext() {
        int channel = setups * 2;
        request("SETUP", controls.get(setups), "Transport: RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1));
    }

    private void setUp(FullHttpResponse r) {
        String s = r.headers().get("Session");
        if (s == null) {
            throw new RtspProtocolException("SETUP " + url.display() + " answered without a Session");
        }
        String[] parts = s.split(";");
        session = parts[0].trim();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("timeout=")) {
                try {
                    keepAliveSeconds = Math.max(1, Math.min(60, Long.parseLong(p.substring(8).trim()) / 2));
                } catch (NumberFormatException e) {
                    keepAliveSeconds = 30;
                }
            }
        }
        RtspTransport t = RtspTransport.parse(r.headers().get("Transport"));
        int channel = t != null && t.tcp() && t.channel() >= 0 ? t.channel() : setups * 2;
        channels.add(channel);
        setups++;
        if (setups < tracks.size()) {
            setupNext();
        } else {
            request("PLAY", aggregate, "Range: npt=0.000-");
        }
    }

    private void playing() {
        if (ingest != null) {
            return;
        }
        Publisher publisher = publish.apply(PublishOptions.defaults().protocol(PROTOCOL));
        RtspIngest in = new RtspIngest(publisher, ctx.alloc(), maxAccessUnitSize);
        try {
            for (int i = 0; i < tracks.size(); i++) {
                in.add(channels.get(i), tracks.get(i));
            }
        } catch (RuntimeException e) {
            in.close();
            publisher.abort();
            throw e;
        }
        ingest = in;
        deadline.cancel(false);
        keepAlive = ctx.executor().scheduleAtFixedRate(() -> request(getParameter ? "GET_PARAMETER" : "OPTIONS",
                aggregate), keepAliveSeconds, keepAliveSeconds, TimeUnit.SECONDS);
        events.live();
    }

    /** Stops: closes the local publisher (orderly) and the connection. On the event loop. */
    void stop() {
        if (ingest != null) {
            ingest.publisher().close();
        }
        if (ctx != null) {
            if (session != null && ctx.channel().isActive()) {
                request("TEARDOWN", aggregate);
            }
            ctx.close();
        }
    }

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            fail(new RtspProtocolException(url.display() + " sent nothing for " + IDLE_TIMEOUT_SECONDS + " s"));
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (ingest != null) {
            if (failure != null) {
                ingest.publisher().abort();
            } else {
                ingest.publisher().close();
            }
            ingest.close();
        }
        events.closed(failure);
        super.channelInactive(ctx);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
