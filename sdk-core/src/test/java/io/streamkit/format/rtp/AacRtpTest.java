package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AAC in RTP, RFC 3640's AAC-hbr mode: one frame per packet out, several per packet in. */
class AacRtpTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ByteBuf packet(int sequence, long timestamp, ByteBuf payload) {
        ByteBuf p = Unpooled.buffer();
        RtpPacket.writeHeader(p, 97, true, sequence, timestamp, 42);
        p.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        return p;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 6, 371, 8191})
    void aFrameComesBackThroughItsPacket(int size) {
        byte[] frame = new byte[size];
        for (int i = 0; i < size; i++) {
            frame[i] = (byte) (i * 13);
        }
        ByteBuf payload = AacRtpPacketizer.payload(ALLOC, Unpooled.wrappedBuffer(frame));
        assertEquals(4 + size, payload.readableBytes());
        assertEquals(16, payload.getUnsignedShort(0), "one 16-bit AU header");
        assertEquals(size, payload.getUnsignedShort(2) >>> 3);
        AacRtpDepacketizer d = new AacRtpDepacketizer();
        d.feed(packet(1, 48_000, payload));
        payload.release();
        RtpAccessUnit out = d.next();
        assertArrayEquals(frame, ByteBufUtil.getBytes(out.content()));
        assertEquals(48_000, out.timestamp());
        out.release();
        d.close();
    }

    @Test
    void severalFramesInOnePacketGetConsecutiveTimestamps() {
        ByteBuf payload = Unpooled.buffer().writeShort(3 * 16).writeShort(2 << 3).writeShort(3 << 3).writeShort(1 << 3)
                .writeBytes(new byte[] {1, 1, 2, 2, 2, 3});
        AacRtpDepacketizer d = new AacRtpDepacketizer();
        d.feed(packet(5, 0xFFFF_FC00L, payload));   // the second frame's timestamp wraps to 0
        assertArrayEquals(new byte[] {1, 1}, take(d, 0xFFFF_FC00L));
        assertArrayEquals(new byte[] {2, 2, 2}, take(d, 0));
        assertArrayEquals(new byte[] {3}, take(d, 1024));
        assertNull(d.next());
        payload.release();
        d.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "0010", "000f0008aa", "00100010aa", "00100008aabb", "04100008aa"})
    void malformedOrFragmentedPayloadsAreDroppedAndCounted(String hex) {
        ByteBuf payload = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        AacRtpDepacketizer d = new AacRtpDepacketizer();
        d.feed(packet(1, 0, payload));
        assertNull(d.next());
        assertEquals(1, d.droppedPackets());
        d.close();
    }

    @Test
    void aFrameAacHbrCannotSayIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AacRtpPacketizer.payload(ALLOC, Unpooled.buffer(0)));
        assertThrows(IllegalArgumentException.class, () -> AacRtpPacketizer.payload(ALLOC, Unpooled.wrappedBuffer(new byte[8192])));
    }

    private static byte[] take(AacRtpDepacketizer d, long timestamp) {
        RtpAccessUnit u = d.next();
        try {
            assertEquals(timestamp, u.timestamp());
            return ByteBufUtil.getBytes(u.content());
        } finally {
            u.release();
        }
    }
}
