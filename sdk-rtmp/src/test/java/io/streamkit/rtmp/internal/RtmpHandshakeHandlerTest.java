package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.streamkit.rtmp.RtmpProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RtmpHandshakeHandlerTest {
    private static final int N = RtmpHandshake.PACKET_SIZE;

    @Test
    void simpleFormEchoesC1AndPassesWhatFollowsC2On() {
        Capture capture = new Capture();
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpHandshakeHandler(10_000), capture);
        byte[] c1 = random(1);
        Arrays.fill(c1, 4, 8, (byte) 0);   // version 0: simple form
        ch.writeInbound(Unpooled.buffer().writeByte(3).writeBytes(c1));
        ByteBuf reply = ch.readOutbound();
        assertEquals(1 + 2 * N, reply.readableBytes());
        assertEquals(3, reply.readByte());
        reply.skipBytes(N);
        assertArrayEquals(c1, ByteBufUtil.getBytes(reply.readSlice(N)), "S2 echoes C1");
        reply.release();

        // C2 and the connect command's first bytes in one packet.
        ch.writeInbound(Unpooled.buffer().writeBytes(random(2)).writeBytes("after".getBytes(StandardCharsets.US_ASCII)));
        assertSame(RtmpHandshakeHandler.COMPLETE, capture.events.get(0));
        assertNull(ch.pipeline().get(RtmpHandshakeHandler.class), "removed itself");
        assertEquals("after", capture.text());
        assertFalse(ch.finish());
    }

    @ParameterizedTest(name = "digest layout {0}")
    @ValueSource(ints = {0, 1})
    void digestFormAsFlashPlayerAndFfmpegSpeakIt(int layout) {
        byte[] c1 = random(3);
        c1[4] = 9;   // a player version, non-zero
        int offset = RtmpHandshake.digestOffset(c1, layout);
        System.arraycopy(RtmpHandshake.hmac(RtmpHandshake.PLAYER_KEY, c1, offset), 0, c1, offset, 32);

        EmbeddedChannel ch = new EmbeddedChannel(new RtmpHandshakeHandler(10_000));
        ch.writeInbound(Unpooled.buffer().writeByte(3).writeBytes(c1));
        ByteBuf reply = ch.readOutbound();
        reply.skipBytes(1);
        byte[] s1 = ByteBufUtil.getBytes(reply.readSlice(N));
        byte[] s2 = ByteBufUtil.getBytes(reply.readSlice(N));
        reply.release();

        int s1Offset = RtmpHandshake.digestOffset(s1, layout);
        assertArrayEquals(RtmpHandshake.hmac(RtmpHandshake.SERVER_KEY, s1, s1Offset),
                Arrays.copyOfRange(s1, s1Offset, s1Offset + 32), "S1 carries the server's digest in the client's layout");
        byte[] serverKeyFull = ByteBufUtil.decodeHexDump(ByteBufUtil.hexDump(RtmpHandshake.SERVER_KEY)
                + "f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae");
        byte[] clientDigest = Arrays.copyOfRange(c1, offset, offset + 32);
        byte[] key = RtmpHandshake.hmac(serverKeyFull, clientDigest, 0, 32);
        assertArrayEquals(RtmpHandshake.hmac(key, s2, 0, N - 32), Arrays.copyOfRange(s2, N - 32, N),
                "S2 proves the server read C1's digest");
        ch.writeInbound(Unpooled.wrappedBuffer(random(4)));
        assertNull(ch.pipeline().get(RtmpHandshakeHandler.class));
        assertFalse(ch.finish());
    }

    @Test
    void aC1WithABadDigestGetsTheSimpleAnswer() {
        byte[] c1 = random(5);
        c1[4] = 9;
        assertEquals(-1, RtmpHandshake.digestLayout(c1));
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpHandshakeHandler(10_000));
        ch.writeInbound(Unpooled.buffer().writeByte(3).writeBytes(c1));
        ByteBuf reply = ch.readOutbound();
        reply.skipBytes(1 + N);
        assertArrayEquals(c1, ByteBufUtil.getBytes(reply));
        reply.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void encryptedRtmpIsRefusedAtTheFirstByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpHandshakeHandler(10_000));
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.buffer().writeByte(6)));
        assertEquals("handshake version 6 is not supported; plain RTMP is version 3 (RTMPE encryption is not supported)",
                assertInstanceOf(RtmpProtocolException.class, e.getCause()).getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void aClientThatStallsIsTimedOut() {
        Capture capture = new Capture();
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpHandshakeHandler(5_000), capture);
        ch.writeInbound(Unpooled.buffer().writeByte(3).writeBytes(new byte[100]));
        ch.advanceTimeBy(5, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(1, capture.errors.size());
        assertEquals("handshake not finished within 5000 ms", capture.errors.get(0).getMessage());
        ch.finishAndReleaseAll();
    }

    private static byte[] random(int seed) {
        byte[] b = new byte[N];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Collects what passes the handshake handler. */
    private static final class Capture extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        final StringBuilder bytes = new StringBuilder();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            bytes.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }

        String text() {
            assertTrue(errors.isEmpty(), errors::toString);
            return bytes.toString();
        }
    }
}
