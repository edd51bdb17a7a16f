package io.streamkit.codec.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;

/**
 * Fuzzes {@link AvcDecoderConfigurationRecord#parse} on avcC records, the body of a
 * publisher's AVC sequence header, and the round trip through {@link AvcDecoderConfigurationRecord#writeTo}.
 *
 * <p>Properties: parsing throws nothing but {@link MediaFormatException} and moves no index; a
 * record that parses writes {@link AvcDecoderConfigurationRecord#encodedLength()} bytes, which
 * parse to an equal record and write the same bytes again; its first SPS is the one
 * {@link H264Sps#parse} reads. Seeds: the avcC fixtures, under
 * {@code AvcDecoderConfigurationRecordFuzzTestInputs}.
 */
class AvcDecoderConfigurationRecordFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        AvcDecoderConfigurationRecord record;
        try {
            record = AvcDecoderConfigurationRecord.parse(in);
        } catch (MediaFormatException e) {
            assertEquals(0, in.readerIndex(), "reader index moved");
            return;
        }
        assertEquals(0, in.readerIndex(), "reader index moved");
        assertEquals(H264Sps.parse(record.sps().get(0)), record.firstSps(), "first SPS");
        assertNotNull(record.videoParameters());
        ByteBuf out = Unpooled.buffer();
        ByteBuf again = Unpooled.buffer();
        try {
            record.writeTo(out);
            assertEquals(record.encodedLength(), out.readableBytes(), "encodedLength and what writeTo wrote");
            AvcDecoderConfigurationRecord reparsed = AvcDecoderConfigurationRecord.parse(out);
            assertEquals(record, reparsed, "the record changed in a write and parse");
            reparsed.writeTo(again);
            assertEquals(out, again, "the record writes different bytes the second time");
        } finally {
            out.release();
            again.release();
        }
    }
}
