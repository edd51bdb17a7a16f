package io.streamkit.codec.av1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;

/**
 * Fuzzes {@link Av1CodecConfigurationRecord#parse} on av1C records, the body of a publisher's
 * Enhanced RTMP {@code av01} sequence start, and the round trip through
 * {@link Av1CodecConfigurationRecord#writeTo}.
 *
 * <p>Properties: parsing (and the sequence header search in the configOBUs) throws nothing but
 * {@link MediaFormatException} and moves no index; a record that parses writes bytes that parse
 * to an equal record; it describes itself without throwing. Seeds: the av1C fixtures, under
 * {@code Av1CodecConfigurationRecordFuzzTestInputs}.
 */
class Av1CodecConfigurationRecordFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        Av1CodecConfigurationRecord record;
        try {
            record = Av1CodecConfigurationRecord.parse(in);
        } catch (MediaFormatException e) {
            assertEquals(0, in.readerIndex(), "reader index moved");
            return;
        }
        assertEquals(0, in.readerIndex(), "reader index moved");
        assertNotNull(record.videoParameters());
        ByteBuf out = Unpooled.buffer();
        try {
            record.writeTo(out);
            assertEquals(record, Av1CodecConfigurationRecord.parse(out), "the record changed in a write and parse");
        } finally {
            out.release();
        }
    }
}
