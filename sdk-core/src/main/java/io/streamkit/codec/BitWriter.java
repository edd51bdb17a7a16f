package io.streamkit.codec;

import java.util.Arrays;

/**
 * Writes a bitstream most significant bit first, the mirror of {@link BitReader} for the
 * few configuration structures Streamkit re-encodes (AudioSpecificConfig, ADTS headers).
 *
 * <p>It grows a heap array of at most {@value #MAX_BYTES} bytes: every structure written
 * with it is a short configuration header, so a larger one is a bug, reported with an
 * {@link IllegalStateException}. Not thread-safe.
 */
public final class BitWriter {
    /**
     * The largest output: the configuration headers written bit by bit are a few dozen
     * bytes; 4 KiB leaves room for an AAC program_config_element comment field.
     */
    public static final int MAX_BYTES = 4096;

    private byte[] bytes = new byte[16];
    private long bitPosition;

    /**
     * Creates an empty writer.
     */
    public BitWriter() {
    }

    /**
     * Appends the low {@code n} bits of {@code value}, most significant first.
     *
     * @param value the bits to write; bits above {@code n} are ignored
     * @param n number of bits, 0 to 64
     * @return this writer
     */
    public BitWriter writeBits(long value, int n) {
        if (n < 0 || n > 64) {
            throw new IllegalArgumentException("n " + n + " is outside 0..64");
        }
        for (int i = n - 1; i >= 0; i--) {
            writeBit((int) (value >>> i) & 1);
        }
        return this;
    }

    /**
     * Appends one bit.
     *
     * @param flag {@code true} for a 1 bit
     * @return this writer
     */
    public BitWriter writeFlag(boolean flag) {
        writeBit(flag ? 1 : 0);
        return this;
    }

    private void writeBit(int bit) {
        int index = (int) (bitPosition >>> 3);
        if (index >= bytes.length) {
            if (bytes.length >= MAX_BYTES) {
                throw new IllegalStateException("bit writer output exceeds " + MAX_BYTES + " bytes");
            }
            bytes = Arrays.copyOf(bytes, Math.min(MAX_BYTES, bytes.length * 2));
        }
        if (bit != 0) {
            bytes[index] |= (byte) (0x80 >>> (bitPosition & 7));
        }
        bitPosition++;
    }

    /**
     * Returns how many bits were written.
     *
     * @return the bit count
     */
    public long bitPosition() {
        return bitPosition;
    }

    /**
     * Returns the bytes written, the last one padded with zero bits.
     *
     * @return a new array of {@code ceil(bitPosition / 8)} bytes
     */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, (int) ((bitPosition + 7) >>> 3));
    }
}
