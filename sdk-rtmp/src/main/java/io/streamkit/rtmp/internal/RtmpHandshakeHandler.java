package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.rtmp.RtmpProtocolException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the RTMP handshake: reads C0 and C1, answers S0, S1 and S2, reads C2,
 * then removes itself so that the bytes after C2 (often the connect command, in the same
 * packet) flow to the chunk decoder. Fires {@link #COMPLETE} when done.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>version byte C0</td><td>3 (6 and 8 are encrypted RTMPE)</td><td>protocol error</td></tr>
 *   <tr><td>time to finish</td><td>the configured handshake timeout</td><td>protocol error</td></tr>
 * </table>
 */
final class RtmpHandshakeHandler extends ByteToMessageDecoder {
    /** The user event fired once C2 has arrived. */
    static final Object COMPLETE = new Object() {
        @Override
        public String toString() {
            return "RTMP handshake complete";
        }
    };

    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;
    private boolean answered;
    private boolean digest;
    private boolean failed;

    RtmpHandshakeHandler(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Whether the client used the digest form; valid after S1 was sent. */
    boolean digest() {
        return digest;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            armTimeout(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armTimeout(ctx);
        super.channelActive(ctx);
    }

    private void armTimeout(ChannelHandlerContext ctx) {
        if (timeout == null && timeoutMillis > 0) {
            timeout = ctx.executor().schedule(() -> ctx.fireExceptionCaught(new RtmpProtocolException(
                    "handshake not finished within " + timeoutMillis + " ms")), timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!answered) {
            if (in.readableBytes() < 1 + RtmpHandshake.PACKET_SIZE) {
                if (in.isReadable() && in.getUnsignedByte(in.readerIndex()) != RtmpHandshake.VERSION) {
                    throw badVersion(in);
                }
                return;
            }
            if (in.getUnsignedByte(in.readerIndex()) != RtmpHandshake.VERSION) {
                throw badVersion(in);
            }
            in.skipBytes(1);
            byte[] c1 = new byte[RtmpHandshake.PACKET_SIZE];
            in.readBytes(c1);
            ByteBuf reply = ctx.alloc().buffer(1 + 2 * RtmpHandshake.PACKET_SIZE);
            digest = RtmpHandshake.answer(c1, reply);
            ctx.writeAndFlush(reply);
            answered = true;
        }
        if (in.readableBytes() < RtmpHandshake.PACKET_SIZE) {
            return;
        }
        in.skipBytes(RtmpHandshake.PACKET_SIZE);   // C2: the echo of S1; clients differ in what they put there
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(COMPLETE);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    private RtmpProtocolException badVersion(ByteBuf in) {
        int version = in.getUnsignedByte(in.readerIndex());
        failed = true;
        in.skipBytes(in.readableBytes());
        return new RtmpProtocolException("handshake version " + version + " is not supported; plain RTMP is version "
                + RtmpHandshake.VERSION + (version == 6 || version == 8 ? " (RTMPE encryption is not supported)" : ""));
    }
}
