package io.streamkit.codec.h265;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;

/**
 * Fuzzes {@link H265Sps#parse} on SPS NAL units, which a publisher sends in its HEVC sequence
 * header.
 *
 * <p>Properties: it throws nothing but {@link MediaFormatException}; the array and buffer forms
 * agree; the buffer's indexes stay; an SPS that parses is within the class's limits (a
 * non-empty picture of at most {@value H265Sps#MAX_LUMA_PICTURE_SIZE} luma samples, bit depths
 * 8 to 16, 1 to 7 sub-layers) and describes itself without throwing. Seeds: the SPS of the
 * hvcC fixtures, under {@code H265SpsFuzzTestInputs}.
 */
class H265SpsFuzzTest {

    @FuzzTest
    void parse(byte[] nal) {
        H265Sps fromArray = null;
        String arrayError = null;
        try {
            fromArray = H265Sps.parse(nal);
        } catch (MediaFormatException e) {
            arrayError = e.getMessage();
        }
        ByteBuf buf = Unpooled.buffer(nal.length + 3).writeBytes(new byte[] {9, 9, 9}).writeBytes(nal).skipBytes(3);
        H265Sps fromBuf = null;
        String bufError = null;
        try {
            fromBuf = H265Sps.parse(buf);
        } catch (MediaFormatException e) {
            bufError = e.getMessage();
        }
        assertEquals(3, buf.readerIndex(), "reader index moved");
        buf.release();
        assertEquals(fromArray, fromBuf, "array and buffer forms disagree");
        assertEquals(arrayError, bufError, "array and buffer forms fail differently");
        if (fromArray == null) {
            assertNotNull(arrayError, "no SPS and no error");
            return;
        }
        H265Sps sps = fromArray;
        assertTrue(sps.width() > 0 && sps.height() > 0, "empty picture " + sps.width() + "x" + sps.height());
        assertTrue((long) sps.width() * sps.height() <= H265Sps.MAX_LUMA_PICTURE_SIZE,
                "picture " + sps.width() + "x" + sps.height());
        assertTrue(sps.bitDepthLuma() >= 8 && sps.bitDepthLuma() <= 16, "luma bit depth " + sps.bitDepthLuma());
        assertTrue(sps.bitDepthChroma() >= 8 && sps.bitDepthChroma() <= 16, "chroma bit depth " + sps.bitDepthChroma());
        assertTrue(sps.maxSubLayers() >= 1 && sps.maxSubLayers() <= 7, "sub-layers " + sps.maxSubLayers());
        assertNotNull(sps.videoParameters());
        assertTrue(sps.frameRate() >= 0, "frame rate " + sps.frameRate());
    }
}
