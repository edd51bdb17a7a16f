package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.h265.H265AccessUnits;
import io.streamkit.test.AccessUnitFixtures;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** H.265's RTP payload format (RFC 7798, no DONL) in both directions, round trips included. */
class H265RtpTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** A NAL unit of a type, layer and TID (nuh_temporal_id_plus1), its bytes counting up so that a misplaced byte shows. */
    static byte[] nal(int type, int layer, int tid, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) (type << 1 | layer >> 5);
        b[1] = (byte) ((layer & 0x1F) << 3 | tid);
        for (int i = 2; i < size; i++) {
            b[i] = (byte) (i * 7 + type);
        }
        return b;
    }

    /** A NAL unit of the base layer, TID 1. */
    static byte[] nal(int type, int size) {
        return nal(type, 0, 1, size);
    }

    /** NAL units, each after a big-endian length of {@code lengthSize} bytes. */
    static byte[] hvcc(int lengthSize, byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] n : nals) {
            for (int shift = 8 * (lengthSize - 1); shift >= 0; shift -= 8) {
                out.write(n.length >>> shift);
            }
            out.writeBytes(n);
        }
        return out.toByteArray();
    }

    static byte[] hvcc(byte[]... nals) {
        return hvcc(4, nals);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static ByteBuf packet(int sequence, long timestamp, boolean marker, byte[] payload) {
        ByteBuf p = Unpooled.buffer();
        RtpPacket.writeHeader(p, 96, marker, sequence, timestamp, 0x1234_5678L);
        return p.writeBytes(payload);
    }

    static ByteBuf packet(int sequence, long timestamp, boolean marker, ByteBuf payload) {
        return packet(sequence, timestamp, marker, ByteBufUtil.getBytes(payload));
    }

    /** Packetizes, then releases the payloads once copied to byte arrays. */
    static List<byte[]> packetize(byte[] accessUnit, int lengthSize, int maxPayload) {
        ByteBuf au = Unpooled.wrappedBuffer(accessUnit);
        List<ByteBuf> payloads = new ArrayList<>();
        try {
            H265RtpPacketizer.packetize(ALLOC, au, lengthSize, maxPayload, payloads);
            assertEquals(0, au.readerIndex(), "the access unit's indices are untouched");
            List<byte[]> out = new ArrayList<>();
            for (ByteBuf p : payloads) {
                assertTrue(p.readableBytes() <= maxPayload, "a payload of " + p.readableBytes() + " over " + maxPayload);
                out.add(ByteBufUtil.getBytes(p));
            }
            return out;
        } finally {
            payloads.forEach(ByteBuf::release);
            au.release();
        }
    }

    /** Takes the next access unit's bytes and keyframe flag, and releases it. */
    static byte[] take(H265RtpDepacketizer d, long timestamp, boolean keyframe) {
        RtpAccessUnit unit = d.next();
        assertNotNull(unit, "no access unit");
        try {
            assertEquals(timestamp, unit.timestamp());
            assertEquals(keyframe, unit.keyframe(), "keyframe");
            return ByteBufUtil.getBytes(unit.content());
        } finally {
            unit.release();
        }
    }

    @ParameterizedTest(name = "payloads of {0} bytes from {1}-byte lengths")
    @CsvSource({"4, 4", "5, 2", "7, 4", "100, 4", "1400, 2", "1400, 4", "6000, 4"})
    void anAccessUnitComesBackWholeThroughPacketsOfAnySize(int maxPayload, int lengthSize) {
        byte[][] nals = {nal(32, 24), nal(33, 40), nal(34, 7), nal(39, 20), nal(19, 5000), nal(1, 1, 3, 300), nal(40, 2)};
        List<byte[]> payloads = packetize(hvcc(lengthSize, nals), lengthSize, maxPayload);
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, H265RtpDepacketizer.DEFAULT_MAX_ACCESS_UNIT_SIZE);
        int seq = 65_530;   // wraps past 65535
        for (int i = 0; i < payloads.size(); i++) {
            d.feed(packet(seq++ & 0xFFFF, 3_000, i == payloads.size() - 1, payloads.get(i)));
            if (i < payloads.size() - 1) {
                assertNull(d.next(), "an access unit before the marker");
            }
        }
        assertArrayEquals(hvcc(nals), take(d, 3_000, true));
        assertNull(d.next());
        assertEquals(0, d.droppedPackets());
        d.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case,                           NAL unit (hex),                   max payload, payloads (hex, '|' between)
        "fits whole,                       2601 a0a1a2a3,                    6,           2601a0a1a2a3",
        "IDR_W_RADL in three FUs,          2601 a0a1a2a3a4a5a6a7,            6,           6201 93 a0a1a2 | 6201 13 a3a4a5 | 6201 53 a6a7",
        "layer 1 TID 3 kept in PayloadHdr, 020b a0a1a2a3,                    5,           620b 81 a0a1 | 620b 41 a2a3",
        "layer 32 (the first byte's bit),  0301 a0a1a2a3a4,                  6,           6301 81 a0a1a2 | 6301 41 a3a4",
        "one byte a fragment,              4001 a0a1a2,                      4,           6201 a0 a0 | 6201 20 a1 | 6201 60 a2",
    })
    void fragmentationUnitsAreAsRfc7798Section443DrawsThem(String name, String nal, int maxPayload, String expected) {
        byte[] unit = hex(nal);
        List<byte[]> payloads = packetize(hvcc(unit), 4, maxPayload);
        String[] want = expected.split("\\|");
        assertEquals(want.length, payloads.size(), name);
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(hex(want[i].trim()), payloads.get(i), name + ", payload " + i);
        }
    }

    @Test
    void realAccessUnitsComeBackWithTheirRandomAccessPoints() {
        List<byte[]> units = AccessUnitFixtures.accessUnits("hevc-open-gop-64x64.h265", true, 4);
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, H265RtpDepacketizer.DEFAULT_MAX_ACCESS_UNIT_SIZE);
        int seq = 65_000;
        int keyframes = 0;
        for (int i = 0; i < units.size(); i++) {
            List<byte[]> payloads = packetize(units.get(i), 4, 60);
            for (int j = 0; j < payloads.size(); j++) {
                d.feed(packet(seq++ & 0xFFFF, 3_000L * i, j == payloads.size() - 1, payloads.get(j)));
            }
            ByteBuf au = Unpooled.wrappedBuffer(units.get(i));
            boolean rap = H265AccessUnits.isRandomAccessPoint(au, 4);
            au.release();
            keyframes += rap ? 1 : 0;
            assertArrayEquals(units.get(i), take(d, 3_000L * i, rap), "access unit " + i);
        }
        assertTrue(keyframes >= 2 && keyframes < units.size(), keyframes + " keyframes in " + units.size());
        assertEquals(0, d.droppedPackets());
        d.close();
    }

    @Test
    void anAggregationPacketGivesEachOfItsNalUnitsAndANewTimestampEndsAnAccessUnitWithoutAMarker() {
        byte[] vps = nal(32, 9);
        byte[] sps = nal(33, 12);
        byte[] pps = nal(34, 4);
        ByteBuf ap = Unpooled.buffer().writeShort(48 << 9 | 1)
                .writeShort(vps.length).writeBytes(vps).writeShort(sps.length).writeBytes(sps).writeShort(pps.length).writeBytes(pps);
        byte[] cra = nal(21, 30);
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, 1 << 20);
        d.feed(packet(1, 100, false, ap));
        d.feed(packet(2, 100, false, cra));
        assertNull(d.next());
        d.feed(packet(3, 3_100, true, nal(1, 8)));
        assertArrayEquals(hvcc(vps, sps, pps, cra), take(d, 100, true));
        assertArrayEquals(hvcc(nal(1, 8)), take(d, 3_100, false));
        assertEquals(0, d.droppedPackets());
        ap.release();
        d.close();
    }

    @Test
    void aLostFragmentLosesItsNalUnitOnlyAndTheNextAccessUnitIsIntact() {
        byte[] idr = nal(20, 300);
        List<byte[]> fragments = packetize(hvcc(idr), 4, 100);
        assertEquals(4, fragments.size());
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, 1 << 20);
        byte[] sei = nal(39, 12);
        d.feed(packet(10, 500, false, sei));
        d.feed(packet(11, 500, false, fragments.get(0)));
        d.feed(packet(13, 500, false, fragments.get(2)));   // 12 lost
        d.feed(packet(14, 500, false, fragments.get(3)));
        d.feed(packet(15, 500, true, nal(1, 5)));
        assertArrayEquals(hvcc(sei, nal(1, 5)), take(d, 500, false));
        assertEquals(3, d.droppedPackets(), "the fragment held, and the two after the gap");

        d.feed(packet(16, 3_500, false, fragments.get(0)));
        d.feed(packet(17, 3_500, false, fragments.get(1)));
        d.feed(packet(18, 3_500, false, fragments.get(2)));
        d.feed(packet(19, 3_500, true, fragments.get(3)));
        assertArrayEquals(hvcc(idr), take(d, 3_500, true));
        assertEquals(3, d.droppedPackets());
        d.close();
    }

    @Test
    void aFragmentOfAnotherNalUnitOrANewTimestampLosesTheFragmentHeld() {
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, 1 << 20);
        d.feed(packet(1, 0, false, hex("6201 93 a0a1")));   // the start of an IDR_W_RADL
        d.feed(packet(2, 0, false, hex("6201 41 a2a3")));   // the end of a TRAIL_R: not its end
        d.feed(packet(3, 0, true, nal(1, 4)));
        assertArrayEquals(hvcc(nal(1, 4)), take(d, 0, false));
        assertEquals(2, d.droppedPackets());

        d.feed(packet(4, 3_000, false, hex("6201 93 a0a1")));
        d.feed(packet(5, 6_000, true, hex("6201 53 a2a3")));   // a new timestamp: the start is dropped, then the end
        assertNull(d.next());
        assertEquals(4, d.droppedPackets());
        d.close();
    }

    @Test
    void aFragmentationUnitWithBothStartAndEndIsTakenAsAWholeNalUnit() {
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, 1 << 20);
        d.feed(packet(1, 90, true, hex("6201 d3 afb0")));   // RFC 7798 4.4.3 forbids it; cameras send it
        assertArrayEquals(hex("00000004 2601afb0"), take(d, 90, true));
        assertEquals(0, d.droppedPackets());
        d.close();
    }

    @Test
    void anAccessUnitOverTheLimitIsDroppedWholeAndTheNextOneComesThrough() {
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, 100);
        d.feed(packet(1, 0, false, nal(1, 60)));
        d.feed(packet(2, 0, false, nal(1, 60)));
        d.feed(packet(3, 0, true, nal(1, 10)));
        assertNull(d.next(), "no part of the dropped access unit comes out");
        assertEquals(1, d.droppedAccessUnits());
        d.feed(packet(4, 3_000, true, nal(19, 50)));
        assertArrayEquals(hvcc(nal(19, 50)), take(d, 3_000, true));

        List<byte[]> fragments = packetize(hvcc(nal(19, 150)), 4, 60);   // a fragmented NAL unit over the limit
        for (int i = 0; i < fragments.size(); i++) {
            d.feed(packet(5 + i, 6_000, i == fragments.size() - 1, fragments.get(i)));
        }
        assertNull(d.next());
        assertTrue(d.droppedPackets() >= 2, "dropped " + d.droppedPackets());
        d.close();
    }

    @Test
    void tooManyNalUnitsDropTheAccessUnit() {
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, 1 << 20);
        for (int i = 0; i <= H265RtpDepacketizer.MAX_NAL_UNITS; i++) {
            d.feed(packet(i, 0, i == H265RtpDepacketizer.MAX_NAL_UNITS, nal(1, 3)));
        }
        assertNull(d.next());
        assertEquals(1, d.droppedAccessUnits());
        d.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case,                              NAL units (type/layer, ...), keyframe
        "BLA_W_LP,                            16/0,                       true",
        "BLA_N_LP,                            18/0,                       true",
        "IDR_W_RADL,                          19/0,                       true",
        "IDR_N_LP,                            20/0,                       true",
        "CRA after parameter sets,            32/0 33/0 34/0 21/0,        true",
        "RSV_IRAP_VCL23,                      23/0,                       true",
        "TRAIL_R,                             1/0,                        false",
        "RASL_R,                              9/0,                        false",
        "RSV_VCL_N14,                         14/0,                       false",
        "RSV_VCL24,                           24/0,                       false",
        "parameter sets alone,                32/0 33/0 34/0,             false",
        "IDR in layer 1 only,                 19/1,                       false",
        "a layer-1 IDR then a base-layer one, 19/1 19/0,                  true",
    })
    void aKeyframeHoldsAnIrapNalUnitOfTheBaseLayer(String name, String types, boolean keyframe) {
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, 1 << 20);
        String[] nals = types.trim().split(" ");
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < nals.length; i++) {
            String[] typeLayer = nals[i].split("/");
            byte[] unit = nal(Integer.parseInt(typeLayer[0]), Integer.parseInt(typeLayer[1]), 1, 6);
            expected.add(unit);
            d.feed(packet(i, 42, i == nals.length - 1, unit));
        }
        assertArrayEquals(hvcc(expected.toArray(byte[][]::new)), take(d, 42, keyframe), name);
        assertEquals(0, d.droppedPackets());
        d.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case,                                       payload (hex)
        "empty,                                        ''",
        "one byte: no NAL unit header,                 26",
        "forbidden_zero_bit set,                       a601 af",
        "nuh_temporal_id_plus1 0,                      2600 af",
        "PACI (type 50),                               6401 0000 2601af",
        "type 51,                                      6601 af",
        "type 63,                                      7e01 af",
        "AP with no unit,                              6001",
        "AP cut inside a size,                         6001 00",
        "AP unit of one byte,                          6001 0001 26",
        "AP unit of no byte,                           6001 0000 0003 2601af",
        "AP size past the end,                         6001 0005 2601af",
        "AP with a good unit then a cut one,           6001 0003 2601af 0004 2601",
        "AP unit with forbidden_zero_bit,              6001 0003 2601af 0003 a601af",
        "AP unit with nuh_temporal_id_plus1 0,         6001 0003 2600af",
        "AP holding an FU,                             6001 0004 6201 d3af",
        "AP holding an AP,                             6001 0003 6001af",
        "AP with F set,                                e001 0003 2601af",
        "FU of three bytes,                            6201 93",
        "FU with FuType 48,                            6201 b0 af",
        "FU with FuType 49,                            6201 b1 af",
        "FU with FuType 50,                            6201 b2 af",
        "FU with TID 0,                                6200 93 af",
        "FU middle with no start,                      6201 13 af",
        "FU end with no start,                         6201 53 af",
    })
    void aMalformedPayloadIsDroppedAndCountedAndTheNextAccessUnitIsIntact(String name, String payload) {
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, 1 << 20);
        d.feed(packet(7, 1_000, true, hex(payload)));
        assertNull(d.next(), name);
        assertEquals(1, d.droppedPackets(), name);
        d.feed(packet(8, 4_000, true, nal(19, 9)));
        assertArrayEquals(hvcc(nal(19, 9)), take(d, 4_000, true), name);
        assertEquals(1, d.droppedPackets(), name);
        assertEquals(0, d.droppedAccessUnits(), name);
        d.close();
    }

    @Test
    void whatIsNotRtpIsCountedAndCloseReleasesWhatIsHeld() {
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, 1 << 20);
        d.feed(Unpooled.wrappedBuffer(new byte[] {0x40, 0, 0}));
        assertEquals(1, d.droppedPackets());
        d.feed(packet(1, 0, false, nal(1, 20)));   // an access unit under way
        d.feed(packet(2, 0, false, hex("6201 93 a0a1")));   // a fragment under way
        d.feed(packet(3, 3_000, true, nal(1, 5)));   // two access units finished, not taken
        d.feed(packet(4, 6_000, false, nal(1, 5)));
        d.feed(packet(5, 6_000, false, hex("6201 93 a0a1")));
        d.close();   // the leak detector fails the test if anything is left
        assertEquals(2, d.droppedPackets(), "the one not RTP, and the fragment ended by a new timestamp");
    }

    @Test
    void theFlushFinishesTheAccessUnitAndDropsAnUnfinishedFragment() {
        H265RtpDepacketizer d = new H265RtpDepacketizer(ALLOC, 1 << 20);
        d.feed(packet(1, 0, false, nal(19, 20)));
        d.feed(packet(2, 0, false, hex("6201 81 a0a1")));
        assertNull(d.next());
        d.flush();
        assertArrayEquals(hvcc(nal(19, 20)), take(d, 0, true));
        assertEquals(1, d.droppedPackets());
        d.close();
    }

    @Test
    void theDepacketizerRefusesALimitUnderOneByte() {
        assertThrows(IllegalArgumentException.class, () -> new H265RtpDepacketizer(ALLOC, 0));
    }

    @Test
    void nalUnitsOfTheRtpPayloadTypesAreLeftOutByThePacketizer() {
        byte[] trail = nal(1, 5);
        List<byte[]> payloads = packetize(hvcc(nal(48, 10), trail, nal(49, 4), nal(50, 3000)), 4, 1400);
        assertEquals(1, payloads.size());
        assertArrayEquals(trail, payloads.get(0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case,                                    length size, access unit (hex)
        "a length past the access unit,             4,           00000009 2601af",
        "a cut length,                              4,           00000003 2601af 0000",
        "a 2-byte length past the access unit,      2,           0003 2601",
        "a NAL unit of one byte,                    1,           03 2601af 01 26",
    })
    void aMalformedAccessUnitIsRefusedByThePacketizer(String name, int lengthSize, String hex) {
        ByteBuf au = Unpooled.wrappedBuffer(hex(hex));
        List<ByteBuf> out = new ArrayList<>();
        assertThrows(MediaFormatException.class, () -> H265RtpPacketizer.packetize(ALLOC, au, lengthSize, 1400, out), name);
        out.forEach(ByteBuf::release);
        au.release();
    }

    @Test
    void thePacketizerRefusesALengthSizeOrAPayloadSizeItCannotUse() {
        ByteBuf au = Unpooled.wrappedBuffer(hex("00000003 2601af"));
        List<ByteBuf> out = new ArrayList<>();
        assertThrows(IllegalArgumentException.class, () -> H265RtpPacketizer.packetize(ALLOC, au, 3, 1400, out));
        assertThrows(IllegalArgumentException.class, () -> H265RtpPacketizer.packetize(ALLOC, au, 4, 3, out));
        assertFalse(out.iterator().hasNext());
        au.release();
    }
}
