package io.streamkit.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.server.internal.ConnectionGate;
import io.streamkit.server.internal.MemoryBudget;
import java.net.InetSocketAddress;

/**
 * Reserves in the server's {@link MemoryBudget} the inbound bytes an HTTP connection makes the
 * server hold: request body chunks as they arrive from the decoder, until the router has handled
 * the request they belong to (a request waiting behind a pending answer keeps its bytes), and
 * after a WebSocket upgrade each frame a player sends, until it is handled (a ping until its pong
 * is written). Sits between the HTTP decoder (later the WebSocket decoder) and the aggregator.
 *
 * <p>A reservation over a share (the connection's, its address's or the server's) refuses the
 * input: this handler drops everything after it and fires an {@link HttpRefusal} that the router
 * answers with {@code 413}, or with a WebSocket close {@code 1009} after an upgrade, and one log
 * line. Bytes still inside a decoder (a request line, headers, a partial WebSocket frame) are
 * not counted here; the decoders' own limits bound them. Confined to the channel's event loop.
 */
final class HttpInputBudget extends ChannelInboundHandlerAdapter {
    private final MemoryBudget budget;
    private final long perConnection;
    private MemoryBudget.Account account;
    private boolean refused;

    /**
     * @param budget the server's budget
     * @param perConnection bytes one connection may hold
     */
    HttpInputBudget(MemoryBudget budget, long perConnection) {
        this.budget = budget;
        this.perConnection = perConnection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int n = msg instanceof HttpContent c ? c.content().readableBytes()
                : msg instanceof WebSocketFrame f ? f.content().readableBytes() : 0;
        if (n > 0 && !account(ctx).reserve(n)) {
            refused = true;
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(new HttpRefusal(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, account.refusal()));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Gives back bytes that were reserved for input now handled.
     *
     * @param n bytes, at most what is held
     */
    void release(long n) {
        if (account != null && n > 0) {
            account.release(n);
        }
    }

    /** @return bytes this connection holds now */
    long held() {
        return account == null ? 0 : account.held();
    }

    private MemoryBudget.Account account(ChannelHandlerContext ctx) {
        if (account == null) {
            account = budget.open(ConnectionGate.clientAddress(ctx.channel()) instanceof InetSocketAddress a
                    ? a.getAddress() : null, perConnection);
        }
        return account;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        close();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        close();
    }

    private void close() {
        if (account != null) {
            account.close();
        }
    }
}
