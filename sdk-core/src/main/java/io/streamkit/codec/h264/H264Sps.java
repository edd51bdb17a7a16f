package io.streamkit.codec.h264;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.BitReader;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;

/**
 * An H.264 sequence parameter set, parsed as far as the VUI timing information
 * (ITU-T H.264 7.3.2.1.1 and E.1.1).
 *
 * <p>The parser reads the profile, level and constraint flags, the chroma format and
 * bit depths of the high profiles (skipping their scaling lists), the picture size in
 * macroblocks with frame cropping applied, and {@code num_units_in_tick} /
 * {@code time_scale} when the VUI carries timing info. It stops there: HRD parameters and
 * bitstream restrictions are not read.
 *
 * <p>Limits, each checked before use so a hostile SPS is rejected, never looped over:
 * <table>
 * <caption>Limits</caption>
 * <tr><th>value</th><th>limit</th><th>why</th></tr>
 * <tr><td>picture width and height in macroblocks</td><td>{@value #MAX_DIMENSION_IN_MBS}</td>
 *     <td>sqrt(8 * MaxFS) for the largest level, 6.2 (A.3.1 f, g)</td></tr>
 * <tr><td>picture size in macroblocks</td><td>{@value #MAX_FRAME_SIZE_IN_MBS}</td>
 *     <td>MaxFS of level 6.2 (Table A-1)</td></tr>
 * <tr><td>num_ref_frames_in_pic_order_cnt_cycle</td><td>255</td><td>7.4.2.1.1</td></tr>
 * <tr><td>bit depth</td><td>14</td><td>bit_depth_*_minus8 is 0..6 (7.4.2.1.1)</td></tr>
 * </table>
 *
 * @param profileIdc profile_idc, for example 100 for High
 * @param constraintFlags the byte holding constraint_set0_flag (bit 7) to constraint_set5_flag (bit 2)
 * @param levelIdc level_idc, ten times the level number (31 for level 3.1)
 * @param seqParameterSetId seq_parameter_set_id, 0 to 31
 * @param chromaFormatIdc chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param separateColourPlane separate_colour_plane_flag (4:4:4 coded as three planes)
 * @param bitDepthLuma luma bit depth, 8 to 14
 * @param bitDepthChroma chroma bit depth, 8 to 14
 * @param frameMbsOnly frame_mbs_only_flag; {@code false} when the stream may hold fields
 * @param width picture width in luma samples after frame cropping
 * @param height frame height in luma samples after frame cropping
 * @param numUnitsInTick VUI num_units_in_tick, or 0 without timing info
 * @param timeScale VUI time_scale, or 0 without timing info
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264</a>
 */
public record H264Sps(int profileIdc, int constraintFlags, int levelIdc, int seqParameterSetId,
        int chromaFormatIdc, boolean separateColourPlane, int bitDepthLuma, int bitDepthChroma,
        boolean frameMbsOnly, int width, int height, long numUnitsInTick, long timeScale) {

    /** NAL unit type of a sequence parameter set (Table 7-1). */
    public static final int NAL_UNIT_TYPE = 7;

    /** Largest picture width or height in macroblocks: sqrt(8 * 139264) for level 6.2 (A.3.1). */
    public static final int MAX_DIMENSION_IN_MBS = 1055;

    /** Largest picture in macroblocks: MaxFS of level 6.2 (Table A-1). */
    public static final int MAX_FRAME_SIZE_IN_MBS = 139_264;

    private static final int EXTENDED_SAR = 255;

    /**
     * Parses an SPS NAL unit, header byte included.
     *
     * <p>The buffer's reader index is not moved; the readable bytes from it are the NAL
     * unit (no start code, no length prefix). Emulation prevention bytes are removed first.
     *
     * @param nal the NAL unit; borrowed, not released
     * @return the parsed SPS
     * @throws MediaFormatException if it is not an SPS, is truncated, or breaks a limit
     */
    public static H264Sps parse(ByteBuf nal) {
        return parseRbsp(BitReader.unescapeRbsp(nal, nal.readerIndex(), nal.readableBytes()));
    }

    /**
     * Parses an SPS NAL unit, header byte included, from an array.
     *
     * @param nal the NAL unit, without start code or length prefix
     * @return the parsed SPS
     * @throws MediaFormatException if it is not an SPS, is truncated, or breaks a limit
     */
    public static H264Sps parse(byte[] nal) {
        return parseRbsp(BitReader.unescapeRbsp(nal, 0, nal.length));
    }

    private static H264Sps parseRbsp(byte[] rbsp) {
        BitReader r = BitReader.of(rbsp);
        if (rbsp.length < 4) {
            throw new MediaFormatException("SPS length " + rbsp.length + " is below the 4 bytes of its fixed header");
        }
        int forbiddenZero = r.readBit();
        r.readBits(2); // nal_ref_idc
        int nalUnitType = r.readBits(5);
        if (forbiddenZero != 0) {
            // 7.4.1: forbidden_zero_bit shall be 0; a set bit marks a corrupt unit, whatever its type says.
            throw new MediaFormatException(String.format("SPS NAL unit header 0x%02x has forbidden_zero_bit set",
                    rbsp[0] & 0xff));
        }
        if (nalUnitType != NAL_UNIT_TYPE) {
            throw new MediaFormatException("NAL unit type " + nalUnitType + " is not an SPS (" + NAL_UNIT_TYPE + ")");
        }
        int profileIdc = r.readBits(8);
        int constraintFlags = r.readBits(8);
        int levelIdc = r.readBits(8);
        int spsId = checkRange("seq_parameter_set_id", r.readUe(), 31);

        int chromaFormatIdc = 1;
        boolean separateColourPlane = false;
        int bitDepthLuma = 8;
        int bitDepthChroma = 8;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = checkRange("chroma_format_idc", r.readUe(), 3);
            if (chromaFormatIdc == 3) {
                separateColourPlane = r.readFlag();
            }
            bitDepthLuma = 8 + checkRange("bit_depth_luma_minus8", r.readUe(), 6);
            bitDepthChroma = 8 + checkRange("bit_depth_chroma_minus8", r.readUe(), 6);
            r.readBit(); // qpprime_y_zero_transform_bypass_flag
            if (r.readFlag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.readFlag()) { // seq_scaling_list_present_flag[i]
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        checkRange("log2_max_frame_num_minus4", r.readUe(), 12);
        int picOrderCntType = checkRange("pic_order_cnt_type", r.readUe(), 2);
        if (picOrderCntType == 0) {
            checkRange("log2_max_pic_order_cnt_lsb_minus4", r.readUe(), 12);
        } else if (picOrderCntType == 1) {
            r.readBit(); // delta_pic_order_always_zero_flag
            r.readSe(); // offset_for_non_ref_pic
            r.readSe(); // offset_for_top_to_bottom_field
            int cycle = checkRange("num_ref_frames_in_pic_order_cnt_cycle", r.readUe(), 255);
            for (int i = 0; i < cycle; i++) {
                r.readSe(); // offset_for_ref_frame[i]
            }
        }
        r.readUe(); // max_num_ref_frames
        r.readBit(); // gaps_in_frame_num_value_allowed_flag
        int widthInMbs = checkRange("pic_width_in_mbs", r.readUe() + 1L, MAX_DIMENSION_IN_MBS);
        int heightInMapUnits = checkRange("pic_height_in_map_units", r.readUe() + 1L, MAX_DIMENSION_IN_MBS);
        boolean frameMbsOnly = r.readFlag();
        if (!frameMbsOnly) {
            r.readBit(); // mb_adaptive_frame_field_flag
        }
        int heightInMbs = heightInMapUnits * (frameMbsOnly ? 1 : 2);
        checkRange("frame_height_in_mbs", heightInMbs, MAX_DIMENSION_IN_MBS);
        checkRange("frame size in macroblocks", (long) widthInMbs * heightInMbs, MAX_FRAME_SIZE_IN_MBS);
        r.readBit(); // direct_8x8_inference_flag

        int width = widthInMbs * 16;
        int height = heightInMbs * 16;
        if (r.readFlag()) { // frame_cropping_flag
            // 7.4.2.1.1, equations 7-19 to 7-22.
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int subWidthC = chromaArrayType == 3 ? 1 : 2;
            int subHeightC = chromaArrayType == 1 ? 2 : 1;
            int cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
            int cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
            long cropX = (long) cropUnitX * ((long) r.readUe() + r.readUe());
            long cropY = (long) cropUnitY * ((long) r.readUe() + r.readUe());
            if (cropX >= width || cropY >= height) {
                throw new MediaFormatException("SPS frame cropping " + cropX + "x" + cropY
                        + " leaves nothing of the coded " + width + "x" + height);
            }
            width -= (int) cropX;
            height -= (int) cropY;
        }

        long numUnitsInTick = 0;
        long timeScale = 0;
        if (r.readFlag()) { // vui_parameters_present_flag, E.1.1
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
            if (r.readFlag()) { // timing_info_present_flag
                numUnitsInTick = Integer.toUnsignedLong(r.readBits(32));
                timeScale = Integer.toUnsignedLong(r.readBits(32));
            }
        }
        return new H264Sps(profileIdc, constraintFlags, levelIdc, spsId, chromaFormatIdc, separateColourPlane,
                bitDepthLuma, bitDepthChroma, frameMbsOnly, width, height, numUnitsInTick, timeScale);
    }

    /**
     * Tells whether an SPS of this profile carries chroma_format_idc, bit depths and
     * scaling lists (the profile list of 7.3.2.1.1).
     *
     * @param profileIdc profile_idc
     * @return {@code true} for the high, scalable and multiview profiles
     */
    public static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    private static void skipScalingList(BitReader r, int size) {
        // 7.3.2.1.1.1: the deltas are read until nextScale becomes 0.
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size && nextScale != 0; j++) {
            int delta = r.readSe();
            if (delta < -128 || delta > 127) {
                throw new MediaFormatException("SPS delta_scale " + delta + " is outside -128..127");
            }
            nextScale = (lastScale + delta + 256) % 256;
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    private static int checkRange(String name, long value, long max) {
        if (value > max) {
            throw new MediaFormatException("SPS " + name + " " + value + " exceeds " + max);
        }
        return (int) value;
    }

    /**
     * Tells whether constraint_set{@code i}_flag is set.
     *
     * @param i the flag number, 0 to 5
     * @return the flag
     */
    public boolean constraintSet(int i) {
        if (i < 0 || i > 5) {
            throw new IllegalArgumentException("constraint set " + i + " is outside 0..5");
        }
        return (constraintFlags & (0x80 >> i)) != 0;
    }

    /**
     * Returns the frame rate signalled by the VUI timing info: time_scale / (2 *
     * num_units_in_tick), since a tick is one field (E.2.1).
     *
     * @return frames per second, or 0 without timing info
     */
    public double frameRate() {
        return numUnitsInTick == 0 ? 0 : timeScale / (2.0 * numUnitsInTick);
    }

    /**
     * Returns the profile's name from Annex A, refined by the constraint flags.
     *
     * @return for example {@code "Constrained Baseline"}, {@code "High"}, {@code "High 10"},
     *     or {@code "Unknown (N)"}
     */
    public String profileName() {
        return switch (profileIdc) {
            case 66 -> constraintSet(1) ? "Constrained Baseline" : "Baseline";
            case 77 -> "Main";
            case 88 -> "Extended";
            case 100 -> constraintSet(4) && constraintSet(5) ? "Constrained High"
                    : constraintSet(4) ? "Progressive High" : "High";
            case 110 -> constraintSet(3) ? "High 10 Intra" : constraintSet(4) ? "Progressive High 10" : "High 10";
            case 122 -> constraintSet(3) ? "High 4:2:2 Intra" : "High 4:2:2";
            case 244 -> constraintSet(3) ? "High 4:4:4 Intra" : "High 4:4:4 Predictive";
            case 44 -> "CAVLC 4:4:4 Intra";
            case 83 -> constraintSet(5) ? "Scalable Constrained Baseline" : "Scalable Baseline";
            case 86 -> constraintSet(3) ? "Scalable High Intra" : constraintSet(5) ? "Scalable Constrained High"
                    : "Scalable High";
            case 118 -> "Multiview High";
            case 128 -> "Stereo High";
            case 134 -> "MFC High";
            case 135 -> "MFC Depth High";
            case 138 -> "Multiview Depth High";
            case 139 -> "Enhanced Multiview Depth High";
            default -> "Unknown (" + profileIdc + ")";
        };
    }

    /**
     * Returns the level as Table A-1 writes it.
     *
     * @return for example {@code "3.1"} or {@code "4"}; {@code "1b"} for level_idc 9, or 11
     *     with constraint_set3_flag in the Baseline, Main and Extended profiles
     */
    public String levelName() {
        boolean level1b = levelIdc == 9
                || levelIdc == 11 && constraintSet(3) && (profileIdc == 66 || profileIdc == 77 || profileIdc == 88);
        if (level1b) {
            return "1b";
        }
        return levelIdc % 10 == 0 ? Integer.toString(levelIdc / 10) : (levelIdc / 10) + "." + (levelIdc % 10);
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
