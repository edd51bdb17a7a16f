package io.streamkit.format.amf0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import java.util.List;

/**
 * Fuzzes {@link Amf0Reader} on RTMP command and data bodies, which come straight from a peer,
 * and the round trip of what it reads through {@link Amf0Writer}.
 *
 * <p>Properties: a read throws nothing but {@link MediaFormatException}, and then leaves the
 * reader index where it was; a read that succeeds consumes its bytes; {@code read} agrees with
 * the first value of {@code readAll}; what was read, written back, reads as the same values
 * (when the writer can write it, see {@link AmfValues#writable}). Seeds: the command and
 * metadata bodies of the unit tests' tables, under {@code Amf0ReaderFuzzTestInputs}.
 */
class Amf0ReaderFuzzTest {

    @FuzzTest
    void readAll(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        List<Object> values;
        try {
            values = Amf0Reader.readAll(in);
        } catch (MediaFormatException e) {
            assertEquals(0, in.readerIndex(), "reader index after a failed readAll");
            return;
        }
        assertFalse(in.isReadable(), "readAll left bytes");
        if (values.isEmpty()) {
            return;
        }
        ByteBuf one = Unpooled.wrappedBuffer(input);
        Object first = Amf0Reader.read(one);
        assertTrue(AmfValues.same(values.get(0), first), "read and readAll disagree on the first value");
        assertTrue(one.readerIndex() > 0, "read consumed nothing");
        roundTrip(values);
    }

    private static void roundTrip(List<Object> values) {
        ByteBuf out = Unpooled.buffer();
        try {
            boolean writable = values.stream().allMatch(v -> AmfValues.writable(v, 0));
            if (!writable) {
                assertThrows(IllegalArgumentException.class, () -> Amf0Writer.writeAll(out, values.toArray()));
                assertEquals(0, out.writerIndex(), "the writer left a half-written value");
                return;
            }
            Amf0Writer.writeAll(out, values.toArray());
            List<Object> again = Amf0Reader.readAll(out);
            assertTrue(AmfValues.same(values, again), "values changed in a write and read: " + values + " became " + again);
        } finally {
            out.release();
        }
    }
}
