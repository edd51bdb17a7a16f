package io.streamkit.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.rtsp.RtspProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What the RTSP client's two handlers share (pulling, {@link RtspPullHandler}; pushing,
 * {@link RtspPushHandler}): requests one at a time with their {@code CSeq}, a {@code 401}
 * answered once per request with the URL's user and password (Digest, else Basic), the session
 * and its keep-alives ({@code GET_PARAMETER}, or {@code OPTIONS} for servers that do not take
 * it) at half its timeout, a deadline to the start, and one failure kept for the end.
 */
abstract class RtspClientHandler extends ChannelInboundHandlerAdapter {
    /** Time from the connection to PLAY's or RECORD's answer. */
    static final int START_TIMEOUT_SECONDS = 15;
    /** Silence (no byte read or written) that ends a session. */
    static final int IDLE_TIMEOUT_SECONDS = 30;
    /** The largest response head. */
    static final int MAX_HEAD = 16_384;
    /** The largest response body (a DESCRIBE's SDP). */
    static final int MAX_BODY = 65_536;

    /** What the relay above hears. */
    interface Events {
        /** The session plays or records. */
        void live();

        /** The connection ended; {@code cause} is why, or {@code null} for an orderly end. */
        void closed(Throwable cause);
    }

    final RtspUrl url;
    final Events events;
    ChannelHandlerContext ctx;
    String session;
    private int cseq;
    private String method;
    private String requestUrl;
    private String[] requestHeaders;
    private String requestBody;
    private boolean authTried;
    private RtspAuthorization authorization;
    private long keepAliveSeconds = IDLE_TIMEOUT_SECONDS / 2;
    private boolean getParameter = true;
    private boolean started;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> keepAlive;
    private Throwable failure;

    RtspClientHandler(RtspUrl url, Events events) {
        this.url = url;
        this.events = events;
    }

    /** Sends the first request. */
    abstract void begin();

    /** RTP and RTCP bytes received (a pull) or sent (a push). */
    abstract long mediaBytes();

    /** Stops: closes what the session holds, tears it down and closes the connection. On the event loop. */
    abstract void stop();

    /** Takes a request's {@code 200}. */
    abstract void answered(String method, FullHttpResponse response);

    /** Takes an interleaved frame, owning it. */
    void frame(InterleavedFrame frame) {
        frame.release();
    }

    /** The connection ended: releases what the session held. */
    abstract void ended(Throwable failure);

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        deadline = ctx.executor().schedule(() -> fail(new RtspProtocolException(url.display() + " did not start within "
                + START_TIMEOUT_SECONDS + " s")), START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        begin();
        super.channelActive(ctx);
    }

    /** Sends a request, remembered to be sent again with an {@code Authorization} when the server asks. */
    void request(String m, String uri, String body, String... headers) {
        method = m;
        requestUrl = uri;
        requestHeaders = headers;
        requestBody = body;
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpRequest r = new DefaultFullHttpRequest(RtspVersions.RTSP_1_0, HttpMethod.valueOf(m), uri, content);
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
        if (body != null) {
            r.headers().setInt("Content-Length", content.readableBytes());
        }
        ctx.writeAndFlush(r);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InterleavedFrame f) {
            frame(f);
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
        if (started) {   // keep-alives' and TEARDOWN's answers
            if (status == 405 || status == 501) {
                getParameter = false;
            }
            return;
        }
        if (status == 401 && !authTried && url.user() != null) {
            authTried = true;
            authorization = RtspAuthorization.of(r.headers().getAll("WWW-Authenticate"), url.user(), url.password());
            if (authorization != null) {
                request(method, requestUrl, requestBody, requestHeaders);
                return;
            }
        }
        if (status != 200) {
            String phrase = r.status().reasonPhrase();
            throw new RtspProtocolException(method + " " + url.display() + " answered " + status + " "
                    + (phrase.length() <= 120 ? phrase : phrase.substring(0, 117) + "..."));
        }
        authTried = false;
        String s = r.headers().get("Session");
        if (s != null) {
            String[] parts = s.split(";");
            session = parts[0].trim();
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("timeout=")) {
                    try {
                        keepAliveSeconds = Math.max(1, Math.min(IDLE_TIMEOUT_SECONDS / 2,
                                Long.parseLong(p.substring(8).trim()) / 2));
                    } catch (NumberFormatException e) {
                        keepAliveSeconds = IDLE_TIMEOUT_SECONDS / 2;
                    }
                }
            }
        }
        answered(method, r);
    }

    /** The session plays or records: stops the start's deadline, starts the keep-alives, tells the relay. */
    void started(String aggregate) {
        started = true;
        deadline.cancel(false);
        keepAlive = ctx.executor().scheduleAtFixedRate(() -> request(getParameter ? "GET_PARAMETER" : "OPTIONS",
                aggregate, null), keepAliveSeconds, keepAliveSeconds, TimeUnit.SECONDS);
        events.live();
    }

    /** Tears the session down and closes. On the event loop. */
    void stop(String aggregate) {
        if (ctx != null) {
            if (session != null && ctx.channel().isActive()) {
                request("TEARDOWN", aggregate, null);
            }
            ctx.close();
        }
    }

    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            fail(new RtspProtocolException(url.display() + " silent for " + IDLE_TIMEOUT_SECONDS + " s"));
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
        ended(failure);
        events.closed(failure);
        super.channelInactive(ctx);
    }
}
