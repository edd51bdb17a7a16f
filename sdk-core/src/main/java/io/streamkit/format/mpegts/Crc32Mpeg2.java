package io.streamkit.format.mpegts;

import io.netty.buffer.ByteBuf;

/**
 * CRC-32/MPEG-2 of PSI sections (ISO/IEC 13818-1 Annex A): polynomial 0x04C11DB7, initial
 * value 0xFFFFFFFF, bits not reflected, no final XOR. Its check value over the ASCII bytes
 * {@code "123456789"} is 0x0376E6E7. A section whose CRC_32 field is included sums to 0.
 */
final class Crc32Mpeg2 {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                c = (c & 0x80000000) != 0 ? c << 1 ^ 0x04C11DB7 : c << 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc32Mpeg2() {
    }

    /**
     * Computes the CRC of {@code length} bytes of {@code buf} from {@code index}.
     *
     * @param buf the bytes; read by absolute index, indexes untouched
     * @param index the first byte
     * @param length how many bytes
     * @return the CRC as an unsigned 32-bit value in an int
     */
    static int compute(ByteBuf buf, int index, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = index, end = index + length; i < end; i++) {
            crc = crc << 8 ^ TABLE[(crc >>> 24 ^ buf.getByte(i)) & 0xff];
        }
        return crc;
    }
}
