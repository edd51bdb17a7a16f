package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.streamkit.rtmp.RtmpProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** What the RTMP fuzz targets share: feeding pieces to a channel and collecting what comes out. */
final class FuzzChannels {
    private FuzzChannels() {
    }

    /**
     * Writes one piece into the channel.
     *
     * @return {@code false} when a handler failed on it, which must be an {@link RtmpProtocolException}
     *     wrapped by the decoder that threw it
     */
    static boolean feed(EmbeddedChannel ch, byte[] piece, List<ByteBuf> fed) {
        ByteBuf buf = Unpooled.buffer(piece.length).writeBytes(piece);
        fed.add(buf);
        try {
            ch.writeInbound(buf);
            return true;
        } catch (DecoderException e) {
            assertInstanceOf(RtmpProtocolException.class, e.getCause(), "a decoder failed with " + e.getCause());
            return false;
        }
    }

    /** A test resource's bytes, such as the configuration records of {@code /codec/}. */
    static byte[] resource(String path) {
        try (InputStream in = FuzzChannels.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parts one after the other: a message header and the record after it. */
    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Reads every outbound buffer, returning their bytes and releasing them. */
    static byte[] outbound(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            try {
                if (o instanceof ByteBuf b) {
                    byte[] bytes = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), bytes);
                    out.writeBytes(bytes);
                }
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return out.toByteArray();
    }

    /** The handler after a handshake: keeps the bytes and the events that reach it, releasing the buffers. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Object> events = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf b) {
                    byte[] copy = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), copy);
                    bytes.writeBytes(copy);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }
}
