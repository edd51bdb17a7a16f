package io.streamkit.codec;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Reads a bitstream most significant bit first, as the H.264, H.265, AV1 and AAC
 * specifications write their syntax elements.
 *
 * <p>It reads either a {@code byte[]} range or a {@link ByteBuf} region by absolute index,
 * so the buffer's reader index never moves and nothing is copied. Every read is bounded:
 * reading past the end, or an Exp-Golomb code whose prefix is longer than
 * {@value #MAX_EXP_GOLOMB_LEADING_ZEROS} zero bits, throws {@link MediaFormatException}
 * instead of looping or returning garbage.
 *
 * <p>It is not thread-safe: one parser owns one reader. It does not own the buffer it
 * reads; the buffer must stay readable while the reader is used.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264 7.2 (read_bits) and 9.1 (Exp-Golomb codes)</a>
 */
public final class BitReader {
    /**
     * The longest Exp-Golomb prefix accepted: ue(v) values in H.264 and H.265 are at most
     * 2<sup>32</sup> - 2 (ITU-T H.264 9.1), which takes 31 leading zero bits. A longer
     * prefix is a corrupt or hostile stream, never a valid code.
     */
    public static final int MAX_EXP_GOLOMB_LEADING_ZEROS = 31;

    private final byte[] array;
    private final ByteBuf buf;
    private final int start;
    private final long bitLength;
    private long bitPosition;

    private BitReader(byte[] array, ByteBuf buf, int start, int length) {
        this.array = array;
        this.buf = buf;
        this.start = start;
        this.bitLength = (long) length * 8;
    }

    /**
     * Creates a reader over a whole array.
     *
     * @param data the bytes to read; not copied, must not change while read
     * @return a reader positioned at the first bit
     */
    public static BitReader of(byte[] data) {
        return new BitReader(data, null, 0, data.length);
    }

    /**
     * Creates a reader over {@code length} bytes of an array from {@code offset}.
     *
     * @param data the bytes to read; not copied, must not change while read
     * @param offset index of the first byte
     * @param length number of bytes
     * @return a reader positioned at the first bit
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public static BitReader of(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        return new BitReader(data, null, offset, length);
    }

    /**
     * Creates a reader over {@code length} bytes of a buffer from the absolute {@code index}.
     *
     * <p>The reader uses absolute gets: the buffer's indexes are never moved and its
     * reference count is not touched. The caller keeps ownership and must keep the buffer
     * alive while reading.
     *
     * @param buf the buffer to read
     * @param index absolute index of the first byte
     * @param length number of bytes
     * @return a reader positioned at the first bit
     * @throws IndexOutOfBoundsException if the region is outside the buffer's capacity
     */
    public static BitReader of(ByteBuf buf, int index, int length) {
        java.util.Objects.checkFromIndexSize(index, length, buf.capacity());
        return new BitReader(null, buf, index, length);
    }

    /**
     * Reads {@code n} bits as an unsigned number, most significant bit first.
     *
     * @param n number of bits, 0 to 32; with 32 the result is the raw bit pattern
     *     (use {@link Integer#toUnsignedLong(int)} for the value)
     * @return the bits read
     * @throws MediaFormatException if fewer than {@code n} bits are left
     * @throws IllegalArgumentException if {@code n} is outside 0 to 32
     */
    public int readBits(int n) {
        if (n < 0 || n > 32) {
            throw new IllegalArgumentException("n " + n + " is outside 0..32");
        }
        return (int) readBitsLong(n);
    }

    /**
     * Reads {@code n} bits as an unsigned number, most significant bit first.
     *
     * @param n number of bits, 0 to 64
     * @return the bits read
     * @throws MediaFormatException if fewer than {@code n} bits are left
     * @throws IllegalArgumentException if {@code n} is outside 0 to 64
     */
    public long readBitsLong(int n) {
        if (n < 0 || n > 64) {
            throw new IllegalArgumentException("n " + n + " is outside 0..64");
        }
        require(n);
        long value = 0;
        for (int i = 0; i < n; i++) {
            value = (value << 1) | bitAt(bitPosition++);
        }
        return value;
    }

    /**
     * Reads one bit.
     *
     * @return 0 or 1
     * @throws MediaFormatException if no bit is left
     */
    public int readBit() {
        require(1);
        return bitAt(bitPosition++);
    }

    /**
     * Reads one bit as a flag.
     *
     * @return {@code true} for a 1 bit
     * @throws MediaFormatException if no bit is left
     */
    public boolean readFlag() {
        return readBit() != 0;
    }

    /**
     * Reads an unsigned Exp-Golomb code, ue(v) (ITU-T H.264 9.1).
     *
     * @return the decoded value, 0 to {@link Integer#MAX_VALUE}
     * @throws MediaFormatException if the prefix is longer than
     *     {@value #MAX_EXP_GOLOMB_LEADING_ZEROS} zero bits, the value does not fit an
     *     {@code int}, or the code runs past the end
     */
    public int readUe() {
        long value = readUeLong();
        if (value > Integer.MAX_VALUE) {
            throw new MediaFormatException("Exp-Golomb value " + value + " exceeds " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /**
     * Reads a signed Exp-Golomb code, se(v) (ITU-T H.264 9.1.1).
     *
     * @return the decoded value
     * @throws MediaFormatException if the code is longer than allowed or runs past the end
     */
    public int readSe() {
        long code = readUeLong();
        long magnitude = (code + 1) >> 1;
        return (int) ((code & 1) != 0 ? magnitude : -magnitude);
    }

    private long readUeLong() {
        int leadingZeros = 0;
        while (readBit() == 0) {
            leadingZeros++;
            if (leadingZeros > MAX_EXP_GOLOMB_LEADING_ZEROS) {
                throw new MediaFormatException("Exp-Golomb prefix of more than " + MAX_EXP_GOLOMB_LEADING_ZEROS
                        + " zero bits at bit " + (bitPosition - leadingZeros));
            }
        }
        return (1L << leadingZeros) - 1 + readBitsLong(leadingZeros);
    }

    /**
     * Skips {@code n} bits.
     *
     * @param n number of bits, at least 0
     * @throws MediaFormatException if fewer than {@code n} bits are left
     */
    public void skipBits(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n " + n + " is negative");
        }
        require(n);
        bitPosition += n;
    }

    /**
     * Skips to the next byte boundary; does nothing when already on one.
     */
    public void byteAlign() {
        bitPosition = Math.min(bitLength, (bitPosition + 7) & ~7L);
    }

    /**
     * Returns how many bits are left to read.
     *
     * @return bits from the current position to the end, at least 0
     */
    public long bitsLeft() {
        return bitLength - bitPosition;
    }

    /**
     * Returns how many bits were read or skipped.
     *
     * @return the current bit position from the start of the region
     */
    public long bitPosition() {
        return bitPosition;
    }

    private void require(long n) {
        if (n > bitLength - bitPosition) {
            throw new MediaFormatException("read of " + n + " bits at bit " + bitPosition
                    + " runs past the end at bit " + bitLength);
        }
    }

    private int bitAt(long position) {
        int index = start + (int) (position >>> 3);
        int b = array != null ? array[index] : buf.getByte(index);
        return (b >> (7 - (int) (position & 7))) & 1;
    }

    /**
     * Removes emulation prevention bytes from a NAL unit, giving its RBSP (ITU-T H.264
     * 7.4.1, ITU-T H.265 7.4.2): each {@code 00 00 03} becomes {@code 00 00}.
     *
     * @param nal the buffer holding the NAL unit; its indexes are not moved
     * @param index absolute index of the first byte (the NAL unit header is kept)
     * @param length number of bytes
     * @return a new array with the unescaped bytes
     */
    public static byte[] unescapeRbsp(ByteBuf nal, int index, int length) {
        byte[] bytes = new byte[length];
        nal.getBytes(index, bytes);
        return unescapeRbsp(bytes, 0, length);
    }

    /**
     * Removes emulation prevention bytes from a NAL unit, giving its RBSP (ITU-T H.264
     * 7.4.1, ITU-T H.265 7.4.2): each {@code 00 00 03} becomes {@code 00 00}.
     *
     * @param nal the array holding the NAL unit
     * @param offset index of the first byte (the NAL unit header is kept)
     * @param length number of bytes
     * @return a new array with the unescaped bytes
     */
    public static byte[] unescapeRbsp(byte[] nal, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, nal.length);
        byte[] out = new byte[length];
        int n = 0;
        int zeros = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = nal[i];
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return n == length ? out : Arrays.copyOf(out, n);
    }
}
