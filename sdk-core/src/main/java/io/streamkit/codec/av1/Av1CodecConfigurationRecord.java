package io.streamkit.codec.av1;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;
import java.util.Arrays;

/**
 * The AV1 decoder configuration of an MP4 {@code av1C} box or an enhanced-RTMP/FLV AV1
 * sequence start (AV1 Codec ISO Media File Format Binding 2.3).
 *
 * <p>Four fixed bytes restate the sequence header's profile, level, tier and colour
 * format; configOBUs, the rest, holds zero or one sequence header OBU and possibly
 * metadata OBUs. When a sequence header is present it is parsed, and
 * {@link #videoParameters()} reports its frame size, frame rate and bit depth; without
 * one only the profile, level and bit depth of the fixed bytes are known.
 *
 * <p>Rejected: marker bit 0, a version other than {@value #VERSION}, fewer than
 * {@value #FIXED_LENGTH} bytes, configOBUs longer than {@value #MAX_CONFIG_OBUS_LENGTH}
 * bytes, and a malformed sequence header. Instances are immutable.
 *
 * @see <a href="https://aomediacodec.github.io/av1-isobmff/#av1codecconfigurationbox-syntax">AV1-ISOBMFF 2.3.3</a>
 */
public final class Av1CodecConfigurationRecord {
    /** The only version defined (2.3.4). */
    public static final int VERSION = 1;

    /** Size of the fixed part before configOBUs. */
    public static final int FIXED_LENGTH = 4;

    /**
     * Longest configOBUs accepted: a sequence header is under 100 bytes, and metadata OBUs
     * (HDR mastering display, content light level) a few dozen; 64 KiB is generous and
     * still bounds what a publisher can make us keep per stream.
     */
    public static final int MAX_CONFIG_OBUS_LENGTH = 65_536;

    private final int seqProfile;
    private final int seqLevelIdx0;
    private final boolean seqTier0;
    private final boolean highBitdepth;
    private final boolean twelveBit;
    private final boolean monochrome;
    private final boolean chromaSubsamplingX;
    private final boolean chromaSubsamplingY;
    private final int chromaSamplePosition;
    private final int initialPresentationDelay;
    private final byte[] configObus;
    private final Av1SequenceHeader sequenceHeader;

    private Av1CodecConfigurationRecord(int seqProfile, int seqLevelIdx0, boolean seqTier0, boolean highBitdepth,
            boolean twelveBit, boolean monochrome, boolean chromaSubsamplingX, boolean chromaSubsamplingY,
            int chromaSamplePosition, int initialPresentationDelay, byte[] configObus) {
        if (configObus.length > MAX_CONFIG_OBUS_LENGTH) {
            throw new MediaFormatException("av1C configOBUs length " + configObus.length + " exceeds "
                    + MAX_CONFIG_OBUS_LENGTH);
        }
        this.seqProfile = seqProfile;
        this.seqLevelIdx0 = seqLevelIdx0;
        this.seqTier0 = seqTier0;
        this.highBitdepth = highBitdepth;
        this.twelveBit = twelveBit;
        this.monochrome = monochrome;
        this.chromaSubsamplingX = chromaSubsamplingX;
        this.chromaSubsamplingY = chromaSubsamplingY;
        this.chromaSamplePosition = chromaSamplePosition;
        this.initialPresentationDelay = initialPresentationDelay;
        this.configObus = configObus.clone();
        this.sequenceHeader = Av1SequenceHeader.find(this.configObus);
    }

    /**
     * Parses a record from the readable bytes of {@code buf}; all of them are the record,
     * the bytes after the fixed part being configOBUs.
     *
     * <p>The reader index is not moved.
     *
     * @param buf the record; borrowed, not released
     * @return the parsed record
     * @throws MediaFormatException if the record or its sequence header is malformed
     */
    public static Av1CodecConfigurationRecord parse(ByteBuf buf) {
        int index = buf.readerIndex();
        int length = buf.readableBytes();
        if (length < FIXED_LENGTH) {
            throw new MediaFormatException("av1C length " + length + " is below " + FIXED_LENGTH);
        }
        int b0 = buf.getUnsignedByte(index);
        if ((b0 & 0x80) == 0) {
            throw new MediaFormatException("av1C marker bit is 0, must be 1");
        }
        if ((b0 & 0x7f) != VERSION) {
            throw new MediaFormatException("av1C version " + (b0 & 0x7f) + " is not " + VERSION);
        }
        int b1 = buf.getUnsignedByte(index + 1);
        int b2 = buf.getUnsignedByte(index + 2);
        int b3 = buf.getUnsignedByte(index + 3);
        byte[] obus = new byte[length - FIXED_LENGTH];
        if (obus.length > MAX_CONFIG_OBUS_LENGTH) {
            throw new MediaFormatException("av1C configOBUs length " + obus.length + " exceeds "
                    + MAX_CONFIG_OBUS_LENGTH);
        }
        buf.getBytes(index + FIXED_LENGTH, obus);
        int delay = (b3 & 0x10) != 0 ? (b3 & 0xf) + 1 : 0;
        return new Av1CodecConfigurationRecord(b1 >> 5, b1 & 0x1f, (b2 & 0x80) != 0, (b2 & 0x40) != 0,
                (b2 & 0x20) != 0, (b2 & 0x10) != 0, (b2 & 0x08) != 0, (b2 & 0x04) != 0, b2 & 0x3, delay, obus);
    }

    /**
     * Builds a record around a sequence header OBU, filling the fixed part from it, as an
     * ingest does when it sees the sequence header in band.
     *
     * @param sequenceHeaderObu a complete sequence header OBU with obu_has_size_field set;
     *     copied
     * @return the record, with no initial presentation delay and chroma sample position 0
     * @throws MediaFormatException if {@code sequenceHeaderObu} holds no valid sequence header
     */
    public static Av1CodecConfigurationRecord of(byte[] sequenceHeaderObu) {
        Av1SequenceHeader sh = Av1SequenceHeader.find(sequenceHeaderObu);
        if (sh == null) {
            throw new MediaFormatException("no AV1 sequence header OBU in " + sequenceHeaderObu.length + " bytes");
        }
        return new Av1CodecConfigurationRecord(sh.seqProfile(), sh.seqLevelIdx(), sh.seqTier(), sh.bitDepth() > 8,
                sh.bitDepth() == 12, sh.monochrome(), sh.subsamplingX(), sh.subsamplingY(), 0, 0,
                sequenceHeaderObu);
    }

    /**
     * Writes the record: the four fixed bytes, then configOBUs.
     *
     * @param out the buffer to append to at its writer index
     */
    public void writeTo(ByteBuf out) {
        out.writeByte(0x80 | VERSION);
        out.writeByte(seqProfile << 5 | seqLevelIdx0);
        out.writeByte((seqTier0 ? 0x80 : 0) | (highBitdepth ? 0x40 : 0) | (twelveBit ? 0x20 : 0)
                | (monochrome ? 0x10 : 0) | (chromaSubsamplingX ? 0x08 : 0) | (chromaSubsamplingY ? 0x04 : 0)
                | chromaSamplePosition);
        out.writeByte(initialPresentationDelay == 0 ? 0 : 0x10 | (initialPresentationDelay - 1));
        out.writeBytes(configObus);
    }

    /**
     * Returns seq_profile.
     *
     * @return 0 Main, 1 High, 2 Professional
     */
    public int seqProfile() {
        return seqProfile;
    }

    /**
     * Returns seq_level_idx_0, the level of the first operating point.
     *
     * @return 0 to 31
     */
    public int seqLevelIdx0() {
        return seqLevelIdx0;
    }

    /**
     * Returns seq_tier_0.
     *
     * @return {@code true} for the High tier
     */
    public boolean seqTier0() {
        return seqTier0;
    }

    /**
     * Returns the bit depth the high_bitdepth and twelve_bit flags give.
     *
     * @return 8, 10 or 12
     */
    public int bitDepth() {
        return twelveBit ? 12 : highBitdepth ? 10 : 8;
    }

    /**
     * Returns the monochrome flag.
     *
     * @return {@code true} for a luma-only stream
     */
    public boolean monochrome() {
        return monochrome;
    }

    /**
     * Returns chroma_subsampling_x.
     *
     * @return {@code true} when chroma is halved horizontally
     */
    public boolean chromaSubsamplingX() {
        return chromaSubsamplingX;
    }

    /**
     * Returns chroma_subsampling_y.
     *
     * @return {@code true} when chroma is halved vertically
     */
    public boolean chromaSubsamplingY() {
        return chromaSubsamplingY;
    }

    /**
     * Returns chroma_sample_position.
     *
     * @return 0 unknown, 1 vertical, 2 colocated
     */
    public int chromaSamplePosition() {
        return chromaSamplePosition;
    }

    /**
     * Returns initial_presentation_delay_minus_one + 1.
     *
     * @return the delay in samples, or 0 when absent
     */
    public int initialPresentationDelay() {
        return initialPresentationDelay;
    }

    /**
     * Returns configOBUs.
     *
     * @return a fresh copy, possibly empty
     */
    public byte[] configObus() {
        return configObus.clone();
    }

    /**
     * Returns the sequence header found in configOBUs.
     *
     * @return the parsed sequence header, or {@code null} when configOBUs has none
     */
    public Av1SequenceHeader sequenceHeader() {
        return sequenceHeader;
    }

    /**
     * Returns the codec-neutral summary: from the sequence header when configOBUs has one,
     * else from the fixed part with size and frame rate 0.
     *
     * @return the video parameters
     */
    public VideoParameters videoParameters() {
        if (sequenceHeader != null) {
            return sequenceHeader.videoParameters();
        }
        return new VideoParameters(0, 0, 0, Av1SequenceHeader.profileName(seqProfile),
                Av1SequenceHeader.levelName(seqLevelIdx0), bitDepth());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Av1CodecConfigurationRecord other && seqProfile == other.seqProfile
                && seqLevelIdx0 == other.seqLevelIdx0 && seqTier0 == other.seqTier0
                && highBitdepth == other.highBitdepth && twelveBit == other.twelveBit
                && monochrome == other.monochrome && chromaSubsamplingX == other.chromaSubsamplingX
                && chromaSubsamplingY == other.chromaSubsamplingY
                && chromaSamplePosition == other.chromaSamplePosition
                && initialPresentationDelay == other.initialPresentationDelay
                && Arrays.equals(configObus, other.configObus);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(configObus) * 31 + (seqProfile << 5 | seqLevelIdx0);
    }

    @Override
    public String toString() {
        return "Av1CodecConfigurationRecord[" + videoParameters() + ", configOBUs=" + configObus.length + " bytes]";
    }
}
