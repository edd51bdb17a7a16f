package io.streamkit.codec;

import static io.streamkit.codec.Fixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BitReaderTest {

    @Test
    void readsBitsMostSignificantFirst() {
        BitReader r = BitReader.of(hex("a5 f0 0f 12 34 56 78 9a"));
        assertEquals(1, r.readBit());
        assertEquals(0b010, r.readBits(3));
        assertEquals(0x5f, r.readBits(8));
        assertEquals(52, r.bitsLeft());
        r.skipBits(4);
        assertEquals(0x0f123456, r.readBits(32));
        assertEquals(0x789a, r.readBitsLong(16));
        assertEquals(0, r.bitsLeft());
    }

    @Test
    void readsThirtyTwoBitsAsRawPattern() {
        BitReader r = BitReader.of(hex("ff ff ff fe"));
        assertEquals(0xfffffffeL, Integer.toUnsignedLong(r.readBits(32)));
    }

    // ITU-T H.264 Table 9-2 and 9-3: code -> ue value -> se value.
    @ParameterizedTest
    @CsvSource({
        "80, 0, 0",
        "40, 1, 1",
        "60, 2, -1",
        "20, 3, 2",
        "28, 4, -2",
        "38, 6, -3",
        "10, 7, 4",
        "00 00 80 00 00, 65535, 32768",
    })
    void readsExpGolomb(String code, int ue, int se) {
        assertEquals(ue, BitReader.of(hex(code)).readUe());
        assertEquals(se, BitReader.of(hex(code)).readSe());
    }

    @Test
    void readsLargestIntExpGolomb() {
        // 31 zeros, a one, then 31 bits: value 2^31 - 1 + 0 = Integer.MAX_VALUE.
        BitReader r = BitReader.of(hex("00 00 00 01 00 00 00 00"));
        assertEquals(Integer.MAX_VALUE, r.readUe());
    }

    @ParameterizedTest
    @CsvSource({
        "'00 00 00 00 ff ff ff ff ff', prefix of more than 31 zero bits",
        "'00 00 00 00 00 00 00 00 00 00 00', prefix of more than 31 zero bits",
        "'00 00 00 01 80 00 00 00', exceeds 2147483647",
        "'00 00 01', runs past the end",
        "'', runs past the end",
        "'07', runs past the end",
    })
    void rejectsBadExpGolomb(String bytes, String message) {
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> BitReader.of(hex(bytes)).readUe());
        assertContains(message, e.getMessage());
    }

    @Test
    void rejectsReadingPastTheEnd() {
        BitReader r = BitReader.of(hex("ab cd"));
        r.readBits(12);
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> r.readBits(5));
        assertContains("read of 5 bits at bit 12 runs past the end at bit 16", e.getMessage());
        assertThrows(MediaFormatException.class, () -> r.skipBits(5));
        assertEquals(0xd, r.readBits(4));
        assertThrows(MediaFormatException.class, r::readBit);
    }

    @Test
    void readsByteBufRegionWithoutMovingIndexes() {
        ByteBuf buf = Unpooled.wrappedBuffer(hex("00 11 22 33 44"));
        try {
            BitReader r = BitReader.of(buf, 1, 3);
            assertEquals(0x112233, r.readBits(24));
            assertThrows(MediaFormatException.class, r::readBit);
            assertEquals(0, buf.readerIndex());
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "'67 64 00 00 03 00 1f', '67 64 00 00 00 1f'",
        "'00 00 03 00 00 03', '00 00 00 00'",
        "'00 00 03 03', '00 00 03'",
        "'00 03 00 00', '00 03 00 00'",
        "'00 00 00 03 01', '00 00 00 01'",
        "'', ''",
    })
    void removesEmulationPrevention(String nal, String rbsp) {
        assertArrayEquals(hex(rbsp), BitReader.unescapeRbsp(hex(nal), 0, hex(nal).length));
        ByteBuf buf = Unpooled.wrappedBuffer(hex(nal));
        try {
            assertArrayEquals(hex(rbsp), BitReader.unescapeRbsp(buf, 0, buf.readableBytes()));
        } finally {
            buf.release();
        }
    }

    @Test
    void writerMirrorsReader() {
        byte[] bytes = new BitWriter().writeBits(1, 1).writeBits(0x5f, 8).writeFlag(true).writeBits(0x123, 12)
                .toByteArray();
        BitReader r = BitReader.of(bytes);
        assertEquals(1, r.readBit());
        assertEquals(0x5f, r.readBits(8));
        assertEquals(1, r.readBit());
        assertEquals(0x123, r.readBits(12));
        assertEquals(2, r.bitsLeft());
    }

    static void assertContains(String expected, String actual) {
        if (actual == null || !actual.contains(expected)) {
            throw new AssertionError("expected a message containing <" + expected + "> but was <" + actual + ">");
        }
    }
}
