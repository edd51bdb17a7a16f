package io.streamkit.http.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** RFC 8259 output: every escape in a table, then numbers, nesting and the odd values. */
class JsonWriterTest {

    static List<Arguments> strings() {
        return List.of(
                Arguments.of("plain", "\"plain\""),
                Arguments.of("", "\"\""),
                Arguments.of("say \"hi\"", "\"say \\\"hi\\\"\""),
                Arguments.of("C:\\dir", "\"C:\\\\dir\""),
                Arguments.of("a/b", "\"a/b\""),                         // solidus may stay as it is
                Arguments.of("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\""),
                Arguments.of("\u0000", "\"\\u0000\""),
                Arguments.of("\u0001\u001f", "\"\\u0001\\u001f\""),
                Arguments.of("\u007f", "\"\u007f\""),                   // DEL is not a control character in JSON
                Arguments.of("caf\u00e9 \u6f22", "\"caf\u00e9 \u6f22\""),  // non-ASCII stays as UTF-8
                Arguments.of("\ud83c\udfa5", "\"\ud83c\udfa5\""),       // a surrogate pair stays whole
                Arguments.of("x\ud83c", "\"x\\ud83c\""),                // a lone high surrogate is escaped
                Arguments.of("\udfa5y", "\"\\udfa5y\""),                // a lone low surrogate is escaped
                Arguments.of("\u2028\u2029", "\"\\u2028\\u2029\""));    // JavaScript line ends
    }

    @ParameterizedTest
    @MethodSource("strings")
    void stringsAreEscapedPerRfc8259(String in, String json) {
        assertEquals(json, JsonWriter.write(in));
    }

    @Test
    void scalars() {
        assertEquals("null", JsonWriter.write(null));
        assertEquals("true", JsonWriter.write(true));
        assertEquals("false", JsonWriter.write(false));
        assertEquals("42", JsonWriter.write(42));
        assertEquals("-9223372036854775808", JsonWriter.write(Long.MIN_VALUE));
        assertEquals("25.0", JsonWriter.write(25.0));
        assertEquals("0.5", JsonWriter.write(0.5f));
        assertEquals("null", JsonWriter.write(Double.NaN));
        assertEquals("null", JsonWriter.write(Double.POSITIVE_INFINITY));
        assertEquals("\"VIDEO\"", JsonWriter.write(io.streamkit.stream.MediaType.VIDEO));
        assertEquals("null", JsonWriter.write(Optional.empty()));
    }

    @Test
    void mapsAndListsNest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "cam \"1\"");
        m.put("tracks", List.of(Map.of("id", 0), Map.of("id", 1)));
        m.put("empty", List.of());
        m.put("none", null);
        m.put("players", new LinkedHashMap<>(Map.of("rtmp", 1)));
        m.put("array", new Object[] {1, "two"});
        assertEquals("{\"name\":\"cam \\\"1\\\"\",\"tracks\":[{\"id\":0},{\"id\":1}],\"empty\":[],\"none\":null,"
                + "\"players\":{\"rtmp\":1},\"array\":[1,\"two\"]}", JsonWriter.write(m));
    }

    @Test
    void keysAreEscapedToo() {
        assertEquals("{\"a\\\"b\":1}", JsonWriter.write(Map.of("a\"b", 1)));
    }

    @Test
    void aCycleIsRefusedNotOverflowed() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(cycle));
        assertEquals("[[1]]", JsonWriter.write(Arrays.asList(List.of(1))));
    }
}
