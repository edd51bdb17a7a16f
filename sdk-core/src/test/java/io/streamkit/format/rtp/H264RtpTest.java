package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RTP's fixed header (RFC 3550, 5.1) and H.264's payload format (RFC 6184, mode 1), round trips included. */
class H264RtpTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** A NAL unit of a type and size, its bytes counting up so that a misplaced byte shows. */
    static byte[] nal(int type, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) (0x60 | type);
        for (int i = 1; i < size; i++) {
            b[i] = (byte) (i * 7 + type);
        }
        return b;
    }

    static byte[] avcc(byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] n : nals) {
            out.write(n.length >>> 24);
            out.write(n.length >>> 16);
            out.write(n.length >>> 8);
            out.write(n.length);
            out.writeBytes(n);
        }
        return out.toByteArray();
    }

    static ByteBuf packet(int sequence, long timestamp, boolean marker, ByteBuf payload) {
        ByteBuf p = Unpooled.buffer();
        RtpPacket.writeHeader(p, 96, marker, sequence, timestamp, 0x1234_5678L);
        p.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        return p;
    }

    static byte[] bytes(ByteBuf b) {
        return ByteBufUtil.getBytes(b);
    }

    @Test
    void theFixedHeaderReadsBackAndItsExtrasMoveThePayload() {
        ByteBuf p = Unpooled.buffer();
        RtpPacket.writeHeader(p, 96, true, 65_535, 0xFFFF_FFFFL, 0xDEAD_BEEFL);
        p.writeBytes(new byte[] {1, 2, 3});
        RtpPacket h = RtpPacket.parse(p);
        assertEquals(new RtpPacket(96, true, 65_535, 0xFFFF_FFFFL, 0xDEAD_BEEFL, 12, 3), h);
        assertArrayEquals(new byte[] {1, 2, 3}, bytes(h.payload(p)));

        // two CSRCs, a one-word extension, and two bytes of padding
        ByteBuf q = Unpooled.buffer().writeByte(0x80 | 0x20 | 0x10 | 2).writeByte(0x60).writeShort(7).writeInt(90_000)
                .writeInt(1).writeInt(11).writeInt(12).writeShort(0xBEDE).writeShort(1).writeInt(0)
                .writeBytes(new byte[] {9, 9, 9, 0, 2});
        RtpPacket r = RtpPacket.parse(q);
        assertEquals(12 + 8 + 8, r.payloadOffset());
        assertEquals(3, r.payloadLength());
        assertFalse(r.marker());
        assertEquals(7, r.sequence());
        p.release();
        q.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "8060000100000000000000",             // 11 bytes: under the fixed header
        "406000010000000000000000",           // version 1
        "8f6000010000000000000000",           // fifteen CSRCs announced, none there
        "906000010000000000000000beef",       // an extension header cut short
        "a0600001000000000000000000",         // padding of 0 bytes
        "a060000100000000000000000505"})      // padding of 5 bytes in a 2-byte payload
    void aPacketShorterThanItsHeaderOrOfAnotherVersionOrWithBadPaddingIsRefused(String hex) {
        ByteBuf p = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        assertThrows(MediaFormatException.class, () -> RtpPacket.parse(p));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 100, 1400, 6000})
    void anAccessUnitComesBackWholeThroughPacketsOfAnySize(int maxPayload) {
        byte[][] nals = {nal(7, 10), nal(8, 4), nal(6, 20), nal(5, 5000)};
        ByteBuf au = Unpooled.wrappedBuffer(avcc(nals));
        List<ByteBuf> payloads = new ArrayList<>();
        H264RtpPacketizer.packetize(ALLOC, au, 4, maxPayload, payloads);
        assertEquals(0, au.readerIndex(), "the access unit's indices are untouched");
        H264RtpDepacketizer d = new H264RtpDepacketizer(ALLOC, H264RtpDepacketizer.DEFAULT_MAX_ACCESS_UNIT_SIZE);
        int seq = 65_530;   // wraps past 65535
        for (int i = 0; i < payloads.size(); i++) {
            ByteBuf payload = payloads.get(i);
            assertTrue(payload.readableBytes() <= maxPayload, "a payload of " + payload.readableBytes());
            d.feed(packet(seq++ & 0xFFFF, 3_000, i == payloads.size() - 1, payload));
            payload.release();
            if (i < payloads.size() - 1) {
                assertNull(d.next(), "an access unit before the marker");
            }
        }
        RtpAccessUnit unit = d.next();
        assertArrayEquals(avcc(nals), bytes(unit.content()));
        assertTrue(unit.keyframe());
        assertEquals(3_000, unit.timestamp());
        assertEquals(0, d.droppedPackets());
        unit.release();
        d.close();
        au.release();
    }

    @Test
    void aStapAGivesEachOfItsNalUnitsAndANewTimestampEndsAnAccessUnitWithoutAMarker() {
        byte[] sps = nal(7, 9);
        byte[] pps = nal(8, 4);
        ByteBuf stap = Unpooled.buffer().writeByte(0x78).writeShort(sps.length).writeBytes(sps).writeShort(pps.length).writeBytes(pps);
        byte[] slice = nal(1, 30);
        H264RtpDepacketizer d = new H264RtpDepacketizer(ALLOC, 1 << 20);
        d.feed(packet(1, 100, false, stap));
        d.feed(packet(2, 100, false, Unpooled.wrappedBuffer(slice)));
        assertNull(d.next());
        d.feed(packet(3, 3_100, true, Unpooled.wrappedBuffer(nal(1, 8))));
        RtpAccessUnit first = d.next();
        assertArrayEquals(avcc(sps, pps, slice), bytes(first.content()));
        assertFalse(first.keyframe());
        assertEquals(100, first.timestamp());
        RtpAccessUnit second = d.next();
        assertArrayEquals(avcc(nal(1, 8)), bytes(second.content()));
        first.release();
        second.release();
        stap.release();
        d.close();
    }

    @Test
    void aLostFragmentLosesItsNalUnitOnlyAndBadPacketsAreCounted() {
        byte[] big = nal(5, 300);
        ByteBuf au = Unpooled.wrappedBuffer(avcc(big));
        List<ByteBuf> fragments = new ArrayList<>();
        H264RtpPacketizer.packetize(ALLOC, au, 4, 100, fragments);
        assertEquals(4, fragments.size());
        H264RtpDepacketizer d = new H264RtpDepacketizer(ALLOC, 1 << 20);
        byte[] sei = nal(6, 12);
        d.feed(packet(10, 500, false, Unpooled.wrappedBuffer(sei)));
        d.feed(packet(11, 500, false, fragments.get(0)));
        d.feed(packet(13, 500, false, fragments.get(2)));   // 12 lost
        d.feed(packet(14, 500, false, fragments.get(3)));
        d.feed(packet(15, 500, false, Unpooled.wrappedBuffer(new byte[] {0x1F, 1, 2})));   // type 31: reserved
        d.feed(packet(16, 500, false, Unpooled.wrappedBuffer(new byte[] {0x78, 0, 40, 1})));   // STAP-A past its end
        d.feed(Unpooled.wrappedBuffer(new byte[] {0x40, 0, 0}));   // not RTP
        d.feed(packet(17, 500, true, Unpooled.wrappedBuffer(nal(1, 5))));
        RtpAccessUnit unit = d.next();
        assertArrayEquals(avcc(sei, nal(1, 5)), bytes(unit.content()));
        assertFalse(unit.keyframe(), "the IDR was lost");
        assertTrue(d.droppedPackets() >= 5, "dropped " + d.droppedPackets());
        unit.release();
        fragments.forEach(ByteBuf::release);
        au.release();
        d.close();
    }

    @Test
    void anAccessUnitOverTheLimitIsDroppedWholeAndTheNextOneComesThrough() {
        H264RtpDepacketizer d = new H264RtpDepacketizer(ALLOC, 100);
        d.feed(packet(1, 0, false, Unpooled.wrappedBuffer(nal(1, 60))));
        d.feed(packet(2, 0, false, Unpooled.wrappedBuffer(nal(1, 60))));
        d.feed(packet(3, 0, true, Unpooled.wrappedBuffer(nal(1, 10))));
        assertNull(d.next(), "no part of the dropped access unit comes out");
        assertEquals(1, d.droppedAccessUnits());
        d.feed(packet(4, 3_000, true, Unpooled.wrappedBuffer(nal(5, 50))));
        RtpAccessUnit next = d.next();
        assertArrayEquals(avcc(nal(5, 50)), bytes(next.content()));
        next.release();
        d.close();
    }

    @Test
    void aLengthRunningPastTheAccessUnitIsRefusedByThePacketizer() {
        ByteBuf au = Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 9, 0x65, 1, 2});
        List<ByteBuf> out = new ArrayList<>();
        assertThrows(MediaFormatException.class, () -> H264RtpPacketizer.packetize(ALLOC, au, 4, 1400, out));
        out.forEach(ByteBuf::release);
        assertThrows(IllegalArgumentException.class, () -> H264RtpPacketizer.packetize(ALLOC, au, 3, 1400, out));
        assertThrows(IllegalArgumentException.class, () -> H264RtpPacketizer.packetize(ALLOC, au, 4, 2, out));
        au.release();
    }
}
