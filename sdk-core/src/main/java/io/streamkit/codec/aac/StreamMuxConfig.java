package io.streamkit.codec.aac;

import io.streamkit.codec.BitReader;
import io.streamkit.codec.BitWriter;
import io.streamkit.codec.MediaFormatException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The StreamMuxConfig of an MP4A-LATM RTP stream, the hex {@code config} parameter of its
 * {@code a=fmtp} line with {@code cpresent=0} (RFC 6416 7.3, ISO/IEC 14496-3 1.7.3.1), read for
 * the AudioSpecificConfig it carries and for how many frames each AudioMuxElement holds.
 *
 * <p>It reads what senders write: one program of one layer, every frame behind its length.
 *
 * <table>
 *   <caption>What is read</caption>
 *   <tr><th>field</th><th>taken</th><th>otherwise</th></tr>
 *   <tr><td>audioMuxVersion, audioMuxVersionA</td><td>0; or 1 and 0, with its LatmGetValue fields (taraBufferFullness, ascLen)</td><td>audioMuxVersionA 1 is reserved: {@link MediaFormatException}</td></tr>
 *   <tr><td>allStreamsSameTimeFraming</td><td>1</td><td>{@link MediaFormatException}</td></tr>
 *   <tr><td>numSubFrames</td><td>0 to 63: an AudioMuxElement holds numSubFrames + 1 frames</td><td>by the 6-bit field</td></tr>
 *   <tr><td>numProgram, numLayer</td><td>0: one program of one layer</td><td>{@link MediaFormatException}</td></tr>
 *   <tr><td>AudioSpecificConfig</td><td>object types 1 to 4 (Main, LC, SSR, LTP), also behind explicit SBR/PS signalling (object type 5 or 29 first, or a 0x2B7 sync extension after), with a channelConfiguration</td><td>other object types and program_config_elements: {@link MediaFormatException}</td></tr>
 *   <tr><td>frameLengthType</td><td>0, then latmBufferFullness (ignored)</td><td>{@link MediaFormatException}</td></tr>
 *   <tr><td>otherDataPresent</td><td>0, or 1 with otherDataLenBits 0</td><td>{@link MediaFormatException}</td></tr>
 *   <tr><td>crcCheckPresent</td><td>either; crcCheckSum is ignored</td><td></td></tr>
 *   <tr><td>the hex string</td><td>at most {@value #MAX_HEX_LENGTH} digits, even, no sign or prefix</td><td>{@link MediaFormatException}</td></tr>
 * </table>
 *
 * <p>Two forms senders use beyond the letter of the syntax are taken. GStreamer's
 * {@code rtpmp4apay} writes the 15 header bits, then the whole AudioSpecificConfig as the encoder
 * gave it, and stops there: when the bits after the AudioSpecificConfig are all zero (or there are
 * none), frameLengthType 0 and no other data are assumed. A sync extension after the core
 * configuration (bits {@code 0x2B7}, which as a frameLengthType would be the reserved value 2) is
 * taken as part of the AudioSpecificConfig, as ffmpeg's encoders write it and decoders read it.
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6416#section-7.3">RFC 6416 7.3, MP4A-LATM's config parameter</a>
 * @see <a href="https://www.iso.org/standard/76383.html">ISO/IEC 14496-3 1.7.3.1 (StreamMuxConfig) and 1.6.2.1 (AudioSpecificConfig)</a>
 */
public final class StreamMuxConfig {
    /**
     * The longest {@code config} value read, in hex digits: the header is 15 bits, an
     * AudioSpecificConfig of object types 1 to 4 with every escape and extension about 22 bytes,
     * and the fields after it and audioMuxVersion 1's LatmGetValues at most 16 more; 128 bytes
     * leave room for fill bits while bounding what a hostile SDP makes the parser walk.
     */
    public static final int MAX_HEX_LENGTH = 256;

    /** Most frames in one AudioMuxElement: numSubFrames is 6 bits and counts from 0. */
    public static final int MAX_FRAMES_PER_ELEMENT = 64;

    private static final int SBR = 5;
    private static final int PS = 29;
    private static final int EXPLICIT_FREQUENCY = 15;
    private static final int SYNC_EXTENSION_SBR = 0x2b7;
    private static final int SYNC_EXTENSION_PS = 0x548;
    private static final long MAX_OTHER_DATA_LENGTH = 0xFFFF_FFFFL;

    private final int audioMuxVersion;
    private final int numSubFrames;
    private final byte[] audioSpecificConfig;
    private final AudioSpecificConfig audioConfig;

    private StreamMuxConfig(int audioMuxVersion, int numSubFrames, byte[] audioSpecificConfig,
            AudioSpecificConfig audioConfig) {
        this.audioMuxVersion = audioMuxVersion;
        this.numSubFrames = numSubFrames;
        this.audioSpecificConfig = audioSpecificConfig;
        this.audioConfig = audioConfig;
    }

    /**
     * Parses the hex {@code config} parameter of an MP4A-LATM {@code a=fmtp} line.
     *
     * <p>Digits may be of either case; white space around the value is ignored.
     *
     * @param hex the parameter's value, for example {@code "400024203fc0"}
     * @return the configuration
     * @throws MediaFormatException if it is not hex of at most {@value #MAX_HEX_LENGTH} digits,
     *     is truncated, or uses a value the table in the class comment does not take; the
     *     message names the value and the limit
     * @throws NullPointerException if {@code hex} is null
     */
    public static StreamMuxConfig parseHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        String s = hex.strip();
        if (s.isEmpty()) {
            throw new MediaFormatException("StreamMuxConfig is empty");
        }
        if (s.length() > MAX_HEX_LENGTH) {
            throw new MediaFormatException("StreamMuxConfig of " + s.length() + " hex digits exceeds "
                    + MAX_HEX_LENGTH);
        }
        if (s.length() % 2 != 0) {
            throw new MediaFormatException("StreamMuxConfig of " + s.length() + " hex digits, not a whole number of bytes");
        }
        byte[] bytes = new byte[s.length() / 2];
        for (int i = 0; i < s.length(); i++) {
            int digit = hexDigit(s.charAt(i));
            if (digit < 0) {
                throw new MediaFormatException(String.format("StreamMuxConfig character U+%04X at %d is not a hex digit",
                        (int) s.charAt(i), i));
            }
            bytes[i / 2] |= (byte) (i % 2 == 0 ? digit << 4 : digit);
        }
        try {
            return parse(bytes);
        } catch (MediaFormatException e) {
            throw new MediaFormatException("StreamMuxConfig " + s + ": " + e.getMessage(), e);
        }
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static StreamMuxConfig parse(byte[] data) {
        BitReader r = BitReader.of(data);
        int audioMuxVersion = r.readBit();
        if (audioMuxVersion == 1) {
            if (r.readBit() != 0) {
                throw new MediaFormatException("audioMuxVersionA 1 is reserved, only 0 is defined");
            }
            latmValue(r); // taraBufferFullness
        }
        if (!r.readFlag()) {
            throw new MediaFormatException("allStreamsSameTimeFraming 0 is not supported, only 1");
        }
        int numSubFrames = r.readBits(6);
        int numProgram = r.readBits(4);
        if (numProgram != 0) {
            throw new MediaFormatException("numProgram " + numProgram + " is not supported, only 0 (one program)");
        }
        int numLayer = r.readBits(3);
        if (numLayer != 0) {
            throw new MediaFormatException("numLayer " + numLayer + " is not supported, only 0 (one layer)");
        }
        byte[] asc;
        if (audioMuxVersion == 0) {
            // Read in place: only walking it tells where it ends.
            long start = r.bitPosition();
            walkAudioSpecificConfig(data, r);
            asc = copyBits(data, start, r.bitPosition() - start);
        } else {
            long ascLen = latmValue(r);
            if (ascLen > r.bitsLeft()) {
                throw new MediaFormatException("ascLen " + ascLen + " bits exceeds the " + r.bitsLeft() + " bits left");
            }
            asc = copyBits(data, r.bitPosition(), ascLen);
            BitReader inner = BitReader.of(asc);
            walkAudioSpecificConfig(asc, inner);
            if (inner.bitPosition() > ascLen) {
                throw new MediaFormatException("AudioSpecificConfig of " + inner.bitPosition() + " bits exceeds its ascLen "
                        + ascLen);
            }
            r.skipBits(ascLen); // the configuration and its fillBits
        }
        if (!zeroFrom(data, r.bitPosition())) {
            readFraming(r, audioMuxVersion);
            if (!zeroFrom(data, r.bitPosition())) {
                throw new MediaFormatException((r.bitsLeft()) + " bits after crcCheckPresent are not zero padding");
            }
        }
        return new StreamMuxConfig(audioMuxVersion, numSubFrames, asc, AudioSpecificConfig.parse(asc));
    }

    /** Reads frameLengthType to crcCheckSum, for the one stream of the one layer. */
    private static void readFraming(BitReader r, int audioMuxVersion) {
        int frameLengthType = r.readBits(3);
        if (frameLengthType != 0) {
            throw new MediaFormatException("frameLengthType " + frameLengthType
                    + " is not supported, only 0 (each frame behind its length)");
        }
        r.skipBits(8); // latmBufferFullness
        // Both flags may be cut off with the last byte: absent, they are 0.
        if (r.bitsLeft() > 0 && r.readFlag()) { // otherDataPresent
            long otherDataLenBits = audioMuxVersion == 1 ? latmValue(r) : escapedLength(r);
            if (otherDataLenBits != 0) {
                throw new MediaFormatException("otherDataLenBits " + otherDataLenBits
                        + " is not supported, only 0 (nothing after the frames)");
            }
        }
        if (r.bitsLeft() > 0 && r.readFlag()) { // crcCheckPresent
            r.skipBits(8); // crcCheckSum
        }
    }

    /**
     * Walks an AudioSpecificConfig (1.6.2.1) to its end, refusing what this class does not take;
     * {@link AudioSpecificConfig#parse(byte[])} reads the copy of these bits for the values.
     */
    private static void walkAudioSpecificConfig(byte[] data, BitReader r) {
        int objectType = objectType(r);
        frequency(r);
        int channelConfiguration = r.readBits(4);
        boolean hierarchical = objectType == SBR || objectType == PS;
        if (hierarchical) {
            frequency(r); // extensionSamplingFrequencyIndex
            objectType = objectType(r);
        }
        if (objectType < 1 || objectType > 4) {
            throw new MediaFormatException("AAC object type " + objectType
                    + " is not supported, only 1 to 4 (Main, LC, SSR, LTP)");
        }
        if (channelConfiguration == 0) {
            throw new MediaFormatException("AAC channelConfiguration 0 (a program_config_element) is not supported, "
                    + "only 1 and up");
        }
        // GASpecificConfig, 4.4.1
        r.skipBits(1); // frameLengthFlag
        if (r.readFlag()) { // dependsOnCoreCoder
            r.skipBits(14); // coreCoderDelay
        }
        if (r.readFlag()) { // extensionFlag
            r.skipBits(1); // extensionFlag3
        }
        // Backward compatible SBR/PS signalling, 1.6.6.2.
        if (!hierarchical && r.bitsLeft() >= 16 && peek(data, r.bitPosition(), 11) == SYNC_EXTENSION_SBR) {
            r.skipBits(11);
            int extension = objectType(r);
            if (extension != SBR) {
                throw new MediaFormatException("a sync extension of object type " + extension
                        + " is not supported, only 5 (SBR)");
            }
            if (r.readFlag()) { // sbrPresentFlag
                frequency(r);
                if (r.bitsLeft() >= 12 && peek(data, r.bitPosition(), 11) == SYNC_EXTENSION_PS) {
                    r.skipBits(11 + 1); // syncExtensionType, psPresentFlag
                }
            }
        }
    }

    private static int objectType(BitReader r) {
        int type = r.readBits(5);
        return type == 31 ? 32 + r.readBits(6) : type;
    }

    /** Skips a sampling frequency index and its explicit 24-bit frequency; the values are checked by {@link AudioSpecificConfig}. */
    private static void frequency(BitReader r) {
        if (r.readBits(4) == EXPLICIT_FREQUENCY) {
            r.skipBits(24);
        }
    }

    /** LatmGetValue (1.7.3.1): 2 bits saying how many bytes follow, less one. */
    private static long latmValue(BitReader r) {
        int bytesForValue = r.readBits(2);
        long value = 0;
        for (int i = 0; i <= bytesForValue; i++) {
            value = value << 8 | r.readBits(8);
        }
        return value;
    }

    /** otherDataLenBits of audioMuxVersion 0: bytes, each after a flag saying whether another follows. */
    private static long escapedLength(BitReader r) {
        long value = 0;
        boolean more;
        do {
            more = r.readFlag();
            value = value << 8 | r.readBits(8);
            if (value > MAX_OTHER_DATA_LENGTH) {
                throw new MediaFormatException("otherDataLenBits " + value + " exceeds " + MAX_OTHER_DATA_LENGTH);
            }
        } while (more);
        return value;
    }

    private static int peek(byte[] data, long bitPosition, int bits) {
        BitReader p = BitReader.of(data);
        p.skipBits(bitPosition);
        return p.readBits(bits);
    }

    private static boolean zeroFrom(byte[] data, long bitPosition) {
        for (long bit = bitPosition; bit < 8L * data.length; bit++) {
            if ((data[(int) (bit >>> 3)] >> (7 - (int) (bit & 7)) & 1) != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] copyBits(byte[] data, long from, long count) {
        BitReader in = BitReader.of(data);
        in.skipBits(from);
        BitWriter out = new BitWriter();
        for (long left = count; left > 0; ) {
            int n = (int) Math.min(32, left);
            out.writeBits(in.readBits(n), n);
            left -= n;
        }
        return out.toByteArray();
    }

    /**
     * Returns the AudioSpecificConfig the configuration carries, as an MP4 {@code esds} box or an
     * FLV sequence header carries it.
     *
     * @return a new array: the configuration's bits copied from the StreamMuxConfig and padded
     *     with zero bits to a whole byte; a sync extension is included, fillBits are too
     */
    public byte[] audioSpecificConfig() {
        return audioSpecificConfig.clone();
    }

    /**
     * Returns the AudioSpecificConfig the configuration carries, parsed.
     *
     * @return what {@link AudioSpecificConfig#parse(byte[])} reads from {@link #audioSpecificConfig()}
     */
    public AudioSpecificConfig audioConfig() {
        return audioConfig;
    }

    /**
     * Returns numSubFrames: each AudioMuxElement holds this many frames plus one, back to back.
     *
     * @return 0 to {@value #MAX_FRAMES_PER_ELEMENT} - 1
     */
    public int numSubFrames() {
        return numSubFrames;
    }

    /**
     * Returns audioMuxVersion.
     *
     * @return 0, or 1 when the AudioSpecificConfig came behind its length
     */
    public int audioMuxVersion() {
        return audioMuxVersion;
    }

    /**
     * Describes the configuration for logs.
     *
     * @return the version, numSubFrames and the AudioSpecificConfig in hex
     */
    @Override
    public String toString() {
        return "StreamMuxConfig[audioMuxVersion=" + audioMuxVersion + ", numSubFrames=" + numSubFrames
                + ", audioSpecificConfig=" + HexFormat.of().formatHex(audioSpecificConfig) + "]";
    }
}
