package io.streamkit.codec.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Fuzzes {@link H264AccessUnits#isRandomAccessPoint} on length-prefixed access units, which a
 * publisher sends as its video frames.
 *
 * <p>Properties: for every NAL unit length size it never throws and moves no index, and its
 * answer is that of a plain walk written here from the class's contract (an IDR slice in a
 * well-formed access unit). Seeds: the access units of the open-GOP fixture, under
 * {@code H264AccessUnitsFuzzTestInputs} (the input's last byte picks the length size).
 */
class H264AccessUnitsFuzzTest {
    private static final int[] LENGTH_SIZES = {1, 2, 4};

    @FuzzTest
    void isRandomAccessPoint(FuzzedDataProvider data) {
        int size = data.pickValue(LENGTH_SIZES);
        byte[] au = data.consumeRemainingAsBytes();
        ByteBuf buf = Unpooled.wrappedBuffer(au);
        boolean answer = H264AccessUnits.isRandomAccessPoint(buf, size);
        assertEquals(0, buf.readerIndex(), "reader index moved");
        assertEquals(expected(au, size), answer, "random access point");
    }

    /** The contract, walked over an array: every NAL unit whole, none with forbidden_zero_bit, one an IDR slice. */
    static boolean expected(byte[] au, int size) {
        boolean idr = false;
        int i = 0;
        while (i < au.length) {
            if (au.length - i < size) {
                return false;
            }
            long length = 0;
            for (int k = 0; k < size; k++) {
                length = length << 8 | (au[i + k] & 0xff);
            }
            i += size;
            if (length > au.length - i) {
                return false;
            }
            if (length > 0) {
                if ((au[i] & 0x80) != 0) {
                    return false;
                }
                idr |= (au[i] & 0x1f) == H264AccessUnits.NAL_IDR_SLICE;
            }
            i += (int) length;
        }
        return idr;
    }
}
