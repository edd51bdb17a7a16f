package io.streamkit.codec.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;

/**
 * Fuzzes {@link H264Sps#parse} on SPS NAL units, which a publisher sends in its AVC sequence
 * header or in band.
 *
 * <p>Properties: it throws nothing but {@link MediaFormatException}; the array and buffer forms
 * agree (the same SPS, or the same message); the buffer's indexes stay; an SPS that parses is
 * within the class's limits (a non-empty picture of at most
 * {@value H264Sps#MAX_FRAME_SIZE_IN_MBS} macroblocks, bit depths 8 to 14) and describes itself
 * without throwing. Seeds: the SPS of the avcC fixtures, under {@code H264SpsFuzzTestInputs}.
 */
class H264SpsFuzzTest {

    @FuzzTest
    void parse(byte[] nal) {
        H264Sps fromArray = null;
        String arrayError = null;
        try {
            fromArray = H264Sps.parse(nal);
        } catch (MediaFormatException e) {
            arrayError = e.getMessage();
        }
        ByteBuf buf = Unpooled.buffer(nal.length + 3).writeBytes(new byte[] {9, 9, 9}).writeBytes(nal).skipBytes(3);
        H264Sps fromBuf = null;
        String bufError = null;
        try {
            fromBuf = H264Sps.parse(buf);
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
        H264Sps sps = fromArray;
        assertTrue(sps.width() > 0 && sps.height() > 0, "empty picture " + sps.width() + "x" + sps.height());
        assertTrue((long) sps.width() * sps.height() <= 256L * H264Sps.MAX_FRAME_SIZE_IN_MBS,
                "picture " + sps.width() + "x" + sps.height());
        assertTrue(sps.bitDepthLuma() >= 8 && sps.bitDepthLuma() <= 14, "luma bit depth " + sps.bitDepthLuma());
        assertTrue(sps.bitDepthChroma() >= 8 && sps.bitDepthChroma() <= 14, "chroma bit depth " + sps.bitDepthChroma());
        assertTrue(sps.seqParameterSetId() <= 31, "seq_parameter_set_id " + sps.seqParameterSetId());
        assertNotNull(sps.videoParameters());
        assertTrue(sps.frameRate() >= 0, "frame rate " + sps.frameRate());
    }
}
