package io.streamkit.httpflv.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.http.spi.HttpExchange;
import io.streamkit.http.spi.HttpMount;
import io.streamkit.internal.engine.Engine;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ConnectionGate;
import io.streamkit.server.internal.WriteBatch;
import io.streamkit.stream.StreamException;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscription;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /{app}/{name}.flv} as HTTP-FLV (a chunked response that never ends
 * while the stream lives), {@code HEAD} as its headers, and the same path with a WebSocket
 * upgrade as WebSocket-FLV (the same bytes in binary messages, what mpegts.js and flv.js
 * use). Play authorisation is the engine's, with the URL's query parameters.
 *
 * <p>A WebSocket upgrade is checked before anything else ({@link #upgradeProblem}): the router
 * answers a bad one 400 at once, so a malformed upgrade costs no auth call and no subscription.
 * After the upgrade a player may send only small control frames
 * ({@value #MAX_INBOUND_FRAME} bytes); each is held in the memory budget until it is handled,
 * a ping until its pong is written, so a player that pings and never reads is closed with
 * status 1009 rather than growing the server's write queue.
 */
public final class HttpFlvService implements HttpMount {
    private static final Logger log = LoggerFactory.getLogger(HttpFlvService.class);
    /** Largest WebSocket message a player may send us: players send only control frames. */
    private static final int MAX_INBOUND_FRAME = 1024;

    private final Engine engine;
    private final ClientRegistry clients;
    private final java.time.Duration writeBatch;
    private final boolean absoluteTime;
    private final io.streamkit.server.internal.ClientLog clientLog;

    /**
     * Creates the service.
     *
     * @param engine where players subscribe
     * @param clients where each player's connection registers while it plays
     * @param writeBatch players' write batch window; zero flushes every engine batch
     * @param absoluteTime whether players see the stream's clock rather than a timeline of their own from 0
     */
    public HttpFlvService(Engine engine, ClientRegistry clients, java.time.Duration writeBatch, boolean absoluteTime) {
        this(engine, clients, writeBatch, absoluteTime, io.streamkit.server.internal.ServerGuard.lenient().log());
    }

    /**
     * Creates the service with the server's rate-limited log of clients' refusals.
     *
     * @param engine the streams
     * @param clients where players are listed
     * @param writeBatch the write window
     * @param absoluteTime whether players get the stream's own clock
     * @param clientLog where a denied play is logged, one line each within the server's rate
     */
    public HttpFlvService(Engine engine, ClientRegistry clients, java.time.Duration writeBatch, boolean absoluteTime,
                          io.streamkit.server.internal.ClientLog clientLog) {
        this.clientLog = clientLog;
        this.writeBatch = writeBatch;
        this.absoluteTime = absoluteTime;
        this.engine = engine;
        this.clients = clients;
    }

    @Override
    public List<String> suffixes() {
        return List.of(".flv");
    }

    @Override
    public boolean webSockets() {
        return true;
    }

    /**
     * Serves {@code /{app}/{name}.flv}: a stream over HTTP-FLV, or over WebSocket-FLV when the
     * request is an upgrade; a {@code HEAD} is answered with the headers a {@code GET} would get.
     *
     * @param exchange the request and the router's ways to answer it
     */
    @Override
    public void serve(HttpExchange exchange) {
        String path = exchange.path();
        StreamKey key;
        try {
            key = StreamKey.parse(path.substring(1, path.length() - ".flv".length()));
        } catch (IllegalArgumentException e) {
            exchange.refuse(HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        FullHttpRequest request = exchange.request();
        if (!request.method().equals(HttpMethod.HEAD)) {
            exchange.stream();
        }
        handle(exchange.context(), request, exchange.webSocket(), key, exchange.query(), exchange::decorate,
                exchange::fail, exchange::handled);
    }

    /**
     * Answers a request for a stream.
     *
     * @param ctx the connection
     * @param request the request, released by the caller after this returns
     * @param websocket whether it is a (checked) WebSocket upgrade
     * @param key the stream
     * @param query the URL's query parameters
     * @param headers adds the CORS and cache headers every response carries
     * @param fail sends an error response with a status and a reason
     * @param handled gives back to the memory budget the bytes of an inbound WebSocket frame once it is handled
     */
    private void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean websocket, StreamKey key,
                        Map<String, String> query, BiConsumer<HttpResponse, Boolean> headers,
                        BiConsumer<HttpResponseStatus, String> fail, LongConsumer handled) {
        String protocol = websocket ? "ws-flv" : "http-flv";
        InetSocketAddress remote = ConnectionGate.clientAddress(ctx.channel()) instanceof InetSocketAddress a ? a : null;
        boolean head = request.method().equals(HttpMethod.HEAD);
        boolean http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        FullHttpRequest retained = websocket ? request.retainedDuplicate() : null;
        long id = engine.newId();   // the player's connection id, in its auth request, events and the client list
        engine.authorize(AuthRequest.builder(AuthRequest.Action.PLAY, key).query(query).remoteAddress(remote)
                        .protocol(protocol).connectionId(id).build())
                .whenComplete((result, error) -> ctx.executor().execute(() -> {
                    try {
                        authorized(ctx, retained, id, key, query, protocol, remote, head, http10, result, headers, fail, handled);
                    } finally {
                        if (retained != null) {
                            retained.release();
                        }
                    }
                }));
    }

    private void authorized(ChannelHandlerContext ctx, FullHttpRequest wsRequest, long id, StreamKey key,
                            Map<String, String> query, String protocol,
                            InetSocketAddress remote, boolean head, boolean http10, AuthResult result,
                            BiConsumer<HttpResponse, Boolean> headers, BiConsumer<HttpResponseStatus, String> fail,
                            LongConsumer handled) {
        Channel ch = ctx.channel();
        if (!ch.isActive()) {
            return;
        }
        if (result == null || !result.allowed()) {
            clientLog.info(log, "{} {}: play of {} denied{}", protocol, remote, key,
                    result == null || result.reason().isEmpty() ? "" : ": " + result.reason());
            fail.accept(HttpResponseStatus.FORBIDDEN, "play of " + key + " denied"
                    + (result == null || result.reason().isEmpty() ? "" : ": " + result.reason()));
            return;
        }
        if (head) {
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv");
            headers.accept(response, true);
            HttpUtil.setContentLength(response, 0);
            ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK, ch.alloc().buffer(0), response.headers(),
                    io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE));
            return;
        }
        FlvPlayer player;
        WriteBatch batch = WriteBatch.forWindow(ch.eventLoop(), writeBatch);
        if (wsRequest != null) {
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                    "ws://" + wsRequest.headers().get(HttpHeaderNames.HOST, "localhost") + wsRequest.uri(), null, false,
                    MAX_INBOUND_FRAME).newHandshaker(wsRequest);
            if (handshaker == null) {   // upgradeProblem let it through: not expected
                fail.accept(HttpResponseStatus.BAD_REQUEST, "unsupported WebSocket version");
                return;
            }
            try {
                handshaker.handshake(ch, wsRequest);
            } catch (WebSocketHandshakeException e) {   // thrown before the pipeline changes: HTTP still answers
                fail.accept(HttpResponseStatus.BAD_REQUEST, e.getMessage());
                return;
            }
            player = new FlvPlayer(ch, FlvPlayer.Framing.WEBSOCKET, () -> { },
                    () -> ch.writeAndFlush(new CloseWebSocketFrame(1000, "stream ended")).addListener(ChannelFutureListener.CLOSE),
                    batch, absoluteTime);
            ch.pipeline().addLast("ws-control", new WebSocketControl(handled, player::closing));
        } else {
            player = new FlvPlayer(ch, http10 ? FlvPlayer.Framing.RAW : FlvPlayer.Framing.CHUNKED, () -> {
                HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv");
                headers.accept(response, false);
                if (http10) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                } else {
                    HttpUtil.setTransferEncodingChunked(response, true);
                }
                ch.write(response, ch.voidPromise());
                // The head is encoded; from here the player writes its own framing as plain buffers.
                ch.pipeline().get(HttpServerCodec.class).removeOutboundHandler();
            }, () -> (http10 ? ch.writeAndFlush(Unpooled.EMPTY_BUFFER)
                    : ch.writeAndFlush(ch.alloc().buffer(FlvTagEncoder.CHUNK_END.length).writeBytes(FlvTagEncoder.CHUNK_END)))
                    .addListener(ChannelFutureListener.CLOSE), batch, absoluteTime);
        }
        // registered (and announced: onConnect) before the subscription's onPlay, unregistered with the connection
        ClientRegistry.Entry client = clients.register(id, protocol, remote, ch::close);
        client.role(ClientRegistry.Role.PLAY, key);
        ch.closeFuture().addListener(f -> client.unregister());
        engine.subscribe(key, player, SubscribeOptions.defaults().executor(ch.eventLoop()).protocol(protocol)
                        .remoteAddress(remote).connectionId(id).attributes(result.attributes()).query(query))
                .whenComplete((sub, error) -> ch.eventLoop().execute(() -> attached(ch, key, protocol, player, sub, error,
                        wsRequest != null, fail)));
    }

    private void attached(Channel ch, StreamKey key, String protocol, FlvPlayer player, Subscription sub,
                                 Throwable error, boolean websocket, BiConsumer<HttpResponseStatus, String> fail) {
        if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            String reason = cause.getMessage();
            if (websocket) {
                ch.writeAndFlush(new CloseWebSocketFrame(4404, reason)).addListener(ChannelFutureListener.CLOSE);
            } else {
                fail.accept(cause instanceof StreamException se && se.reason() == StreamException.Reason.NOT_FOUND
                        ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.SERVICE_UNAVAILABLE, reason);
            }
            return;
        }
        if (!ch.isActive()) {
            sub.close();
            return;
        }
        ch.closeFuture().addListener(f -> sub.close());
        player.attached();
        ch.flush();
        log.debug("{} {}: playing {}", protocol, ConnectionGate.clientAddress(ch), key);
    }

    /**
     * Answers a WebSocket player's pings and close; drops anything else it sends. Gives each
     * frame's bytes back to the memory budget once handled: a ping's when its pong is written.
     */
    private static final class WebSocketControl extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final LongConsumer handled;
        private final Runnable closing;

        WebSocketControl(LongConsumer handled, Runnable closing) {
            this.handled = handled;
            this.closing = closing;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            int n = frame.content().readableBytes();
            if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain())).addListener(f -> handled.accept(n));
                return;
            }
            handled.accept(n);
            if (frame instanceof CloseWebSocketFrame) {
                closing.run();   // no data frame may follow our Close (RFC 6455 5.5.1)
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
