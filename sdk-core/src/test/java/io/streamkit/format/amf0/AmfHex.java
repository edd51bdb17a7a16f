package io.streamkit.format.amf0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** Hex tables in, hex out, every buffer released whatever the test does. */
final class AmfHex {
    private AmfHex() {
    }

    /** Drops spaces and line breaks so tables can be laid out as the bytes group. */
    static String clean(String hex) {
        return hex.replaceAll("\\s", "").toLowerCase();
    }

    static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(clean(hex));
    }

    /** Applies {@code read} to the bytes and checks it consumed all of them. */
    static <T> T read(String hex, Function<ByteBuf, T> read) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes(hex));
        try {
            T value = read.apply(buf);
            assertEquals(0, buf.readableBytes(), "bytes left after the value");
            return value;
        } finally {
            buf.release();
        }
    }

    static Object readAmf0(String hex) {
        return read(hex, Amf0Reader::read);
    }

    static List<Object> readAllAmf0(String hex) {
        return read(hex, Amf0Reader::readAll);
    }

    /** Runs {@code write} against a fresh buffer and returns what it wrote as hex. */
    static String write(Consumer<ByteBuf> write) {
        ByteBuf buf = Unpooled.buffer();
        try {
            write.accept(buf);
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    /** Compares hex, naming the first differing byte offset. */
    static void assertHex(String expected, String actual) {
        String e = clean(expected);
        String a = clean(actual);
        int n = Math.min(e.length(), a.length());
        for (int i = 0; i < n; i += 2) {
            if (!e.regionMatches(i, a, i, 2)) {
                fail("bytes differ at offset " + i / 2 + "\nexpected " + e + "\nactual   " + a);
            }
        }
        if (e.length() != a.length()) {
            fail("length differs: expected " + e.length() / 2 + " bytes, got " + a.length() / 2 + "\nexpected "
                    + e + "\nactual   " + a);
        }
    }

    /** Deep equality that also tells an ECMA array from an object and compares byte arrays by content. */
    static void assertValue(Object expected, Object actual) {
        assertEquals(expected, actual);
        assertTypes(expected, actual, "value");
    }

    private static void assertTypes(Object expected, Object actual, String path) {
        if (expected == null) {
            return;
        }
        if (expected instanceof Map<?, ?> e) {
            assertEquals(e instanceof Amf0EcmaArray, actual instanceof Amf0EcmaArray, path + " ECMA array or object");
            Map<?, ?> a = (Map<?, ?>) actual;
            assertEquals(List.copyOf(e.keySet()), List.copyOf(a.keySet()), path + " key order");
            e.forEach((k, v) -> assertTypes(v, a.get(k), path + "." + k));
        } else if (expected instanceof List<?> e) {
            List<?> a = (List<?>) actual;
            for (int i = 0; i < e.size(); i++) {
                assertTypes(e.get(i), a.get(i), path + "[" + i + "]");
            }
        } else if (expected instanceof Amf0TypedObject e) {
            assertTypes(e.properties(), ((Amf0TypedObject) actual).properties(), path);
        } else {
            assertEquals(expected.getClass(), actual.getClass(), path + " type");
        }
    }
}
