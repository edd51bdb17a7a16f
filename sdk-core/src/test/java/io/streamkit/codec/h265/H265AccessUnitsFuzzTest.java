package io.streamkit.codec.h265;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Fuzzes {@link H265AccessUnits#isRandomAccessPoint} on length-prefixed access units, which a
 * publisher sends as its video frames.
 *
 * <p>Properties: for every NAL unit length size it never throws and moves no index, and its
 * answer is that of a plain walk written here from the class's contract (an IRAP slice of the
 * base layer in a well-formed access unit). Seeds: the access units of the HEVC fixtures, under
 * {@code H265AccessUnitsFuzzTestInputs} (the input's last byte picks the length size).
 */
class H265AccessUnitsFuzzTest {
    private static final int[] LENGTH_SIZES = {1, 2, 4};

    @FuzzTest
    void isRandomAccessPoint(FuzzedDataProvider data) {
        int size = data.pickValue(LENGTH_SIZES);
        byte[] au = data.consumeRemainingAsBytes();
        ByteBuf buf = Unpooled.wrappedBuffer(au);
        boolean answer = H265AccessUnits.isRandomAccessPoint(buf, size);
        assertEquals(0, buf.readerIndex(), "reader index moved");
        assertEquals(expected(au, size), answer, "random access point");
    }

    /** The contract, walked over an array: NAL units whole, headers valid, one an IRAP slice of layer 0. */
    static boolean expected(byte[] au, int size) {
        boolean irap = false;
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
            if (length == 1) {
                return false;
            }
            if (length > 0) {
                int header = (au[i] & 0xff) << 8 | (au[i + 1] & 0xff);
                boolean forbidden = (header & 0x8000) != 0;
                int type = header >> 9 & 0x3f;
                int layer = header >> 3 & 0x3f;
                int temporalIdPlus1 = header & 0x7;
                if (forbidden || temporalIdPlus1 == 0) {
                    return false;
                }
                irap |= layer == 0 && type >= H265AccessUnits.FIRST_IRAP && type <= H265AccessUnits.LAST_IRAP;
            }
            i += (int) length;
        }
        return irap;
    }
}
