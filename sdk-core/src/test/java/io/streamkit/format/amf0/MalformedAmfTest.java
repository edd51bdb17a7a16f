package io.streamkit.format.amf0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile and broken input: every case is one {@link MediaFormatException} naming the value
 * and the limit, with nothing allocated from a length field and the reader index unmoved.
 */
class MalformedAmfTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        truncated string length             | 02 00                       | AMF0 string needs 2 bytes at offset 1, 1 left
        string length beyond the buffer     | 02 0010 6162                | AMF0 string length 16 exceeds the 2 bytes left
        long string length 4 GiB            | 0c ffffffff 61              | AMF0 long string length 4294967295 exceeds the 1 bytes left
        XML length beyond the buffer        | 0f 00000009 3c              | AMF0 XML document length 9 exceeds the 1 bytes left
        truncated number                    | 00 3ff000                   | AMF0 number needs 8 bytes at offset 1, 3 left
        truncated date                      | 0b 408f400000000000         | AMF0 date needs 10 bytes at offset 1, 8 left
        infinite date                       | 0b 7ff0000000000000 0000    | AMF0 date Infinity ms is outside the ECMAScript range of 8640000000000000 ms either side of the epoch
        movieclip (reserved)                | 04                          | AMF0 marker 0x04 (movieclip) at offset 0 is not supported
        object-end out of place             | 09                          | AMF0 marker 0x09 (object-end) at offset 0 is not supported
        recordset (reserved)                | 0e                          | AMF0 marker 0x0e (recordset) at offset 0 is not supported
        unknown marker 0x12                 | 12                          | AMF0 marker 0x12 at offset 0 is not supported
        unknown marker 0xff in an object    | 03 0001 61 ff               | AMF0 marker 0xff at offset 4 is not supported
        object without its end              | 03 0001 61 05               | AMF0 object property name needs 2 bytes at offset 5, 0 left
        object cut after the empty name     | 03 0000                     | AMF0 object end needs 1 bytes at offset 3, 0 left
        ECMA array count cut                | 08 0000                     | AMF0 ECMA array needs 4 bytes at offset 1, 2 left
        reference index out of range        | 07 0000                     | AMF0 object reference 0 is out of range: 0 entries so far
        reference past the objects          | 03 000009 07 0001           | AMF0 object reference 1 is out of range: 1 entry so far
        strict array count 0x7fffffff       | 0a 7fffffff 050505          | AMF0 strict array count 2147483647 exceeds the 3 bytes left
        strict array count 4 GiB            | 0a ffffffff                 | AMF0 strict array count 4294967295 exceeds the 0 bytes left
        AMF3 vector-int                     | 11 0d                       | AMF3 marker 0x0d (vector-int) at offset 1 is not supported
        AMF3 dictionary                     | 11 11                       | AMF3 marker 0x11 (dictionary) at offset 1 is not supported
        AMF3 unknown marker                 | 11 20                       | AMF3 marker 0x20 at offset 1 is not supported
        AMF3 truncated U29                  | 11 04 ff ff                 | AMF3 integer needs 1 bytes at offset 4, 0 left
        AMF3 string length U29 huge         | 11 06 ff ff ff ff 61        | AMF3 string length 268435455 exceeds the 1 bytes left
        AMF3 string reference out of range  | 11 06 02                    | AMF3 string reference 1 is out of range: 0 entries so far
        AMF3 array dense count huge         | 11 09 ff ff ff ff 01        | AMF3 array dense count 268435455 exceeds the 1 bytes left
        AMF3 sealed member count huge       | 11 0a ff ff ff f3 01        | AMF3 sealed member count 33554431 exceeds the 1 bytes left
        AMF3 byte array beyond the buffer   | 11 0c 07 01                 | AMF3 byte array needs 3 bytes at offset 3, 1 left
        AMF3 traits reference out of range  | 11 0a 05                    | AMF3 traits reference 1 is out of range: 0 entries so far
        AMF3 object reference to itself     | 11 0a 0b 01 03 61 0a 00 01  | AMF3 object reference 0 points to a value still being read; cyclic values are not supported
        AMF3 NaN date                       | 11 08 01 7ff8000000000000   | AMF3 date NaN ms is outside the ECMAScript range of 8640000000000000 ms either side of the epoch
        """)
    void rejects(String name, String hex, String message) {
        ByteBuf buf = Unpooled.wrappedBuffer(AmfHex.bytes(hex));
        try {
            MediaFormatException e = assertThrows(MediaFormatException.class, () -> Amf0Reader.readAll(buf), name);
            assertEquals(message, e.getMessage(), name);
            assertEquals(0, buf.readerIndex(), "the reader index moved");
        } finally {
            buf.release();
        }
    }

    @Test
    void rejectsAnEmptyBufferWhereOneValueIsAsked() {
        ByteBuf empty = Unpooled.buffer(0);
        try {
            MediaFormatException e = assertThrows(MediaFormatException.class, () -> Amf0Reader.read(empty));
            assertEquals("AMF0 marker needs 1 bytes at offset 0, 0 left", e.getMessage());
            e = assertThrows(MediaFormatException.class, () -> Amf3Reader.read(empty));
            assertEquals("AMF3 marker needs 1 bytes at offset 0, 0 left", e.getMessage());
        } finally {
            empty.release();
        }
    }

    @Test
    void boundsTheNestingDepthOfObjects() {
        // 1000 objects, each the value of property "a" of the one before.
        String hex = "03" + " 0001 61 03".repeat(999) + " 000009".repeat(1000);
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> AmfHex.readAmf0(hex));
        assertEquals("AMF0 nesting depth 65 exceeds 64", e.getMessage());
        String deepest = "03" + " 0001 61 03".repeat(63) + " 000009".repeat(64);
        assertTrue(AmfHex.readAmf0(deepest) instanceof java.util.Map);
    }

    @Test
    void boundsTheNestingDepthOfAmf3InsideAmf0() {
        // 32 AMF0 strict arrays, then AMF3 arrays of one element each.
        String hex = "0a 00000001".repeat(32) + " 11" + " 09 03 01".repeat(1000) + " 01";
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> AmfHex.readAmf0(hex));
        assertEquals("AMF3 nesting depth 65 exceeds 64", e.getMessage());
    }

    @Test
    void survivesRandomAndMutatedInput() {
        Random random = new Random(20240601);
        byte[] connect = AmfHex.bytes("02 0007 636f6e6e656374 00 3ff0000000000000 03 0003 617070 02 0004 6c697665"
                + " 0008 6e 0a 00000002 07 0000 11 09 05 01 06 03 61 06 00 0000 09");
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
            } else {
                input = connect.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
                input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 1));
            }
            ByteBuf buf = Unpooled.wrappedBuffer(input);
            try {
                Amf0Reader.readAll(buf);
                assertEquals(0, buf.readableBytes());
            } catch (MediaFormatException expected) {
                assertEquals(0, buf.readerIndex());
            } finally {
                buf.release();
            }
        }
    }
}
