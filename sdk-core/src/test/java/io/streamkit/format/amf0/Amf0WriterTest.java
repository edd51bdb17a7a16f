package io.streamkit.format.amf0;

import static io.streamkit.format.amf0.Amf0TypesTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the writer refuses, and that a refusal leaves nothing half-written. */
class Amf0WriterTest {

    private static IllegalArgumentException refused(Object... values) {
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeByte(0x42);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Amf0Writer.writeAll(out, values));
            assertEquals(1, out.writerIndex(), "half-written bytes stayed");
            return e;
        } finally {
            out.release();
        }
    }

    @Test
    void refusesTypesItCannotWriteNamingThem() {
        assertEquals("AMF0 cannot write a java.util.UUID", refused("ok", 1.0, UUID.randomUUID()).getMessage());
        assertEquals("AMF0 cannot write a [B", refused(object("bytes", new byte[1])).getMessage());
    }

    @Test
    void refusesNamesThatAreNotStrings() {
        Map<Object, Object> map = new HashMap<>();
        map.put(1, "one");
        assertEquals("AMF0 property names are strings, not java.lang.Integer", refused(map).getMessage());
    }

    @Test
    void refusesNamesLongerThanAU16() {
        assertEquals("AMF0 name of 65536 UTF-8 bytes exceeds 65535",
                refused(object("a".repeat(65536), 1.0)).getMessage());
    }

    @Test
    void refusesValuesThatContainThemselves() {
        List<Object> list = new ArrayList<>();
        list.add(list);
        IllegalArgumentException e = refused(list);
        assertTrue(e.getMessage().startsWith("AMF0 nesting deeper than 64"), e.getMessage());
    }

    @Test
    void writesTheDeepestValueTheReaderAccepts() {
        Object value = object();
        for (int i = 1; i < Amf0Reader.MAX_DEPTH; i++) {
            value = object("a", value);
        }
        Object deepest = value;
        String hex = AmfHex.write(out -> Amf0Writer.write(out, deepest));
        assertEquals(deepest, AmfHex.readAmf0(hex));
        refused(object("a", deepest));
    }
}
