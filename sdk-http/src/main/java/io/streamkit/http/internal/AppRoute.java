package io.streamkit.http.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.streamkit.http.HttpCall;
import io.streamkit.http.HttpReply;
import io.streamkit.http.HttpRoute;
import io.streamkit.server.internal.ConnectionGate;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Adapts an application's {@link HttpRoute} to the router: the request becomes an
 * {@link HttpCall} (its body copied out, so the call outlives the pooled request), and the
 * {@link HttpReply} becomes a response around the reply's own array, no copy. A route that
 * throws or returns {@code null} surfaces to the router, which answers 500.
 */
public final class AppRoute implements HttpRouter.Route {
    private final HttpRoute route;

    /**
     * Wraps a route.
     *
     * @param route the application's route
     */
    public AppRoute(HttpRoute route) {
        this.route = route;
    }

    @Override
    public CompletionStage<FullHttpResponse> handle(ChannelHandlerContext ctx, FullHttpRequest request, String path,
                                                    Map<String, String> query) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>(1)).add(h.getValue());
        }
        HttpCall call = new HttpCall(request.method().name(), path, query, headers,
                ByteBufUtil.getBytes(request.content()),
                ConnectionGate.clientAddress(ctx.channel()) instanceof InetSocketAddress a ? a : null);
        CompletionStage<HttpReply> reply = route.handle(call);
        if (reply == null) {
            throw new NullPointerException("route returned null instead of a CompletionStage");
        }
        return reply.thenApply(AppRoute::response);
    }

    /** The reply as a response; runs on whichever thread completed the route's stage. */
    static FullHttpResponse response(HttpReply reply) {
        if (reply == null) {
            throw new NullPointerException("route completed with a null reply");
        }
        // Wraps the application's array: nothing pooled, nothing to release if the connection is gone.
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()),
                Unpooled.wrappedBuffer(reply.body()));
        if (reply.contentType() != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        }
        reply.headers().forEach((name, value) -> r.headers().set(name, value));
        return r;
    }
}
