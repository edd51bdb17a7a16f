package io.streamkit.http.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Netty's aggregator, whose answer to a body over the limit is the router's: a {@code 413} with
 * a text body and a close, logged once (Netty's own keeps a keep-alive connection open after a
 * chunked body passes the limit, and answers with an empty body). Whether the limit is passed
 * by the declared {@code Content-Length} or by the chunks that arrived, the connection reads
 * nothing more.
 */
final class HttpBodyAggregator extends HttpObjectAggregator {
    private final int maxContentLength;

    /** @param maxContentLength the largest request body */
    HttpBodyAggregator(int maxContentLength) {
        super(maxContentLength);
        this.maxContentLength = maxContentLength;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.fireExceptionCaught(new HttpRefusal(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "the request body is larger than the limit of " + maxContentLength + " bytes"));
    }
}
