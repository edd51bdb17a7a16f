package io.streamkit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Test helpers for the codec fixtures made by {@code src/test/resources/codec/make-fixtures.sh}
 * and for buffers that must be released whatever the test does.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** Reads {@code /codec/<name>} from the test class path. */
    public static byte[] read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/codec/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /codec/" + name + "; run make-fixtures.sh");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses hex with optional spaces, for hand-made inputs. */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /**
     * Wraps {@code bytes} in a buffer that starts with a junk byte (so a parser that
     * assumes index 0 fails), applies {@code parse}, checks the reader index did not move,
     * and releases the buffer.
     */
    public static <T> T parse(byte[] bytes, Function<ByteBuf, T> parse) {
        ByteBuf buf = Unpooled.buffer(bytes.length + 1);
        try {
            buf.writeByte(0xee).writeBytes(bytes).readByte();
            T result = parse.apply(buf);
            assertEquals(1, buf.readerIndex(), "parse moved the reader index");
            return result;
        } finally {
            buf.release();
        }
    }

    /** Runs {@code write} against a fresh buffer and returns what it wrote; releases the buffer. */
    public static byte[] write(Consumer<ByteBuf> write) {
        ByteBuf buf = Unpooled.buffer();
        try {
            write.accept(buf);
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    /** Asserts two byte arrays are equal, naming the first differing offset. */
    public static void assertBytes(byte[] expected, byte[] actual) {
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (expected[i] != actual[i]) {
                fail(String.format("bytes differ at offset %d: expected %02x, got %02x%nexpected %s%nactual   %s",
                        i, expected[i], actual[i], HexFormat.of().formatHex(expected), HexFormat.of().formatHex(actual)));
            }
        }
        if (expected.length != actual.length) {
            fail("length differs: expected " + expected.length + ", got " + actual.length + " (first "
                    + n + " bytes equal)");
        }
    }
}
