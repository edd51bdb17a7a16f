package io.streamkit.codec.av1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;

/**
 * Fuzzes {@link Av1SequenceHeader#find} on OBU sequences (the configOBUs of an av1C, an AV1
 * temporal unit) and {@link Av1SequenceHeader#parsePayload} on the same bytes as a bare payload.
 *
 * <p>Properties: both throw nothing but {@link MediaFormatException}; the array and buffer forms
 * of {@code find} agree and leave the buffer's indexes; a header found is within its syntax's
 * ranges (profile 0 to 2, frame sizes 1 to 65536, bit depth 8, 10 or 12) and describes itself
 * without throwing. Seeds: the configOBUs of the av1C fixtures, under
 * {@code Av1SequenceHeaderFuzzTestInputs}.
 */
class Av1SequenceHeaderFuzzTest {

    @FuzzTest
    void find(byte[] obus) {
        Av1SequenceHeader fromArray = null;
        String arrayError = null;
        try {
            fromArray = Av1SequenceHeader.find(obus);
        } catch (MediaFormatException e) {
            arrayError = e.getMessage();
        }
        ByteBuf buf = Unpooled.buffer(obus.length + 1).writeByte(0x80).writeBytes(obus).skipBytes(1);
        Av1SequenceHeader fromBuf = null;
        String bufError = null;
        try {
            fromBuf = Av1SequenceHeader.find(buf);
        } catch (MediaFormatException e) {
            bufError = e.getMessage();
        }
        assertEquals(1, buf.readerIndex(), "reader index moved");
        buf.release();
        assertEquals(fromArray, fromBuf, "array and buffer forms disagree");
        assertEquals(arrayError, bufError, "array and buffer forms fail differently");
        if (fromArray != null) {
            check(fromArray);
        }
        try {
            check(Av1SequenceHeader.parsePayload(obus));
        } catch (MediaFormatException e) {
            // declared
        }
    }

    private static void check(Av1SequenceHeader h) {
        assertTrue(h.seqProfile() >= 0 && h.seqProfile() <= 2, "seq_profile " + h.seqProfile());
        assertTrue(h.maxFrameWidth() >= 1 && h.maxFrameWidth() <= 65536, "width " + h.maxFrameWidth());
        assertTrue(h.maxFrameHeight() >= 1 && h.maxFrameHeight() <= 65536, "height " + h.maxFrameHeight());
        assertTrue(h.bitDepth() == 8 || h.bitDepth() == 10 || h.bitDepth() == 12, "bit depth " + h.bitDepth());
        assertNotNull(h.videoParameters());
        assertTrue(h.frameRate() >= 0, "frame rate " + h.frameRate());
    }
}
