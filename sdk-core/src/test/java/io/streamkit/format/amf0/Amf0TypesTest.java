package io.streamkit.format.amf0;

import static io.streamkit.format.amf0.AmfHex.assertHex;
import static io.streamkit.format.amf0.AmfHex.assertValue;
import static io.streamkit.format.amf0.AmfHex.readAmf0;
import static io.streamkit.format.amf0.AmfHex.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each AMF0 type against the bytes its section of the AMF0 spec (Adobe, 2006) gives, both ways. */
class Amf0TypesTest {

    static Stream<Arguments> types() {
        return Stream.of(
                Arguments.of("number 0 (2.2)", 0.0, "00 0000000000000000"),
                Arguments.of("number 1 (2.2)", 1.0, "00 3ff0000000000000"),
                Arguments.of("number -2.5 (2.2)", -2.5, "00 c004000000000000"),
                Arguments.of("number NaN (2.2)", Double.NaN, "00 7ff8000000000000"),
                Arguments.of("boolean true (2.3)", true, "01 01"),
                Arguments.of("boolean false (2.3)", false, "01 00"),
                Arguments.of("empty string (2.4)", "", "02 0000"),
                Arguments.of("string (2.4)", "live", "02 0004 6c697665"),
                Arguments.of("string of two-byte UTF-8 (2.4)", "é", "02 0002 c3a9"),
                Arguments.of("string of four-byte UTF-8 (2.4)", "\uD83C\uDFA5", "02 0004 f09f8ea5"),
                Arguments.of("empty object (2.5)", new LinkedHashMap<>(), "03 000009"),
                Arguments.of("object (2.5)", object("a", 1.0, "b", "x"),
                        "03 0001 61 00 3ff0000000000000  0001 62 02 0001 78  000009"),
                Arguments.of("null (2.7)", null, "05"),
                Arguments.of("undefined (2.8)", Amf0.UNDEFINED, "06"),
                Arguments.of("ECMA array (2.10)", ecma("a", true), "08 00000001 0001 61 01 01 000009"),
                Arguments.of("empty ECMA array (2.10)", new Amf0EcmaArray(), "08 00000000 000009"),
                Arguments.of("strict array (2.12)", new ArrayList<>(List.of(1.0, "a")),
                        "0a 00000002 00 3ff0000000000000 02 0001 61"),
                Arguments.of("empty strict array (2.12)", new ArrayList<>(), "0a 00000000"),
                Arguments.of("date (2.13)", Instant.ofEpochMilli(1000), "0b 408f400000000000 0000"),
                Arguments.of("date before the epoch (2.13)", Instant.ofEpochMilli(-1), "0b bff0000000000000 0000"),
                Arguments.of("XML document (2.17)", new Amf0XmlDocument("<a/>"), "0f 00000004 3c612f3e"),
                Arguments.of("typed object (2.18)", new Amf0TypedObject("Foo", object("x", 2.0)),
                        "10 0003 466f6f 0001 78 00 4000000000000000 000009"),
                Arguments.of("nested object, array and null", object("list", new ArrayList<>(List.of(object())),
                        "n", null), "03 0004 6c697374 0a 00000001 03 000009 0001 6e 05 000009"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void encodesToTheSpecBytes(String name, Object value, String hex) {
        assertHex(hex, write(out -> Amf0Writer.write(out, value)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void decodesTheSpecBytes(String name, Object value, String hex) {
        assertValue(value, readAmf0(hex));
    }

    @Test
    void choosesLongStringPast65535Utf8Bytes() {
        String longest = "a".repeat(0xffff);
        String hex = write(out -> Amf0Writer.write(out, longest));
        assertHex("02 ffff", hex.substring(0, 6));
        assertEquals(longest, readAmf0(hex));

        // 32768 two-byte characters: 65536 bytes, one past what a U16 length holds (2.14).
        String wide = "é".repeat(0x8000);
        hex = write(out -> Amf0Writer.write(out, wide));
        assertHex("0c 00010000 c3a9", hex.substring(0, 14));
        assertEquals(1 + 4 + 0x10000, hex.length() / 2);
        assertEquals(wide, readAmf0(hex));
    }

    @Test
    void readsLongStringsAndUnsupportedAsTheirKin() {
        assertEquals("ab", readAmf0("0c 00000002 6162"));
        assertSame(Amf0.UNDEFINED, readAmf0("0d"));
        // A typed object with an empty class name has nothing to name: an anonymous object.
        assertValue(object("x", true), readAmf0("10 0000 0001 78 0101 000009"));
        // An empty name not followed by object-end is a property named "".
        assertValue(object("", 1.0), readAmf0("03 0000 00 3ff0000000000000 000009"));
    }

    @Test
    void writesEveryNumberAndDateTypeAsTheSpecTypes() {
        assertHex("00 4008000000000000", write(out -> Amf0Writer.write(out, 3)));
        assertHex("00 4008000000000000", write(out -> Amf0Writer.write(out, 3L)));
        assertHex("00 3ff8000000000000", write(out -> Amf0Writer.write(out, 1.5f)));
        assertHex("0b 408f400000000000 0000", write(out -> Amf0Writer.write(out, new Date(1000))));
        assertHex("02 0002 6869", write(out -> Amf0Writer.write(out, new StringBuilder("hi"))));
    }

    @Test
    void keepsFractionalMilliseconds() {
        Instant instant = Instant.ofEpochSecond(1_700_000_000L, 250_000_000L);
        assertEquals(instant, readAmf0(write(out -> Amf0Writer.write(out, instant))));
        assertEquals(Instant.ofEpochMilli(1).plusNanos(500_000), readAmf0("0b 3ff8000000000000 0000"));
    }

    @Test
    void ignoresTheReservedTimeZone() {
        assertEquals(Instant.ofEpochMilli(1000), readAmf0("0b 408f400000000000 ff88"));
    }

    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static Amf0EcmaArray ecma(Object... keysAndValues) {
        return new Amf0EcmaArray(object(keysAndValues));
    }
}
