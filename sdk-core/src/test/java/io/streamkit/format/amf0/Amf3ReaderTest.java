package io.streamkit.format.amf0;

import static io.streamkit.format.amf0.Amf0TypesTest.ecma;
import static io.streamkit.format.amf0.Amf0TypesTest.object;
import static io.streamkit.format.amf0.AmfHex.assertValue;
import static io.streamkit.format.amf0.AmfHex.read;
import static io.streamkit.format.amf0.AmfHex.readAmf0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamkit.codec.MediaFormatException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The AMF3 that clients send after an AVM+ marker, against the AMF3 spec's encodings. */
class Amf3ReaderTest {

    private static Object readAmf3(String hex) {
        return read(hex, Amf3Reader::read);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // U29 (section 1.3.1): 7 bits per byte with a continuation flag, 8 bits in a fourth byte;
        // integer (section 3.6): the 29 bits sign-extended.
        "0,                           '04 00',          0",
        "one byte max 0x7f,           '04 7f',          127",
        "two bytes min 0x80,          '04 81 00',       128",
        "two bytes max 0x3fff,        '04 ff 7f',       16383",
        "three bytes min 0x4000,      '04 81 80 00',    16384",
        "three bytes max 0x1fffff,    '04 ff ff 7f',    2097151",
        "four bytes min 0x200000,     '04 80 c0 80 00', 2097152",
        "largest integer 0x0fffffff,  '04 bf ff ff ff', 268435455",
        "-1 (0x1fffffff),             '04 ff ff ff ff', -1",
        "-2,                          '04 ff ff ff fe', -2",
        "smallest integer 0x10000000, '04 c0 80 80 00', -268435456",
    })
    void readsIntegers(String name, String hex, int value) {
        assertEquals(value, readAmf3(hex), name);
        assertEquals(value, readAmf0("11 " + hex), name + " after an AVM+ marker");
    }

    @Test
    void readsTheSimpleTypes() {
        assertSame(Amf0.UNDEFINED, readAmf3("00"));
        assertEquals(null, readAmf3("01"));
        assertEquals(false, readAmf3("02"));
        assertEquals(true, readAmf3("03"));
        assertEquals(-2.5, readAmf3("05 c004000000000000"));
        assertEquals("", readAmf3("06 01"));
        assertEquals("live", readAmf3("06 09 6c697665"));
        assertEquals(Instant.ofEpochMilli(1000), readAmf3("08 01 408f400000000000"));
        assertEquals(new Amf0XmlDocument("<a/>"), readAmf3("07 09 3c612f3e"));
        assertEquals(new Amf0XmlDocument("<a/>"), readAmf3("0b 09 3c612f3e"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) readAmf3("0c 07 010203"));
    }

    @Test
    void readsStringReferences() {
        // Section 3.8: "foo" enters the string table at 0; "" never does; 06 00 is a reference to 0.
        assertValue(List.of("foo", "", "foo", "bar", "bar"),
                readAmf3("09 0b 01  06 07 666f6f  06 01  06 00  06 07 626172  06 02"));
    }

    @Test
    void readsADynamicObject() {
        // Section 3.12: 0x0b = inline object, inline traits, dynamic, no sealed members; class "".
        assertValue(object("app", "live", "n", 3, "nested", object()),
                readAmf3("0a 0b 01  07 617070 06 09 6c697665  03 6e 04 03  0d 6e6573746564 0a 01 01  01"));
    }

    @Test
    void readsSealedMembersTraitReferencesAndObjectReferences() {
        // Array (object 0) of: a P {x: 1} with inline traits (0x13 = 1 sealed member), a P {x: 2}
        // by traits reference 0 (0x01), then object reference 1 (0x02) to the first P.
        List<?> list = (List<?>) readAmf3("09 07 01  0a 13 03 50 03 78 04 01  0a 01 04 02  0a 02");
        assertEquals(List.of(new Amf0TypedObject("P", object("x", 1)), new Amf0TypedObject("P", object("x", 2)),
                new Amf0TypedObject("P", object("x", 1))), list);
        assertSame(list.get(0), list.get(2));
    }

    @Test
    void readsSealedAndDynamicMembersInOrder() {
        // 0x1b = inline, one sealed member, dynamic; class "P", sealed "x", then dynamic "y".
        assertEquals(new Amf0TypedObject("P", object("x", 1, "y", true)),
                readAmf3("0a 1b 03 50 03 78  04 01  03 79 03  01"));
    }

    @Test
    void readsAssociativeArraysAsEcmaArrays() {
        // Section 3.11: one dense element, associative part {k: 5}.
        assertValue(ecma("k", 5, "0", "v"), readAmf3("09 03  03 6b 04 05  01  06 03 76"));
    }

    @Test
    void sharesTablesAcrossTheAvmPlusValuesOfOneMessage() {
        List<Object> values = AmfHex.readAllAmf0("11 06 07 666f6f  11 06 00  11 0a 0b 01 01  11 0a 00");
        assertEquals(List.of("foo", "foo", object(), object()), values);
        assertSame(values.get(2), values.get(3));
    }

    @Test
    void rejectsExternalizableObjects() {
        MediaFormatException e = assertThrows(MediaFormatException.class,
                () -> readAmf3("0a 07 43 666c65782e6d6573736167696e672e696f2e4172726179436f6c6c656374696f6e"));
        assertEquals("AMF3 externalizable class flex.messaging.io.ArrayCollection not supported", e.getMessage());
    }
}
