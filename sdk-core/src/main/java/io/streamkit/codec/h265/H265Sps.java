package io.streamkit.codec.h265;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.BitReader;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;

/**
 * An H.265 sequence parameter set, parsed as far as the VUI timing information
 * (ITU-T H.265 7.3.2.2.1, profile_tier_level 7.3.3, vui_parameters E.2.1).
 *
 * <p>The parser reads the general profile, tier and level with every sub-layer's
 * profile and level, the chroma format, picture size with the conformance window
 * applied, the bit depths, and then walks the rest of the SPS (sub-layer ordering, scaling
 * lists, PCM, short-term reference picture sets with inter prediction, long-term
 * references) to the VUI, where it reads {@code num_units_in_tick} and
 * {@code time_scale} when timing info is present. It stops there: HRD parameters,
 * bitstream restrictions and SPS extensions are not read.
 *
 * <p>Limits, each checked before use so a hostile SPS is rejected, never looped over:
 * <table>
 * <caption>Limits</caption>
 * <tr><th>value</th><th>limit</th><th>why</th></tr>
 * <tr><td>picture width and height</td><td>{@value #MAX_DIMENSION}</td>
 *     <td>sqrt(8 * MaxLumaPs) for the largest level, 6.2 (A.4.1)</td></tr>
 * <tr><td>picture size in luma samples</td><td>{@value #MAX_LUMA_PICTURE_SIZE}</td>
 *     <td>MaxLumaPs of level 6.2 (Table A.8)</td></tr>
 * <tr><td>sps_max_sub_layers</td><td>7</td><td>a 3-bit field, 7 is the most 7.4.3.2.1 allows</td></tr>
 * <tr><td>num_short_term_ref_pic_sets</td><td>64</td><td>7.4.3.2.1</td></tr>
 * <tr><td>num_negative_pics, num_positive_pics</td><td>16</td><td>sps_max_dec_pic_buffering is at most 16</td></tr>
 * <tr><td>num_long_term_ref_pics_sps</td><td>32</td><td>7.4.3.2.1</td></tr>
 * </table>
 *
 * @param profileSpace general_profile_space, 0 for every published profile
 * @param tierFlag general_tier_flag: {@code false} Main tier, {@code true} High tier
 * @param profileIdc general_profile_idc, for example 1 for Main
 * @param profileCompatibilityFlags the 32 general_profile_compatibility_flags, flag 0 in bit 31
 * @param constraintIndicatorFlags the 48 bits from general_progressive_source_flag on, first in bit 47
 * @param levelIdc general_level_idc, thirty times the level number (93 for level 3.1)
 * @param maxSubLayers sps_max_sub_layers_minus1 + 1
 * @param temporalIdNesting sps_temporal_id_nesting_flag
 * @param chromaFormatIdc chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param bitDepthLuma luma bit depth, 8 to 16
 * @param bitDepthChroma chroma bit depth, 8 to 16
 * @param width picture width in luma samples inside the conformance window
 * @param height picture height in luma samples inside the conformance window
 * @param numUnitsInTick VUI vui_num_units_in_tick, or 0 without timing info
 * @param timeScale VUI vui_time_scale, or 0 without timing info
 * @see <a href="https://www.itu.int/rec/T-REC-H.265">ITU-T H.265</a>
 */
public record H265Sps(int profileSpace, boolean tierFlag, int profileIdc, int profileCompatibilityFlags,
        long constraintIndicatorFlags, int levelIdc, int maxSubLayers, boolean temporalIdNesting,
        int chromaFormatIdc, int bitDepthLuma, int bitDepthChroma, int width, int height,
        long numUnitsInTick, long timeScale) {

    /** NAL unit type of a sequence parameter set, SPS_NUT (Table 7-1). */
    public static final int NAL_UNIT_TYPE = 33;

    /** Largest picture width or height: sqrt(8 * 35,651,584) for level 6.2 (A.4.1). */
    public static final int MAX_DIMENSION = 16_888;

    /** Largest picture in luma samples: MaxLumaPs of level 6.2 (Table A.8). */
    public static final int MAX_LUMA_PICTURE_SIZE = 35_651_584;

    private static final int MAX_SHORT_TERM_REF_PIC_SETS = 64;
    private static final int MAX_DELTA_POCS = 16;
    private static final int MAX_LONG_TERM_REF_PICS = 32;
    private static final int EXTENDED_SAR = 255;

    /**
     * Parses an SPS NAL unit, its 2-byte header included.
     *
     * <p>The buffer's reader index is not moved; the readable bytes from it are the NAL
     * unit (no start code, no length prefix). Emulation prevention bytes are removed first.
     *
     * @param nal the NAL unit; borrowed, not released
     * @return the parsed SPS
     * @throws MediaFormatException if it is not an SPS, is truncated, or breaks a limit
     */
    public static H265Sps parse(ByteBuf nal) {
        return parseRbsp(BitReader.unescapeRbsp(nal, nal.readerIndex(), nal.readableBytes()));
    }

    /**
     * Parses an SPS NAL unit, its 2-byte header included, from an array.
     *
     * @param nal the NAL unit, without start code or length prefix
     * @return the parsed SPS
     * @throws MediaFormatException if it is not an SPS, is truncated, or breaks a limit
     */
    public static H265Sps parse(byte[] nal) {
        return parseRbsp(BitReader.unescapeRbsp(nal, 0, nal.length));
    }

    private static H265Sps parseRbsp(byte[] rbsp) {
        BitReader r = BitReader.of(rbsp);
        int forbiddenZero = r.readBit();
        int nalUnitType = r.readBits(6);
        r.skipBits(9); // nuh_layer_id, nuh_temporal_id_plus1
        if (forbiddenZero != 0) {
            // 7.4.2.2: forbidden_zero_bit shall be 0; a set bit marks a corrupt unit, whatever its type says.
            throw new MediaFormatException(String.format("SPS NAL unit header 0x%02x%02x has forbidden_zero_bit set",
                    rbsp[0] & 0xff, rbsp[1] & 0xff));
        }
        if (nalUnitType != NAL_UNIT_TYPE) {
            throw new MediaFormatException("NAL unit type " + nalUnitType + " is not an SPS (" + NAL_UNIT_TYPE + ")");
        }
        r.skipBits(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = checkRange("sps_max_sub_layers_minus1", r.readBits(3), 6);
        boolean temporalIdNesting = r.readFlag();

        // profile_tier_level(1, sps_max_sub_layers_minus1), 7.3.3
        int profileSpace = r.readBits(2);
        boolean tierFlag = r.readFlag();
        int profileIdc = r.readBits(5);
        int compatibility = r.readBits(32);
        long constraints = r.readBitsLong(48);
        int levelIdc = r.readBits(8);
        boolean[] subLayerProfilePresent = new boolean[maxSubLayersMinus1];
        boolean[] subLayerLevelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            subLayerProfilePresent[i] = r.readFlag();
            subLayerLevelPresent[i] = r.readFlag();
        }
        if (maxSubLayersMinus1 > 0) {
            r.skipBits(2L * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (subLayerProfilePresent[i]) {
                r.skipBits(88); // sub_layer profile space to inbld/reserved flag
            }
            if (subLayerLevelPresent[i]) {
                r.skipBits(8); // sub_layer_level_idc
            }
        }

        checkRange("sps_seq_parameter_set_id", r.readUe(), 15);
        int chromaFormatIdc = checkRange("chroma_format_idc", r.readUe(), 3);
        boolean separateColourPlane = chromaFormatIdc == 3 && r.readFlag();
        int width = checkRange("pic_width_in_luma_samples", r.readUe(), MAX_DIMENSION);
        int height = checkRange("pic_height_in_luma_samples", r.readUe(), MAX_DIMENSION);
        checkRange("picture size", (long) width * height, MAX_LUMA_PICTURE_SIZE);
        if (width == 0 || height == 0) {
            throw new MediaFormatException("SPS picture size " + width + "x" + height + " is empty");
        }
        if (r.readFlag()) { // conformance_window_flag
            // 7.4.3.2.1, Table 6-1: offsets are in chroma sample units.
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
            int subHeightC = chromaArrayType == 1 ? 2 : 1;
            long cropX = (long) subWidthC * ((long) r.readUe() + r.readUe());
            long cropY = (long) subHeightC * ((long) r.readUe() + r.readUe());
            if (cropX >= width || cropY >= height) {
                throw new MediaFormatException("SPS conformance window " + cropX + "x" + cropY
                        + " leaves nothing of the coded " + width + "x" + height);
            }
            width -= (int) cropX;
            height -= (int) cropY;
        }
        int bitDepthLuma = 8 + checkRange("bit_depth_luma_minus8", r.readUe(), 8);
        int bitDepthChroma = 8 + checkRange("bit_depth_chroma_minus8", r.readUe(), 8);
        int log2MaxPocLsb = 4 + checkRange("log2_max_pic_order_cnt_lsb_minus4", r.readUe(), 12);
        boolean subLayerOrderingInfo = r.readFlag();
        for (int i = subLayerOrderingInfo ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
            r.readUe(); // sps_max_dec_pic_buffering_minus1
            r.readUe(); // sps_max_num_reorder_pics
            r.readUe(); // sps_max_latency_increase_plus1
        }
        r.readUe(); // log2_min_luma_coding_block_size_minus3
        r.readUe(); // log2_diff_max_min_luma_coding_block_size
        r.readUe(); // log2_min_luma_transform_block_size_minus2
        r.readUe(); // log2_diff_max_min_luma_transform_block_size
        r.readUe(); // max_transform_hierarchy_depth_inter
        r.readUe(); // max_transform_hierarchy_depth_intra
        if (r.readFlag() && r.readFlag()) { // scaling_list_enabled_flag, sps_scaling_list_data_present_flag
            skipScalingListData(r);
        }
        r.readBit(); // amp_enabled_flag
        r.readBit(); // sample_adaptive_offset_enabled_flag
        if (r.readFlag()) { // pcm_enabled_flag
            r.skipBits(8); // pcm_sample_bit_depth_luma_minus1, pcm_sample_bit_depth_chroma_minus1
            r.readUe(); // log2_min_pcm_luma_coding_block_size_minus3
            r.readUe(); // log2_diff_max_min_pcm_luma_coding_block_size
            r.readBit(); // pcm_loop_filter_disabled_flag
        }
        int numShortTermRefPicSets = checkRange("num_short_term_ref_pic_sets", r.readUe(),
                MAX_SHORT_TERM_REF_PIC_SETS);
        int[] numDeltaPocs = new int[numShortTermRefPicSets];
        for (int i = 0; i < numShortTermRefPicSets; i++) {
            numDeltaPocs[i] = skipShortTermRefPicSet(r, i, numDeltaPocs);
        }
        if (r.readFlag()) { // long_term_ref_pics_present_flag
            int count = checkRange("num_long_term_ref_pics_sps", r.readUe(), MAX_LONG_TERM_REF_PICS);
            r.skipBits((long) count * (log2MaxPocLsb + 1)); // lt_ref_pic_poc_lsb_sps, used_by_curr_pic_lt_sps_flag
        }
        r.readBit(); // sps_temporal_mvp_enabled_flag
        r.readBit(); // strong_intra_smoothing_enabled_flag

        long numUnitsInTick = 0;
        long timeScale = 0;
        if (r.readFlag()) { // vui_parameters_present_flag, E.2.1
            if (r.readFlag()) { // aspect_ratio_info_present_flag
                if (r.readBits(8) == EXTENDED_SAR) {
                    r.skipBits(32); // sar_width, sar_height
                }
            }
            if (r.readFlag()) { // overscan_info_present_flag
                r.readBit(); // overscan_appropriate_flag
            }
            if (r.readFlag()) { // video_signal_type_present_flag
                r.skipBits(4); // video_format, video_full_range_flag
                if (r.readFlag()) { // colour_description_present_flag
                    r.skipBits(24);
                }
            }
            if (r.readFlag()) { // chroma_loc_info_present_flag
                r.readUe();
                r.readUe();
            }
            r.skipBits(3); // neutral_chroma_indication_flag, field_seq_flag, frame_field_info_present_flag
            if (r.readFlag()) { // default_display_window_flag
                for (int i = 0; i < 4; i++) {
                    r.readUe();
                }
            }
            if (r.readFlag()) { // vui_timing_info_present_flag
                numUnitsInTick = Integer.toUnsignedLong(r.readBits(32));
                timeScale = Integer.toUnsignedLong(r.readBits(32));
            }
        }
        return new H265Sps(profileSpace, tierFlag, profileIdc, compatibility, constraints, levelIdc,
                maxSubLayersMinus1 + 1, temporalIdNesting, chromaFormatIdc, bitDepthLuma, bitDepthChroma,
                width, height, numUnitsInTick, timeScale);
    }

    private static void skipScalingListData(BitReader r) {
        // 7.3.4
        for (int sizeId = 0; sizeId < 4; sizeId++) {
            for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
                if (!r.readFlag()) { // scaling_list_pred_mode_flag
                    r.readUe(); // scaling_list_pred_matrix_id_delta
                } else {
                    int coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
                    if (sizeId > 1) {
                        r.readSe(); // scaling_list_dc_coef_minus8
                    }
                    for (int i = 0; i < coefNum; i++) {
                        r.readSe(); // scaling_list_delta_coef
                    }
                }
            }
        }
    }

    /** Skips st_ref_pic_set(idx) of the SPS (7.3.7) and returns its NumDeltaPocs. */
    private static int skipShortTermRefPicSet(BitReader r, int idx, int[] numDeltaPocs) {
        boolean interRefPicSetPrediction = idx != 0 && r.readFlag();
        if (interRefPicSetPrediction) {
            // In the SPS delta_idx_minus1 is absent, so the reference is the previous set.
            r.readBit(); // delta_rps_sign
            r.readUe(); // abs_delta_rps_minus1
            int count = 0;
            for (int j = 0; j <= numDeltaPocs[idx - 1]; j++) {
                boolean usedByCurrPic = r.readFlag();
                boolean useDelta = usedByCurrPic || r.readFlag();
                if (useDelta) {
                    count++;
                }
            }
            return checkRange("NumDeltaPocs", count, MAX_DELTA_POCS);
        }
        int negative = checkRange("num_negative_pics", r.readUe(), MAX_DELTA_POCS);
        int positive = checkRange("num_positive_pics", r.readUe(), MAX_DELTA_POCS);
        checkRange("NumDeltaPocs", negative + positive, MAX_DELTA_POCS);
        for (int i = 0; i < negative + positive; i++) {
            r.readUe(); // delta_poc_s0_minus1 or delta_poc_s1_minus1
            r.readBit(); // used_by_curr_pic_s0_flag or used_by_curr_pic_s1_flag
        }
        return negative + positive;
    }

    private static int checkRange(String name, long value, long max) {
        if (value > max) {
            throw new MediaFormatException("SPS " + name + " " + value + " exceeds " + max);
        }
        return (int) value;
    }

    /**
     * Returns the frame rate signalled by the VUI timing info: vui_time_scale /
     * vui_num_units_in_tick, one tick per picture (E.3.1).
     *
     * @return pictures per second, or 0 without timing info
     */
    public double frameRate() {
        return numUnitsInTick == 0 ? 0 : (double) timeScale / numUnitsInTick;
    }

    /**
     * Returns the profile's name from Annex A; for general_profile_idc 0 the first
     * compatibility flag set names it.
     *
     * @return for example {@code "Main"}, {@code "Main 10"}, {@code "Range Extensions"}
     */
    public String profileName() {
        return profileName(profileIdc, profileCompatibilityFlags);
    }

    /**
     * Returns the name of a general_profile_idc from Annex A.
     *
     * @param profileIdc general_profile_idc
     * @param compatibilityFlags the 32 general_profile_compatibility_flags, flag 0 in bit 31,
     *     used when {@code profileIdc} is 0
     * @return for example {@code "Main"}, or {@code "Unknown (N)"}
     */
    public static String profileName(int profileIdc, int compatibilityFlags) {
        int idc = profileIdc;
        for (int j = 1; idc == 0 && j < 32; j++) {
            if ((compatibilityFlags & (1 << (31 - j))) != 0) {
                idc = j;
            }
        }
        return switch (idc) {
            case 1 -> "Main";
            case 2 -> "Main 10";
            case 3 -> "Main Still Picture";
            case 4 -> "Range Extensions";
            case 5 -> "High Throughput";
            case 6 -> "Multiview Main";
            case 7 -> "Scalable Main";
            case 8 -> "3D Main";
            case 9 -> "Screen Content Coding";
            case 10 -> "Scalable Range Extensions";
            case 11 -> "High Throughput Screen Content Coding";
            default -> "Unknown (" + profileIdc + ")";
        };
    }

    /**
     * Returns the level as Table A.8 writes it: general_level_idc / 30.
     *
     * @return for example {@code "4.1"} or {@code "5"}
     */
    public String levelName() {
        return levelName(levelIdc);
    }

    /**
     * Returns the name of a general_level_idc as Table A.8 writes it.
     *
     * @param levelIdc general_level_idc, thirty times the level
     * @return for example {@code "4.1"} for 123, {@code "5"} for 150
     */
    public static String levelName(int levelIdc) {
        int major = levelIdc / 30;
        int minor = (levelIdc % 30) / 3;
        return minor == 0 ? Integer.toString(major) : major + "." + minor;
    }

    /**
     * Returns the codec-neutral summary of this SPS.
     *
     * @return width, height, frame rate (0 without timing info), profile and level names,
     *     luma bit depth
     */
    public VideoParameters videoParameters() {
        return new VideoParameters(width, height, frameRate(), profileName(), levelName(), bitDepthLuma);
    }
}
