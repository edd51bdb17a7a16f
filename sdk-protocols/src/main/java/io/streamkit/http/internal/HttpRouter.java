package io.streamkit.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.http.HttpConfig;
import io.streamkit.httpflv.internal.HttpFlvService;
import io.streamkit.stream.StreamKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each request on the HTTP port where it belongs, after the checks every request
 * passes: a whole request within the request timeout (slowloris), a request line and headers
 * within their limits, and a path that decodes to nothing but safe segments (no {@code ..},
 * no {@code %2e%2e}, no backslash or NUL), so nothing outside the served resources is
 * reachable. One per connection; runs on its event loop.
 *
 * <p>Routes answer asynchronously. While a route's answer is pending, further requests on the
 * connection (HTTP/1.1 pipelining) wait, retained, in arrival order, at most
 * {@value #MAX_PIPELINED}; the answer is written on the connection's event loop whichever
 * thread completed it, and then the next waiting request is served. A route that throws or
 * fails answers 500 with a log line, and the connection stays open for the next request.
 */
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    /** Requests that may wait behind a pending answer: browsers pipeline none, a client doing more is hostile. */
    static final int MAX_PIPELINED = 16;

    private final HttpConfig config;
    private final HttpFlvService flv;
    private final Map<String, Route> routes;
    private final Route hls;
    private ScheduledFuture<?> deadline;
    private boolean streaming;
    private boolean pending;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();

    /** A handler of requests below a path prefix: the API, the metrics, application routes. */
    public interface Route {
        /**
         * Answers a request. Called on the connection's event loop; must not block.
         *
         * @param ctx the connection
         * @param request the request, released by the router when this returns: read what
         *     is needed before returning, keep nothing of it
         * @param path the decoded, checked path
         * @param query the query parameters, first value each
         * @return the full response, now or later from any thread; the router writes it on the
         *     event loop and owns it from completion (releasing it if the connection is gone)
         */
        CompletionStage<FullHttpResponse> handle(ChannelHandlerContext ctx, FullHttpRequest request, String path,
                                                 Map<String, String> query);
    }

    /**
     * Creates the router of one connection.
     *
     * @param config the HTTP settings
     * @param flv the HTTP-FLV service
     * @param routes path prefix to route, tried longest first
     */
    public HttpRouter(HttpConfig config, HttpFlvService flv, Map<String, Route> routes) {
        this(config, flv, routes, null);
    }

    /**
     * Creates the router of one connection, with HLS.
     *
     * @param config the HTTP settings
     * @param flv the HTTP-FLV service
     * @param routes path prefix to route, tried longest first
     * @param hls the route for {@code .m3u8} and {@code .ts} paths, or {@code null}
     */
    public HttpRouter(HttpConfig config, HttpFlvService flv, Map<String, Route> routes, Route hls) {
        this.hls = hls;
        this.config = config;
        this.flv = flv;
        this.routes = routes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armDeadline(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarmDeadline();
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
        super.channelInactive(ctx);
    }

    private void armDeadline(ChannelHandlerContext ctx) {
        disarmDeadline();
        deadline = ctx.executor().schedule(() -> {
            log.debug("http {}: no whole request within {}; closing", ctx.channel().remoteAddress(), config.requestTimeout());
            ctx.close();
        }, config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void disarmDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        disarmDeadline();
        if (streaming) {
            return;   // a request pipelined behind a stream that never ends: ignored
        }
        if (pending) {
            if (waiting.size() >= MAX_PIPELINED) {
                log.debug("http {}: more than {} requests pipelined behind a pending answer; closing",
                        ctx.channel().remoteAddress(), MAX_PIPELINED);
                ctx.close();
                return;
            }
            waiting.add(request.retain());
            return;
        }
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            HttpResponseStatus status = result.cause() instanceof TooLongFrameException
                    ? (result.cause().getMessage() != null && result.cause().getMessage().contains("header")
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.REQUEST_URI_TOO_LONG)
                    : HttpResponseStatus.BAD_REQUEST;
            sendError(ctx, request, status, result.cause().getMessage(), true);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
        String path;
        Map<String, String> query = new LinkedHashMap<>();
        try {
            path = uri.path();
            uri.parameters().forEach((k, v) -> {
                if (query.size() < 32 && !v.isEmpty()) {
                    query.put(k, v.get(0));
                }
            });
        } catch (IllegalArgumentException badEscape) {
            // Netty decodes lazily and throws for a '%' without two hex digits after it.
            sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, "malformed %-escape in the URL", true);
            return;
        }
        String unsafe = unsafe(path, request.uri());
        if (unsafe != null) {
            sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, unsafe, true);
            return;
        }
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.OPTIONS)) {
            FullHttpResponse preflight = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            preflight.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, POST, DELETE, OPTIONS")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type, Range")
                    .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
            send(ctx, request, preflight);
            return;
        }
        if (path.endsWith(".flv") && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))) {
            StreamKey key;
            try {
                key = StreamKey.parse(path.substring(1, path.length() - 4));
            } catch (IllegalArgumentException e) {
                sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, e.getMessage(), true);
                return;
            }
            streaming = !method.equals(HttpMethod.HEAD);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            flv.handle(ctx, request, key, query, (response, full) -> decorate(response, !full || keepAlive, true),
                    (status, reason) -> sendError(ctx, request, status, reason, true));
            if (!streaming) {
                armDeadline(ctx);
            }
            return;
        }
        if (hls != null && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))
                && (path.endsWith(".m3u8") || path.endsWith(".ts"))) {
            dispatch(ctx, request, hls, "hls", path, query);
            return;
        }
        for (Map.Entry<String, Route> e : routes.entrySet()) {
            String prefix = e.getKey();
            if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                dispatch(ctx, request, e.getValue(), prefix, path, query);
                return;
            }
        }
        sendError(ctx, request, HttpResponseStatus.NOT_FOUND, "no such resource: " + path, false);
    }

    /** Runs a route and writes its answer on this connection's event loop when it completes. */
    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request, Route route, String prefix, String path,
                          Map<String, String> query) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        CompletionStage<FullHttpResponse> stage;
        try {
            stage = route.handle(ctx, request, path, query);
            if (stage == null) {
                stage = CompletableFuture.failedFuture(new NullPointerException("route returned no stage"));
            }
        } catch (Throwable t) {
            stage = CompletableFuture.failedFuture(t);
        }
        pending = true;
        EventExecutor loop = ctx.executor();
        stage.whenComplete((response, error) -> {
            if (loop.inEventLoop()) {
                answered(ctx, prefix, path, keepAlive, head, response, error);
                return;
            }
            try {
                loop.execute(() -> answered(ctx, prefix, path, keepAlive, head, response, error));
            } catch (RejectedExecutionException gone) {
                ReferenceCountUtil.release(response);   // the server is shutting down
            }
        });
    }

    /** On the event loop: writes a route's answer (or a 500), then serves the next waiting request. */
    private void answered(ChannelHandlerContext ctx, String prefix, String path, boolean keepAlive, boolean head,
                          FullHttpResponse response, Throwable error) {
        pending = false;
        if (error != null || response == null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            log.warn("http {}: route {} failed on {}; answering 500", ctx.channel().remoteAddress(), prefix, path,
                    cause == null ? new NullPointerException("route completed with no response") : cause);
            ReferenceCountUtil.release(response);
            response = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        send(ctx, keepAlive, head, response);
        FullHttpRequest next;
        while (!pending && !streaming && ctx.channel().isActive() && (next = waiting.poll()) != null) {
            try {
                channelRead0(ctx, next);
            } finally {
                next.release();
            }
        }
    }

    /** Why a path is refused, or {@code null} when it is safe. */
    static String unsafe(String decodedPath, String rawUri) {
        if (!decodedPath.startsWith("/")) {
            return "path must start with /";
        }
        if (decodedPath.indexOf('\\') >= 0 || decodedPath.indexOf('\0') >= 0) {
            return "path contains a backslash or NUL";
        }
        for (String segment : decodedPath.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return "path contains a '.' or '..' segment";
            }
        }
        String raw = rawUri.toLowerCase(java.util.Locale.ROOT);
        if (raw.contains("%2f") || raw.contains("%5c") || raw.contains("%00")) {
            return "path contains an encoded slash, backslash or NUL";
        }
        return null;
    }

    /** The idle handler's verdict: nothing moved, or the peer took nothing, for the idle timeout. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof io.netty.handler.timeout.IdleStateEvent idle) {
            log.debug("http {}: {} for {}; closing", ctx.channel().remoteAddress(),
                    idle.state() == io.netty.handler.timeout.IdleState.WRITER_IDLE ? "the peer took nothing it was sent"
                            : "no traffic", config.idleTimeout());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("http {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("http {}: {}; closing", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    /** Adds the headers every response carries: CORS and no caching of live streams and API answers. */
    private void decorate(HttpResponse response, boolean keepAlive, boolean noCache) {
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, config.corsOrigin());
        if (!config.corsOrigin().equals("*")) {
            response.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        if (noCache && !response.headers().contains(HttpHeaderNames.CACHE_CONTROL)) {
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);   // unless the route chose
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        send(ctx, HttpUtil.isKeepAlive(request), request.method().equals(HttpMethod.HEAD), response);
    }

    /** Writes a whole response; an error status a route chose keeps the connection, as HTTP allows. */
    private void send(ChannelHandlerContext ctx, boolean keepAlive, boolean head, FullHttpResponse response) {
        decorate(response, keepAlive, true);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (head) {
            response.content().clear();
        }
        if (keepAlive) {
            ctx.writeAndFlush(response);
            armDeadline(ctx);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void sendError(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String reason,
                           boolean close) {
        streaming = false;
        FullHttpResponse response = error(status, reason);
        decorate(response, !close && HttpUtil.isKeepAlive(request), true);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        var future = ctx.writeAndFlush(response);
        if (close || !HttpUtil.isKeepAlive(request)) {
            future.addListener(ChannelFutureListener.CLOSE);
        } else {
            armDeadline(ctx);
        }
    }

    /** A plain-text error response naming the reason. */
    static FullHttpResponse error(HttpResponseStatus status, String reason) {
        ByteBuf body = ByteBufUtil.writeUtf8(io.netty.buffer.ByteBufAllocator.DEFAULT, status.code() + " " + status.reasonPhrase()
                + (reason == null ? "" : ": " + reason) + "\n");
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }
}
