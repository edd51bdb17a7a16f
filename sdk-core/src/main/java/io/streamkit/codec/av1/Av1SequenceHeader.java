package io.streamkit.codec.av1;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.BitReader;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;

/**
 * An AV1 sequence header OBU, parsed as far as its colour configuration (AV1 Bitstream
 * and Decoding Process Specification 5.5).
 *
 * <p>The parser reads the profile, the first operating point's level and tier, the
 * timing info, the maximum frame size, and from color_config the bit depth, monochrome
 * flag and chroma subsampling. Frame rate is known only when the timing info says every
 * picture lasts the same time (equal_picture_interval): time_scale / (num_units_in_display_tick
 * * (num_ticks_per_picture_minus_1 + 1)); otherwise it is 0. The frame size is
 * max_frame_width/height, the size every frame of the sequence fits in, which is the coded
 * size for the encoders we know (each frame header may signal a smaller one).
 *
 * <p>Limits: an OBU size is a LEB128 of at most {@value #MAX_LEB128_BYTES} bytes and must
 * fit in the input (4.10.5); uvlc() codes of 32 or more leading zeros are rejected (4.10.3
 * gives them the value 2<sup>32</sup> - 1, which no real stream uses); frame sizes are at
 * most 2<sup>16</sup> by the 4-bit size fields.
 *
 * @param seqProfile seq_profile: 0 Main, 1 High, 2 Professional
 * @param stillPicture still_picture
 * @param seqLevelIdx seq_level_idx[0], the level of the first operating point (31: no level)
 * @param seqTier seq_tier[0]: {@code true} for the High tier
 * @param maxFrameWidth max_frame_width_minus_1 + 1
 * @param maxFrameHeight max_frame_height_minus_1 + 1
 * @param bitDepth 8, 10 or 12
 * @param monochrome mono_chrome
 * @param subsamplingX subsampling_x
 * @param subsamplingY subsampling_y
 * @param numUnitsInDisplayTick timing_info num_units_in_display_tick, or 0 without timing info
 * @param timeScale timing_info time_scale, or 0 without timing info
 * @param numTicksPerPicture num_ticks_per_picture_minus_1 + 1, or 0 without equal_picture_interval
 * @see <a href="https://aomediacodec.github.io/av1-spec/">AV1 Bitstream and Decoding Process Specification</a>
 */
public record Av1SequenceHeader(int seqProfile, boolean stillPicture, int seqLevelIdx, boolean seqTier,
        int maxFrameWidth, int maxFrameHeight, int bitDepth, boolean monochrome, boolean subsamplingX,
        boolean subsamplingY, long numUnitsInDisplayTick, long timeScale, long numTicksPerPicture) {

    /** obu_type of a sequence header (6.2.2, Table of OBU types). */
    public static final int OBU_SEQUENCE_HEADER = 1;

    /** Longest leb128() accepted: 8 bytes, the most 4.10.5 allows. */
    public static final int MAX_LEB128_BYTES = 8;

    private static final int MAX_UVLC_LEADING_ZEROS = 31;
    private static final int CP_BT_709 = 1;
    private static final int TC_SRGB = 13;
    private static final int MC_IDENTITY = 0;

    /**
     * Finds the first sequence header OBU among OBUs and parses it.
     *
     * <p>The OBUs are the readable bytes of {@code obus}; its indexes are not moved. Each
     * OBU must have obu_has_size_field set, except the last, which may run to the end.
     *
     * @param obus low-overhead bitstream format OBUs, as in av1C configOBUs; borrowed
     * @return the parsed sequence header, or {@code null} if there is none
     * @throws MediaFormatException if an OBU header or size or the sequence header is malformed
     */
    public static Av1SequenceHeader find(ByteBuf obus) {
        byte[] bytes = new byte[obus.readableBytes()];
        obus.getBytes(obus.readerIndex(), bytes);
        return find(bytes);
    }

    /**
     * Finds the first sequence header OBU among OBUs and parses it.
     *
     * <p>Each OBU must have obu_has_size_field set, except the last, which may run to the end.
     *
     * @param obus low-overhead bitstream format OBUs, as in av1C configOBUs; not copied
     * @return the parsed sequence header, or {@code null} if there is none
     * @throws MediaFormatException if an OBU header or size or the sequence header is malformed
     */
    public static Av1SequenceHeader find(byte[] obus) {
        int index = 0;
        int end = obus.length;
        while (index < end) {
            int header = obus[index] & 0xff;
            if ((header & 0x80) != 0) {
                throw new MediaFormatException("AV1 OBU forbidden bit set in header " + Integer.toHexString(header));
            }
            int type = (header >> 3) & 0xf;
            boolean extension = (header & 0x4) != 0;
            boolean hasSize = (header & 0x2) != 0;
            int payload = index + 1 + (extension ? 1 : 0);
            if (payload > end) {
                throw new MediaFormatException("AV1 OBU header at " + index + " runs past the end");
            }
            long size = end - payload;
            if (hasSize) {
                long value = 0;
                int i = 0;
                while (true) {
                    if (i == MAX_LEB128_BYTES) {
                        throw new MediaFormatException("AV1 OBU size leb128 longer than " + MAX_LEB128_BYTES + " bytes");
                    }
                    if (payload >= end) {
                        throw new MediaFormatException("AV1 OBU size leb128 runs past the end");
                    }
                    int b = obus[payload++] & 0xff;
                    value |= (long) (b & 0x7f) << (7 * i++);
                    if ((b & 0x80) == 0) {
                        break;
                    }
                }
                size = value;
            }
            if (size > end - payload) {
                throw new MediaFormatException("AV1 OBU size " + size + " exceeds the " + (end - payload)
                        + " bytes left");
            }
            if (type == OBU_SEQUENCE_HEADER) {
                return parse(BitReader.of(obus, payload, (int) size));
            }
            index = payload + (int) size;
        }
        return null;
    }

    /**
     * Parses a sequence_header_obu() payload, the bytes after the OBU header and size.
     *
     * @param payload the payload; not copied
     * @return the parsed sequence header
     * @throws MediaFormatException if it is truncated or breaks a rule of 5.5
     */
    public static Av1SequenceHeader parsePayload(byte[] payload) {
        return parse(BitReader.of(payload));
    }

    private static Av1SequenceHeader parse(BitReader r) {
        int seqProfile = r.readBits(3);
        if (seqProfile > 2) {
            throw new MediaFormatException("AV1 seq_profile " + seqProfile + " exceeds 2");
        }
        boolean stillPicture = r.readFlag();
        boolean reducedStillPictureHeader = r.readFlag();
        int seqLevelIdx;
        boolean seqTier = false;
        long numUnitsInDisplayTick = 0;
        long timeScale = 0;
        long numTicksPerPicture = 0;
        if (reducedStillPictureHeader) {
            seqLevelIdx = r.readBits(5);
        } else {
            boolean decoderModelInfoPresent = false;
            int bufferDelayLength = 0;
            if (r.readFlag()) { // timing_info_present_flag, 5.5.3
                numUnitsInDisplayTick = Integer.toUnsignedLong(r.readBits(32));
                timeScale = Integer.toUnsignedLong(r.readBits(32));
                if (r.readFlag()) { // equal_picture_interval
                    numTicksPerPicture = readUvlc(r) + 1;
                }
                decoderModelInfoPresent = r.readFlag();
                if (decoderModelInfoPresent) { // decoder_model_info(), 5.5.4
                    bufferDelayLength = r.readBits(5) + 1;
                    r.skipBits(32 + 5 + 5); // num_units_in_decoding_tick, two length fields
                }
            }
            boolean initialDisplayDelayPresent = r.readFlag();
            int operatingPoints = r.readBits(5) + 1;
            seqLevelIdx = 0;
            for (int i = 0; i < operatingPoints; i++) {
                r.skipBits(12); // operating_point_idc[i]
                int levelIdx = r.readBits(5);
                boolean tier = levelIdx > 7 && r.readFlag();
                if (i == 0) {
                    seqLevelIdx = levelIdx;
                    seqTier = tier;
                }
                if (decoderModelInfoPresent && r.readFlag()) { // decoder_model_present_for_this_op[i]
                    r.skipBits(2L * bufferDelayLength + 1); // operating_parameters_info(i), 5.5.5
                }
                if (initialDisplayDelayPresent && r.readFlag()) {
                    r.skipBits(4); // initial_display_delay_minus_1[i]
                }
            }
        }
        int widthBits = r.readBits(4) + 1;
        int heightBits = r.readBits(4) + 1;
        int maxFrameWidth = r.readBits(widthBits) + 1;
        int maxFrameHeight = r.readBits(heightBits) + 1;
        boolean frameIdNumbersPresent = !reducedStillPictureHeader && r.readFlag();
        if (frameIdNumbersPresent) {
            r.skipBits(4 + 3); // delta_frame_id_length_minus_2, additional_frame_id_length_minus_1
        }
        r.skipBits(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
        if (!reducedStillPictureHeader) {
            r.skipBits(4); // interintra, masked compound, warped motion, dual filter
            boolean enableOrderHint = r.readFlag();
            if (enableOrderHint) {
                r.skipBits(2); // enable_jnt_comp, enable_ref_frame_mvs
            }
            boolean chooseScreenContentTools = r.readFlag();
            int forceScreenContentTools = chooseScreenContentTools ? 2 : r.readBit();
            if (forceScreenContentTools > 0 && !r.readFlag()) { // seq_choose_integer_mv
                r.readBit(); // seq_force_integer_mv
            }
            if (enableOrderHint) {
                r.skipBits(3); // order_hint_bits_minus_1
            }
        }
        r.skipBits(3); // enable_superres, enable_cdef, enable_restoration

        // color_config(), 5.5.2
        boolean highBitdepth = r.readFlag();
        int bitDepth = seqProfile == 2 && highBitdepth ? (r.readFlag() ? 12 : 10) : highBitdepth ? 10 : 8;
        boolean monochrome = seqProfile != 1 && r.readFlag();
        int colorPrimaries = 2;
        int transferCharacteristics = 2;
        int matrixCoefficients = 2;
        if (r.readFlag()) { // color_description_present_flag
            colorPrimaries = r.readBits(8);
            transferCharacteristics = r.readBits(8);
            matrixCoefficients = r.readBits(8);
        }
        boolean subsamplingX;
        boolean subsamplingY;
        if (monochrome) {
            r.readBit(); // color_range
            subsamplingX = true;
            subsamplingY = true;
        } else if (colorPrimaries == CP_BT_709 && transferCharacteristics == TC_SRGB
                && matrixCoefficients == MC_IDENTITY) {
            subsamplingX = false;
            subsamplingY = false;
        } else {
            r.readBit(); // color_range
            if (seqProfile == 0) {
                subsamplingX = true;
                subsamplingY = true;
            } else if (seqProfile == 1) {
                subsamplingX = false;
                subsamplingY = false;
            } else if (bitDepth == 12) {
                subsamplingX = r.readFlag();
                subsamplingY = subsamplingX && r.readFlag();
            } else {
                subsamplingX = true;
                subsamplingY = false;
            }
        }
        return new Av1SequenceHeader(seqProfile, stillPicture, seqLevelIdx, seqTier, maxFrameWidth, maxFrameHeight,
                bitDepth, monochrome, subsamplingX, subsamplingY, numUnitsInDisplayTick, timeScale,
                numTicksPerPicture);
    }

    private static long readUvlc(BitReader r) {
        // 4.10.3
        int leadingZeros = 0;
        while (r.readBit() == 0) {
            leadingZeros++;
            if (leadingZeros > MAX_UVLC_LEADING_ZEROS) {
                throw new MediaFormatException("AV1 uvlc() prefix of more than " + MAX_UVLC_LEADING_ZEROS
                        + " zero bits");
            }
        }
        return r.readBitsLong(leadingZeros) + (1L << leadingZeros) - 1;
    }

    /**
     * Returns the frame rate from the timing info.
     *
     * @return frames per second, or 0 when the timing info is absent or does not say
     *     equal_picture_interval
     */
    public double frameRate() {
        if (numTicksPerPicture == 0 || numUnitsInDisplayTick == 0) {
            return 0;
        }
        return timeScale / ((double) numUnitsInDisplayTick * numTicksPerPicture);
    }

    /**
     * Returns the profile's name from Annex A.
     *
     * @return {@code "Main"}, {@code "High"} or {@code "Professional"}
     */
    public String profileName() {
        return profileName(seqProfile);
    }

    /**
     * Returns the name of a seq_profile from Annex A.
     *
     * @param seqProfile seq_profile, 0 to 2
     * @return {@code "Main"}, {@code "High"}, {@code "Professional"}, or {@code "Unknown (N)"}
     */
    public static String profileName(int seqProfile) {
        return switch (seqProfile) {
            case 0 -> "Main";
            case 1 -> "High";
            case 2 -> "Professional";
            default -> "Unknown (" + seqProfile + ")";
        };
    }

    /**
     * Returns the level as Annex A writes it.
     *
     * @return for example {@code "3.1"}
     */
    public String levelName() {
        return levelName(seqLevelIdx);
    }

    /**
     * Returns the name of a seq_level_idx as Annex A.3 writes it: 2 + (idx &gt;&gt; 2),
     * then a dot and idx &amp; 3.
     *
     * @param seqLevelIdx seq_level_idx, 0 to 31
     * @return for example {@code "2.0"} for 0, {@code "5.1"} for 13, {@code "Max"} for 31
     */
    public static String levelName(int seqLevelIdx) {
        return seqLevelIdx == 31 ? "Max" : (2 + (seqLevelIdx >> 2)) + "." + (seqLevelIdx & 3);
    }

    /**
     * Returns the codec-neutral summary of this sequence header.
     *
     * @return maximum frame size, frame rate (0 when not signalled), profile and level
     *     names, bit depth
     */
    public VideoParameters videoParameters() {
        return new VideoParameters(maxFrameWidth, maxFrameHeight, frameRate(), profileName(), levelName(), bitDepth);
    }
}
