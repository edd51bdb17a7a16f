package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.rtmp.RtmpProtocolException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the RTMP handshake (RTMP spec 5.2) in the digest form Flash Player and
 * ffmpeg use, which servers that refuse the simple form require and every other server
 * accepts: sends C0 and a C1 carrying an HMAC-SHA256 digest ({@link RtmpHandshake#clientC1()});
 * reads S0 and S1 and answers C2, keyed by S1's digest when S1 has one and the echo of S1 when
 * not; reads S2; then removes itself so that the bytes after S2 (often the server's first
 * control messages) flow to the chunk decoder, and fires {@link RtmpHandshakeHandler#COMPLETE}.
 * S2's content is not checked: servers differ in what they echo (nginx-rtmp answers a digest,
 * others an echo), and TLS, where it is used, authenticates the server.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>version byte S0</td><td>3</td><td>protocol error</td></tr>
 *   <tr><td>time to finish</td><td>the configured handshake timeout, from the TCP connect</td><td>protocol error</td></tr>
 * </table>
 */
final class RtmpClientHandshakeHandler extends ByteToMessageDecoder {
    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;
    private boolean sentC2;
    private boolean failed;

    RtmpClientHandshakeHandler(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        begin(ctx);
        super.channelActive(ctx);
    }

    private void begin(ChannelHandlerContext ctx) {
        if (timeout != null) {
            return;
        }
        timeout = ctx.executor().schedule(() -> ctx.fireExceptionCaught(new RtmpProtocolException(
                "handshake not finished within " + timeoutMillis + " ms")), timeoutMillis, TimeUnit.MILLISECONDS);
        byte[] c1 = RtmpHandshake.clientC1();
        ByteBuf out = ctx.alloc().buffer(1 + RtmpHandshake.PACKET_SIZE);
        out.writeByte(RtmpHandshake.VERSION).writeBytes(c1);
        ctx.writeAndFlush(out);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!sentC2) {
            if (in.isReadable() && in.getUnsignedByte(in.readerIndex()) != RtmpHandshake.VERSION) {
                int version = in.getUnsignedByte(in.readerIndex());
                failed = true;
                in.skipBytes(in.readableBytes());
                throw new RtmpProtocolException("server answered handshake version " + version + "; plain RTMP is version "
                        + RtmpHandshake.VERSION);
            }
            if (in.readableBytes() < 1 + RtmpHandshake.PACKET_SIZE) {
                return;
            }
            in.skipBytes(1);
            byte[] s1 = new byte[RtmpHandshake.PACKET_SIZE];
            in.readBytes(s1);
            ctx.writeAndFlush(ctx.alloc().buffer(RtmpHandshake.PACKET_SIZE).writeBytes(RtmpHandshake.clientC2(s1)));
            sentC2 = true;
        }
        if (in.readableBytes() < RtmpHandshake.PACKET_SIZE) {
            return;
        }
        in.skipBytes(RtmpHandshake.PACKET_SIZE);   // S2
        timeout.cancel(false);
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(RtmpHandshakeHandler.COMPLETE);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
