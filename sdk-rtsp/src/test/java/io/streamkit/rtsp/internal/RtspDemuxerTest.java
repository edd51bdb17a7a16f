package io.streamkit.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.streamkit.rtsp.RtspProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RtspDemuxerTest {
    private static final String OPTIONS = "OPTIONS rtsp://h/live/a RTSP/1.0\r\nCSeq: 1\r\n\r\n";
    private static final String ANNOUNCE = "ANNOUNCE rtsp://h/live/a RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 5\r\n\r\nv=0\r\n";

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new RtspDemuxer(256, 64, TimeUnit.SECONDS.toNanos(10)));
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static String text(Object msg) {
        ByteBuf b = assertInstanceOf(ByteBuf.class, msg);
        try {
            return b.toString(StandardCharsets.US_ASCII);
        } finally {
            b.release();
        }
    }

    @Test
    void splitsRequestsAndFramesInOneRead() {
        EmbeddedChannel ch = channel();
        ByteBuf in = Unpooled.buffer();
        in.writeCharSequence(OPTIONS, StandardCharsets.US_ASCII);
        in.writeByte('$').writeByte(2).writeShort(3).writeBytes(new byte[] {7, 8, 9});
        in.writeCharSequence("\r\n" + ANNOUNCE, StandardCharsets.US_ASCII);
        ch.writeInbound(in);
        assertEquals(OPTIONS, text(ch.readInbound()));
        InterleavedFrame f = ch.readInbound();
        assertEquals(2, f.channel());
        assertEquals(3, f.content().readableBytes());
        assertEquals(9, f.content().getByte(2));
        f.release();
        assertEquals(ANNOUNCE, text(ch.readInbound()));
        assertFalse(ch.finish());
    }

    @Test
    void waitsForEveryByteSplitAnywhere() {
        String all = OPTIONS + "$\u0001\u0000\u0002ab" + ANNOUNCE;
        for (int split = 1; split < all.length(); split++) {
            EmbeddedChannel ch = channel();
            ch.writeInbound(bytes(all.substring(0, split)));
            ch.writeInbound(bytes(all.substring(split)));
            assertEquals(OPTIONS, text(ch.readInbound()), "split at " + split);
            InterleavedFrame f = ch.readInbound();
            assertEquals(1, f.channel());
            assertEquals("ab", f.content().toString(StandardCharsets.US_ASCII));
            f.release();
            assertEquals(ANNOUNCE, text(ch.readInbound()), "split at " + split);
            assertNull(ch.readInbound());
            assertFalse(ch.finish());
        }
    }

    @Test
    void refusesAHeadOverTheLimit() {
        EmbeddedChannel ch = channel();
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(bytes("GET " + "x".repeat(300))));
        assertInstanceOf(RtspProtocolException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("256"), e.getCause().getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void refusesABodyOverTheLimitBeforeItArrives() {
        EmbeddedChannel ch = channel();
        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(bytes("ANNOUNCE x RTSP/1.0\r\nCSeq: 1\r\ncontent-length: 65\r\n\r\n")));
        assertTrue(e.getCause().getMessage().contains("65 bytes, over 64"), e.getCause().getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void refusesContentLengthsThatAreNotNumbers() {
        for (String value : new String[] {"", "-1", "1x", "99999999999", "0x10"}) {
            EmbeddedChannel ch = channel();
            assertThrows(DecoderException.class,
                    () -> ch.writeInbound(bytes("ANNOUNCE x RTSP/1.0\r\nContent-Length: " + value + "\r\n\r\n")), value);
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void takesAnInterleavedFrameOfTheLargestLength() {
        EmbeddedChannel ch = channel();
        ByteBuf in = Unpooled.buffer().writeByte('$').writeByte(0).writeShort(65_535).writeZero(65_535);
        ch.writeInbound(in);
        InterleavedFrame f = ch.readInbound();
        assertEquals(65_535, f.content().readableBytes());
        f.release();
        assertFalse(ch.finish());
    }

    @Test
    void closesARequestThatDoesNotEndInTime() {
        EmbeddedChannel ch = new EmbeddedChannel(new RtspDemuxer(256, 64, 1));
        RtspProtocolException e = assertThrows(RtspProtocolException.class, () -> {
            ch.writeInbound(bytes("OPTIONS rtsp://h/ RTSP/1.0\r\n"));   // runs the timer: it is due at once
            ch.runScheduledPendingTasks();
            ch.checkException();
        });
        assertTrue(e.getMessage().contains("not complete"), e.getMessage());
        ch.finishAndReleaseAll();
    }
}
