package io.streamkit.codec.h265;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;

/**
 * Fuzzes {@link HevcDecoderConfigurationRecord#parse} on hvcC records, the body of a
 * publisher's HEVC sequence header, and the round trip through
 * {@link HevcDecoderConfigurationRecord#writeTo}.
 *
 * <p>Properties: parsing throws nothing but {@link MediaFormatException} and moves no index; a
 * record that parses writes bytes that parse to a record with the same arrays and fields, which
 * writes the same bytes again; its first SPS is the one {@link H265Sps#parse} reads. Seeds: the
 * hvcC fixtures, under {@code HevcDecoderConfigurationRecordFuzzTestInputs}.
 */
class HevcDecoderConfigurationRecordFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        HevcDecoderConfigurationRecord record;
        try {
            record = HevcDecoderConfigurationRecord.parse(in);
        } catch (MediaFormatException e) {
            assertEquals(0, in.readerIndex(), "reader index moved");
            return;
        }
        assertEquals(0, in.readerIndex(), "reader index moved");
        assertEquals(H265Sps.parse(record.sps().get(0)), record.firstSps(), "first SPS");
        assertNotNull(record.videoParameters());
        ByteBuf out = Unpooled.buffer();
        ByteBuf again = Unpooled.buffer();
        try {
            record.writeTo(out);
            HevcDecoderConfigurationRecord reparsed = HevcDecoderConfigurationRecord.parse(out);
            assertEquals(record.arrays(), reparsed.arrays(), "arrays changed in a write and parse");
            assertEquals(record.firstSps(), reparsed.firstSps(), "first SPS changed in a write and parse");
            assertEquals(record.nalUnitLength(), reparsed.nalUnitLength());
            reparsed.writeTo(again);
            assertEquals(out, again, "the record writes different bytes the second time");
        } finally {
            out.release();
            again.release();
        }
    }
}
