package io.streamkit.codec.aac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;

/**
 * Fuzzes {@link AudioSpecificConfig#parse} on AudioSpecificConfigs, the body of a publisher's
 * AAC sequence header, and the round trip through {@link AudioSpecificConfig#toByteArray()}.
 *
 * <p>Properties: parsing throws nothing but {@link MediaFormatException}; the array and buffer
 * forms agree; the buffer's indexes stay; a config that parses describes itself without
 * throwing; one the writer supports (object types 1 to 4 with a channel configuration) parses
 * back equal from what it writes, and an ADTS header for it is 7 bytes. Seeds: the .asc
 * fixtures and the unit tests' tables, under {@code AudioSpecificConfigFuzzTestInputs}.
 */
class AudioSpecificConfigFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        AudioSpecificConfig fromArray = null;
        String arrayError = null;
        try {
            fromArray = AudioSpecificConfig.parse(input);
        } catch (MediaFormatException e) {
            arrayError = e.getMessage();
        }
        ByteBuf buf = Unpooled.buffer(input.length + 2).writeBytes(new byte[] {7, 7}).writeBytes(input).skipBytes(2);
        AudioSpecificConfig fromBuf = null;
        String bufError = null;
        try {
            fromBuf = AudioSpecificConfig.parse(buf);
        } catch (MediaFormatException e) {
            bufError = e.getMessage();
        }
        assertEquals(2, buf.readerIndex(), "reader index moved");
        buf.release();
        assertEquals(fromArray, fromBuf, "array and buffer forms disagree");
        assertEquals(arrayError, bufError, "array and buffer forms fail differently");
        if (fromArray == null) {
            return;
        }
        AudioSpecificConfig asc = fromArray;
        assertNotNull(asc.audioParameters());
        assertTrue(asc.channels() >= 0, "channels " + asc.channels());
        if (asc.audioObjectType() < 1 || asc.audioObjectType() > 4 || asc.channelConfiguration() == 0) {
            return; // the writer refuses these, as it documents
        }
        byte[] written = asc.toByteArray();
        assertEquals(asc, AudioSpecificConfig.parse(written), "the config changed in a write and parse");
        if (asc.samplingFrequencyIndex() < 13 && asc.channelConfiguration() <= 7) {
            ByteBuf adts = Unpooled.buffer();
            try {
                asc.writeAdtsHeader(adts, 100);
                assertEquals(AudioSpecificConfig.ADTS_HEADER_LENGTH, adts.readableBytes(), "ADTS header length");
            } finally {
                adts.release();
            }
        }
    }
}
