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
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.http.HttpConfig;
import io.streamkit.http.spi.HttpExchange;
import io.streamkit.http.spi.HttpMount;
import io.streamkit.server.internal.ClientLog;
import io.streamkit.server.internal.ConnectionGate;
import io.streamkit.stream.StreamKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>A request the router itself refuses gets its status, a short text body and
 * {@code Connection: close}, and the connection is closed after it; from that moment it reads
 * nothing more and acts on nothing already read, and the mistake is one rate-limited line
 * ({@link ClientLog}) with the client's address. No stack trace is logged for a client's mistake.
 *
 * <table>
 *   <caption>What the router refuses</caption>
 *   <tr><th>request</th><th>status</th></tr>
 *   <tr><td>a request line over {@code maxInitialLineLength}</td><td>414</td></tr>
 *   <tr><td>headers over {@code maxHeaderSize}</td><td>431</td></tr>
 *   <tr><td>a body over {@code maxContentLength}, or over the connection's share of the memory budget</td><td>413</td></tr>
 *   <tr><td>a malformed request line, header, {@code Content-Length} or chunked body</td><td>400</td></tr>
 *   <tr><td>an invalid {@code %}-escape, bad UTF-8 or an unsafe segment in the path; a bad query escape</td><td>400</td></tr>
 *   <tr><td>a WebSocket upgrade that is not a {@code GET} with {@code Connection: Upgrade}, a 16-byte
 *       {@code Sec-WebSocket-Key} and {@code Sec-WebSocket-Version: 13}</td><td>400 (with
 *       {@code Sec-WebSocket-Version: 13}), before any auth or subscription</td></tr>
 *   <tr><td>a method this server does not implement</td><td>501</td></tr>
 *   <tr><td>a method other than {@code GET}, {@code HEAD} or {@code OPTIONS} on a stream's path</td><td>405</td></tr>
 * </table>
 *
 * <p>Deadlines: the request timeout runs from the connection's start, and again from each
 * answer on a kept-alive connection, until the next request is whole, so a client that trickles
 * a byte of headers every few seconds, or a WebSocket upgrade that never finishes, is closed at
 * it; once a request is whole, a route's answer and a player's auth have their own limits. An
 * HTTP-FLV or WebSocket-FLV player that is streaming is under the idle and stall rule only
 * ({@code idleTimeout}).
 */
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    /** Requests that may wait behind a pending answer: browsers pipeline none, a client doing more is hostile. */
    static final int MAX_PIPELINED = 16;
    /** The methods this server implements; anything else is answered 501 (RFC 9110, 9.1). */
    private static final Set<HttpMethod> IMPLEMENTED = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS);
    /** The request target's length shown in a log line. */
    private static final int LOGGED_TARGET = 120;

    private final HttpConfig config;
    private final List<HttpMount> mounts;
    private final Map<String, Route> routes;
    private final ClientLog clientLog;
    private ScheduledFuture<?> deadline;
    private SocketAddress client;
    private HttpInputBudget budget;
    private boolean streaming;
    private boolean pending;
    /** Set when the router refused a request or met an error: nothing more is read or acted on. */
    private boolean closing;
    /** Requests whole so far, so that a deadline before the first is told from a kept-alive connection's rest. */
    private long requests;
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
     * @param mounts the protocol modules' parts of the port (HTTP-FLV, HLS, ...), tried by suffix
     *     before the routes; a prefix mount is tried with the routes, longest prefix first. Not
     *     copied: the server's list, complete before its first connection
     * @param routes path prefix to route, tried longest first
     * @param clientLog where clients' mistakes are logged, at a bounded rate
     */
    public HttpRouter(HttpConfig config, List<HttpMount> mounts, Map<String, Route> routes, ClientLog clientLog) {
        this.config = config;
        this.mounts = mounts;
        this.routes = routes;
        this.clientLog = clientLog;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        client = ConnectionGate.clientAddress(ctx.channel());
        budget = ctx.pipeline().get(HttpInputBudget.class);
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
            deadline = null;
            if (closing || !ctx.channel().isActive()) {
                return;
            }
            if (requests == 0) {
                clientLog.info(log, "http {}: no whole request within {}; closing", client, config.requestTimeout());
            } else {
                log.debug("http {}: no further request within {}; closing", client, config.requestTimeout());
            }
            stop(ctx);
            ctx.close();
        }, config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** From now on the connection reads nothing more, and what was read is dropped. */
    private void stop(ChannelHandlerContext ctx) {
        closing = true;
        disarmDeadline();
        ctx.channel().config().setAutoRead(false);
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            releaseBudget(r);
            r.release();
        }
    }

    private void releaseBudget(FullHttpRequest request) {
        if (budget != null) {
            budget.release(request.content().readableBytes());
        }
    }

    private void disarmDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (closing) {
            releaseBudget(request);
            return;   // read with the request that was refused: not acted on
        }
        disarmDeadline();
        requests++;
        if (streaming) {
            releaseBudget(request);
            return;   // a request pipelined behind a stream that never ends: ignored
        }
        if (pending) {
            if (waiting.size() >= MAX_PIPELINED) {
                releaseBudget(request);
                clientLog.info(log, "http {}: more than {} requests pipelined behind a pending answer; closing",
                        client, MAX_PIPELINED);
                stop(ctx);
                ctx.close();
                return;
            }
            waiting.add(request.retain());   // its bytes stay reserved until it is served
            return;
        }
        releaseBudget(request);   // a route reads what it needs before it returns
        serve(ctx, request);
    }

    /** Answers one whole request, or refuses it. */
    private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            refuse(ctx, request, status, "malformed request: " + (cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getSimpleName()), false);
            return;
        }
        HttpMethod method = request.method();
        if (!IMPLEMENTED.contains(method)) {
            refuse(ctx, request, HttpResponseStatus.NOT_IMPLEMENTED, "method " + method + " is not implemented", true);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
        String path;
        Map<String, String> query = new LinkedHashMap<>();
        try {
            path = HttpPath.decode(uri.rawPath());
            uri.parameters().forEach((k, v) -> {
                if (query.size() < 32 && !v.isEmpty()) {
                    query.put(k, v.get(0));
                }
            });
        } catch (IllegalArgumentException e) {
            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, e.getMessage(), true);
            return;
        }
        String unsafe = unsafe(path, request.uri());
        if (unsafe != null) {
            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, unsafe, true);
            return;
        }
        if (method.equals(HttpMethod.OPTIONS)) {
            FullHttpResponse preflight = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            preflight.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, POST, DELETE, OPTIONS")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type, Range")
                    .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
            send(ctx, request, preflight);
            return;
        }
        boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        boolean upgrade = WebSocketUpgrade.isUpgrade(request);
        // A subtree a module mounts is its own, whatever a path in it ends with (a recording named .flv);
        // elsewhere the streams' suffixes come first.
        String longest = null;
        HttpMount prefixMount = null;
        for (HttpMount mount : mounts) {
            for (String prefix : mount.prefixes()) {
                if (under(path, prefix) && (longest == null || prefix.length() > longest.length())) {
                    longest = prefix;
                    prefixMount = mount;
                }
            }
        }
        if (prefixMount == null) {
            for (HttpMount mount : mounts) {
                for (String suffix : mount.suffixes()) {
                    if (!path.endsWith(suffix)) {
                        continue;
                    }
                    if (upgrade && mount.webSockets()) {
                        String bad = WebSocketUpgrade.problem(request);
                        if (bad != null) {
                            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, bad, true);
                            return;
                        }
                    } else if (!read) {
                        refuse(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "a stream is read with GET or HEAD, not "
                                + method, true);
                        return;
                    }
                    mount(ctx, request, mount, suffix, path, query, upgrade && mount.webSockets());
                    return;
                }
            }
        }
        for (Map.Entry<String, Route> e : routes.entrySet()) {
            String prefix = e.getKey();
            if (under(path, prefix) && (longest == null || prefix.length() >= longest.length())) {
                dispatch(ctx, request, e.getValue(), prefix, path, query);
                return;
            }
        }
        if (prefixMount != null) {
            mount(ctx, request, prefixMount, longest, path, query, false);
            return;
        }
        sendError(ctx, request, HttpResponseStatus.NOT_FOUND, "no such resource: " + path, false);
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    /** Hands a request to a module's mount; one that neither answered nor streamed has the request deadline again. */
    private void mount(ChannelHandlerContext ctx, FullHttpRequest request, HttpMount mount, String matched, String path,
                       Map<String, String> query, boolean webSocket) {
        Exchange exchange = new Exchange(ctx, request, matched, path, query, webSocket);
        try {
            mount.serve(exchange);
        } catch (RuntimeException e) {
            if (!exchange.answered) {
                exchange.respond(CompletableFuture.failedFuture(e));
            } else {
                log.warn("http {}: mount {} failed on {} after answering", client, matched, path, e);
            }
        }
        if (!streaming && !pending && !closing) {
            armDeadline(ctx);
        }
    }

    /** What a mount is handed: the request, and the router's ways of answering on this connection. */
    private final class Exchange implements HttpExchange {
        private final ChannelHandlerContext ctx;
        private final FullHttpRequest request;
        private final String matched;
        private final String path;
        private final Map<String, String> query;
        private final boolean webSocket;
        private final boolean keepAlive;
        private boolean answered;

        Exchange(ChannelHandlerContext ctx, FullHttpRequest request, String matched, String path, Map<String, String> query,
                 boolean webSocket) {
            this.ctx = ctx;
            this.request = request;
            this.matched = matched;
            this.path = path;
            this.query = query;
            this.webSocket = webSocket;
            this.keepAlive = HttpUtil.isKeepAlive(request);
        }

        @Override
        public ChannelHandlerContext context() {
            return ctx;
        }

        @Override
        public FullHttpRequest request() {
            return request;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public Map<String, String> query() {
            return query;
        }

        @Override
        public InetSocketAddress client() {
            return client instanceof InetSocketAddress a ? a : null;
        }

        @Override
        public boolean webSocket() {
            return webSocket;
        }

        @Override
        public void respond(CompletionStage<FullHttpResponse> response) {
            answered = true;
            dispatch(ctx, request, (c, r, p, q) -> response, matched, path, query);
        }

        @Override
        public void stream() {
            answered = true;
            streaming = true;
        }

        @Override
        public void decorate(HttpResponse head, boolean whole) {
            HttpRouter.this.decorate(head, !whole || keepAlive, true);
        }

        @Override
        public void refuse(HttpResponseStatus status, String reason) {
            answered = true;
            HttpRouter.this.refuse(ctx, request, status, reason, true);
        }

        @Override
        public void fail(HttpResponseStatus status, String reason) {
            answered = true;
            sendError(ctx, null, status, reason, true);
        }

        @Override
        public void handled(long bytes) {
            if (budget != null) {
                budget.release(bytes);
            }
        }

        @Override
        public boolean authorizeApiCall(boolean mutating) {
            if (!mutating && !config.tokenForReads()) {
                return true;
            }
            FullHttpResponse refused = new ApiRoute(null, null, config.apiToken()).refuse(request);
            if (refused == null) {
                return true;
            }
            respond(CompletableFuture.completedFuture(refused));
            return false;
        }
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
            log.warn("http {}: route {} failed on {}; answering 500", client, prefix, path,
                    cause == null ? new NullPointerException("route completed with no response") : cause);
            ReferenceCountUtil.release(response);
            response = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
        if (!ctx.channel().isActive() || closing) {
            response.release();
            return;
        }
        send(ctx, keepAlive, head, response);
        FullHttpRequest next;
        while (!pending && !streaming && !closing && ctx.channel().isActive() && (next = waiting.poll()) != null) {
            try {
                releaseBudget(next);
                serve(ctx, next);
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
        // the path only: a query may carry any escaped value, a URL with its slashes for one
        int query = rawUri.indexOf('?');
        String raw = (query < 0 ? rawUri : rawUri.substring(0, query)).toLowerCase(java.util.Locale.ROOT);
        if (raw.contains("%2f") || raw.contains("%5c") || raw.contains("%00")) {
            return "path contains an encoded slash, backslash or NUL";
        }
        return null;
    }

    /** The idle handler's verdict: nothing moved, or the peer took nothing, for the idle timeout. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof io.netty.handler.timeout.IdleStateEvent idle) {
            if (!closing) {
                clientLog.info(log, "http {}: {} for {}; closing", client,
                        idle.state() == io.netty.handler.timeout.IdleState.WRITER_IDLE ? "the peer took nothing it was sent"
                                : "no traffic", config.idleTimeout());
                stop(ctx);
            }
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * A refusal from before the router ({@link HttpRefusal}) is answered; any other error closes
     * the connection. A client's mistake (a decoder's, TLS's or WebSocket's complaint) is one
     * line without a stack trace; only an error of the server's own code logs its trace.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing) {
            ctx.close();
            return;   // one line per connection: what follows the first error is its echo
        }
        if (cause instanceof HttpRefusal refusal) {
            if (upgraded(ctx)) {
                clientLog.warn(log, "http {}: {}; closing with WebSocket status 1009", client, refusal.getMessage());
                stop(ctx);
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, "too much input"))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                refuse(ctx, null, refusal.status(), refusal.getMessage(), false);
            }
            return;
        }
        Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                && !(cause instanceof io.netty.handler.codec.CorruptedFrameException) ? cause.getCause() : cause;
        if (c instanceof IOException || c instanceof io.netty.handler.codec.PrematureChannelClosureException) {
            log.debug("http {}: {}", client, c.toString());   // the peer went away, mid-request or not
        } else if (cause instanceof io.netty.handler.codec.DecoderException || c instanceof javax.net.ssl.SSLException) {
            String message = HttpPath.printable(c.getMessage() != null ? c.getMessage() : c.toString());
            clientLog.info(log, "http {}: {}; closing", client, message.length() > LOGGED_TARGET
                    ? message.substring(0, LOGGED_TARGET) + "..." : message);   // TLS's complaint may carry a hex dump
        } else {
            log.warn("http {}: unexpected error; closing", client, cause);
        }
        stop(ctx);
        ctx.close();
    }

    /** Whether the connection speaks WebSocket now: its answers are frames, not HTTP responses. */
    private static boolean upgraded(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(WebSocketFrameDecoder.class) != null;
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

    /**
     * Refuses a request the router will not serve: logs it once, answers its status with a text
     * body and {@code Connection: close}, reads nothing more and closes once the answer is out.
     *
     * @param request the request, or {@code null} when the refusal came before one was whole
     * @param showTarget whether the log line names the request target (not for one that failed to parse)
     */
    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String reason,
                        boolean showTarget) {
        String line = status.code() + " " + status.reasonPhrase() + ": " + HttpPath.printable(reason);
        if (status.code() == 413) {
            clientLog.warn(log, "http {}: {}; closing", client, line);
        } else if (showTarget && request != null) {
            String target = HttpPath.printable(request.uri());
            clientLog.info(log, "http {}: {} {}: {}; closing", client, request.method(),
                    target.length() > LOGGED_TARGET ? target.substring(0, LOGGED_TARGET) + "..." : target, line);
        } else {
            clientLog.info(log, "http {}: {}; closing", client, line);
        }
        stop(ctx);
        streaming = false;
        FullHttpResponse response = error(status, reason);
        decorate(response, false, true);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (status.equals(HttpResponseStatus.BAD_REQUEST) && request != null && WebSocketUpgrade.isUpgrade(request)) {
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WebSocketUpgrade.VERSION);
        }
        if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, OPTIONS");
        }
        if (request != null && request.method().equals(HttpMethod.HEAD)) {
            response.content().clear();   // the length stays: it is what a GET would have had
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** A plain-text error response naming the reason. */
    static FullHttpResponse error(HttpResponseStatus status, String reason) {
        ByteBuf body = ByteBufUtil.writeUtf8(io.netty.buffer.ByteBufAllocator.DEFAULT, status.code() + " " + status.reasonPhrase()
                + (reason == null ? "" : ": " + HttpPath.printable(reason)) + "\n");
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }
}
