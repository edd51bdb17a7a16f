package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A server-side RTMP connection on an embedded channel for player tests: the chunk encoder with
 * the connection handler's place behind it ({@link #ctx()}, where a player writes), and every
 * byte that reaches the head kept, to be read back as messages with the chunk decoder.
 */
final class EmbeddedRtmpConnection {
    private final EmbeddedChannel channel;
    private final Anchor anchor = new Anchor();
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();

    /**
     * @param chunkSize the chunk size announced to the peer first, as a server's connect does
     */
    EmbeddedRtmpConnection(int chunkSize) {
        channel = new EmbeddedChannel(new Keep(wire), new RtmpChunkEncoder(), anchor);
        anchor.ctx.writeAndFlush(RtmpMessages.setChunkSize(anchor.ctx.alloc(), chunkSize));
    }

    /** @return the connection handler's context: messages written here pass the chunk encoder */
    ChannelHandlerContext ctx() {
        return anchor.ctx;
    }

    /** @return the bytes written so far */
    int size() {
        return wire.size();
    }

    /** @return a copy of the bytes written from {@code from} on */
    byte[] bytes(int from) {
        byte[] all = wire.toByteArray();
        return java.util.Arrays.copyOfRange(all, from, all.length);
    }

    /**
     * Reads back every message written so far.
     *
     * @return the messages, each owned by the caller
     */
    List<RtmpMessage> messages() {
        EmbeddedChannel decoding = new EmbeddedChannel(new RtmpChunkDecoder());
        decoding.writeInbound(Unpooled.wrappedBuffer(wire.toByteArray()));
        List<RtmpMessage> out = new ArrayList<>();
        for (RtmpMessage m; (m = decoding.readInbound()) != null; ) {
            out.add(m);
        }
        assertFalse(decoding.finish());
        return out;
    }

    /** Checks that nothing is left in the channel. */
    void close() {
        assertFalse(channel.finish());
    }

    /** Where the connection handler sits: behind the encoder. */
    private static final class Anchor extends ChannelHandlerAdapter {
        ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }
    }

    /** Keeps the bytes written at the head, and releases them. */
    private static final class Keep extends ChannelDuplexHandler {
        private final ByteArrayOutputStream wire;

        Keep(ByteArrayOutputStream wire) {
            this.wire = wire;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf b) {
                byte[] copy = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), copy);
                wire.writeBytes(copy);
            }
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }
    }
}
