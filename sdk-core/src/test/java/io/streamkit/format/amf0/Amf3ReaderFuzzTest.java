package io.streamkit.format.amf0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;

/**
 * Fuzzes {@link Amf3Reader} on the AMF3 values clients send after an AVM+ marker, alone and
 * nested in AMF0 (the same bytes behind a 0x11 marker must read as the same value).
 *
 * <p>Properties: a read throws nothing but {@link MediaFormatException}, and then leaves the
 * reader index where it was; a read that succeeds consumes at least its marker; the value read
 * through AMF0's AVM+ marker is the same. Seeds: the AMF3 tables of the unit tests, under
 * {@code Amf3ReaderFuzzTestInputs}.
 */
class Amf3ReaderFuzzTest {

    @FuzzTest
    void read(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        Object value;
        try {
            value = Amf3Reader.read(in);
        } catch (MediaFormatException e) {
            assertEquals(0, in.readerIndex(), "reader index after a failed read");
            return;
        }
        int consumed = in.readerIndex();
        assertTrue(consumed > 0, "a value read from no bytes");
        byte[] wrapped = new byte[1 + consumed];
        wrapped[0] = (byte) Amf0.AVMPLUS_OBJECT;
        System.arraycopy(input, 0, wrapped, 1, consumed);
        ByteBuf avm = Unpooled.wrappedBuffer(wrapped);
        Object nested = Amf0Reader.read(avm);
        assertEquals(wrapped.length, avm.readerIndex(), "AMF0 read the AVM+ value to a different length");
        assertTrue(AmfValues.same(value, nested), "the same AMF3 bytes read differently behind an AVM+ marker");
    }
}
