package io.streamkit.codec.h265;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The H.265 decoder configuration of an MP4 {@code hvcC} box or an enhanced-RTMP/FLV HEVC
 * sequence header (ISO/IEC 14496-15 8.3.3.1).
 *
 * <p>It holds the general profile, tier and level, the chroma format and bit depths, the
 * NAL unit length size used by the samples, and arrays of parameter set and SEI NAL units,
 * each tagged with its NAL unit type (32 VPS, 33 SPS, 34 PPS, 39/40 SEI). Parsing keeps
 * every field, so {@link #writeTo(ByteBuf)} reproduces a conforming record byte for byte
 * (reserved bits are written as the 1s the specification requires).
 *
 * <p>Rejected: a version other than {@value #VERSION}, a NAL unit length size of 3 bytes,
 * no SPS, a count or a length that runs past the buffer, and an SPS that does not parse.
 * Instances are immutable; the arrays handed out are copies.
 *
 * @see <a href="https://www.iso.org/standard/83336.html">ISO/IEC 14496-15 8.3.3.1</a>
 */
public final class HevcDecoderConfigurationRecord {
    /** The only configurationVersion defined (8.3.3.1.2). */
    public static final int VERSION = 1;

    /** NAL unit type of a video parameter set (ITU-T H.265 Table 7-1). */
    public static final int VPS = 32;
    /** NAL unit type of a sequence parameter set. */
    public static final int SPS = 33;
    /** NAL unit type of a picture parameter set. */
    public static final int PPS = 34;
    /** NAL unit type of a prefix SEI message. */
    public static final int PREFIX_SEI = 39;
    /** NAL unit type of a suffix SEI message. */
    public static final int SUFFIX_SEI = 40;

    /** Size of the fixed part before the arrays, in bytes (8.3.3.1.1). */
    private static final int HEADER_LENGTH = 23;

    /**
     * One array of NAL units of a single type.
     *
     * @param complete array_completeness: all NAL units of this type are here, none in band
     * @param nalUnitType the NAL unit type, 0 to 63
     * @param nalUnits the NAL units, header included
     */
    public record NalArray(boolean complete, int nalUnitType, List<byte[]> nalUnits) {
        /**
         * Creates an array, copying the NAL units.
         *
         * @param complete array_completeness
         * @param nalUnitType the NAL unit type, 0 to 63
         * @param nalUnits the NAL units, header included
         */
        public NalArray {
            if (nalUnitType < 0 || nalUnitType > 63) {
                throw new IllegalArgumentException("NAL unit type " + nalUnitType + " is outside 0..63");
            }
            nalUnits = copy(nalUnits);
        }

        /**
         * Returns the NAL units.
         *
         * @return fresh copies of the NAL units
         */
        @Override
        public List<byte[]> nalUnits() {
            return copy(nalUnits);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NalArray other && complete == other.complete && nalUnitType == other.nalUnitType
                    && same(nalUnits, other.nalUnits);
        }

        @Override
        public int hashCode() {
            return nalUnitType * 31 + nalUnits.size();
        }
    }

    private final int profileSpace;
    private final boolean tierFlag;
    private final int profileIdc;
    private final int profileCompatibilityFlags;
    private final long constraintIndicatorFlags;
    private final int levelIdc;
    private final int minSpatialSegmentationIdc;
    private final int parallelismType;
    private final int chromaFormat;
    private final int bitDepthLumaMinus8;
    private final int bitDepthChromaMinus8;
    private final int avgFrameRate;
    private final int constantFrameRate;
    private final int numTemporalLayers;
    private final boolean temporalIdNested;
    private final int nalUnitLength;
    private final List<NalArray> arrays;
    private final H265Sps firstSps;

    private HevcDecoderConfigurationRecord(int profileSpace, boolean tierFlag, int profileIdc,
            int profileCompatibilityFlags, long constraintIndicatorFlags, int levelIdc, int minSpatialSegmentationIdc,
            int parallelismType, int chromaFormat, int bitDepthLumaMinus8, int bitDepthChromaMinus8,
            int avgFrameRate, int constantFrameRate, int numTemporalLayers, boolean temporalIdNested,
            int nalUnitLength, List<NalArray> arrays) {
        this.profileSpace = profileSpace;
        this.tierFlag = tierFlag;
        this.profileIdc = profileIdc;
        this.profileCompatibilityFlags = profileCompatibilityFlags;
        this.constraintIndicatorFlags = constraintIndicatorFlags;
        this.levelIdc = levelIdc;
        this.minSpatialSegmentationIdc = minSpatialSegmentationIdc;
        this.parallelismType = parallelismType;
        this.chromaFormat = chromaFormat;
        this.bitDepthLumaMinus8 = bitDepthLumaMinus8;
        this.bitDepthChromaMinus8 = bitDepthChromaMinus8;
        this.avgFrameRate = avgFrameRate;
        this.constantFrameRate = constantFrameRate;
        this.numTemporalLayers = numTemporalLayers;
        this.temporalIdNested = temporalIdNested;
        this.nalUnitLength = nalUnitLength;
        this.arrays = List.copyOf(arrays);
        List<byte[]> sps = nalUnits(SPS);
        if (sps.isEmpty()) {
            throw new MediaFormatException("HEVC configuration has 0 SPS, needs at least 1");
        }
        this.firstSps = H265Sps.parse(sps.get(0));
    }

    /**
     * Parses a record from the readable bytes of {@code buf}.
     *
     * <p>The reader index is not moved; bytes after the record are ignored.
     *
     * @param buf the record, starting at its reader index; borrowed, not released
     * @return the parsed record
     * @throws MediaFormatException if the record or its first SPS is malformed
     */
    public static HevcDecoderConfigurationRecord parse(ByteBuf buf) {
        int index = buf.readerIndex();
        int end = buf.writerIndex();
        if (end - index < HEADER_LENGTH) {
            throw new MediaFormatException("HEVC configuration truncated: " + (end - index)
                    + " bytes, the fixed part needs " + HEADER_LENGTH);
        }
        int version = buf.getUnsignedByte(index);
        if (version != VERSION) {
            throw new MediaFormatException("HEVC configurationVersion " + version + " is not " + VERSION);
        }
        int b = buf.getUnsignedByte(index + 1);
        int compatibility = buf.getInt(index + 2);
        long constraints = ((long) buf.getUnsignedShort(index + 6) << 32) | buf.getUnsignedInt(index + 8);
        int levelIdc = buf.getUnsignedByte(index + 12);
        int minSpatialSegmentation = buf.getUnsignedShort(index + 13) & 0x0fff;
        int parallelismType = buf.getUnsignedByte(index + 15) & 0x3;
        int chromaFormat = buf.getUnsignedByte(index + 16) & 0x3;
        int bitDepthLumaMinus8 = buf.getUnsignedByte(index + 17) & 0x7;
        int bitDepthChromaMinus8 = buf.getUnsignedByte(index + 18) & 0x7;
        int avgFrameRate = buf.getUnsignedShort(index + 19);
        int flags = buf.getUnsignedByte(index + 21);
        int nalUnitLength = (flags & 0x3) + 1;
        checkNalUnitLength(nalUnitLength);
        int numArrays = buf.getUnsignedByte(index + 22);
        index += HEADER_LENGTH;

        List<NalArray> arrays = new ArrayList<>(numArrays);
        for (int i = 0; i < numArrays; i++) {
            need(index, 3, end, "array " + i + " header");
            int typeByte = buf.getUnsignedByte(index);
            int numNalus = buf.getUnsignedShort(index + 1);
            index += 3;
            List<byte[]> units = new ArrayList<>(Math.min(numNalus, (end - index) / 2));
            for (int j = 0; j < numNalus; j++) {
                need(index, 2, end, "array " + i + " NAL unit " + j + " length");
                int length = buf.getUnsignedShort(index);
                index += 2;
                if (length == 0) {
                    throw new MediaFormatException("HEVC array " + i + " NAL unit " + j + " has length 0");
                }
                need(index, length, end, "array " + i + " NAL unit " + j);
                byte[] unit = new byte[length];
                buf.getBytes(index, unit);
                index += length;
                units.add(unit);
            }
            arrays.add(new NalArray((typeByte & 0x80) != 0, typeByte & 0x3f, units));
        }
        return new HevcDecoderConfigurationRecord(b >> 6, (b & 0x20) != 0, b & 0x1f, compatibility, constraints,
                levelIdc, minSpatialSegmentation, parallelismType, chromaFormat, bitDepthLumaMinus8,
                bitDepthChromaMinus8, avgFrameRate, flags >> 6, (flags >> 3) & 0x7, (flags & 0x4) != 0,
                nalUnitLength, arrays);
    }

    /**
     * Builds a record from parameter sets, as an RTMP or RTSP ingest does when it learns
     * them in band.
     *
     * <p>Profile, tier, level, chroma format, bit depths and temporal layers come from the
     * first SPS. min_spatial_segmentation_idc, parallelismType, avgFrameRate and
     * constantFrameRate are written as 0 ("unknown"), which every reader accepts. The
     * arrays are marked complete, as {@code hvc1} sample entries require.
     *
     * @param vps the VPS NAL units, header included; copied
     * @param sps the SPS NAL units, header included, at least one; copied
     * @param pps the PPS NAL units, header included; copied
     * @param nalUnitLength the sample NAL unit length size: 1, 2 or 4
     * @return the record
     * @throws MediaFormatException if there is no SPS, the first SPS does not parse, or the
     *     length size is not 1, 2 or 4
     */
    public static HevcDecoderConfigurationRecord of(List<byte[]> vps, List<byte[]> sps, List<byte[]> pps,
            int nalUnitLength) {
        checkNalUnitLength(nalUnitLength);
        if (sps.isEmpty()) {
            throw new MediaFormatException("HEVC configuration has 0 SPS, needs at least 1");
        }
        H265Sps s = H265Sps.parse(sps.get(0));
        List<NalArray> arrays = new ArrayList<>();
        if (!vps.isEmpty()) {
            arrays.add(new NalArray(true, VPS, vps));
        }
        arrays.add(new NalArray(true, SPS, sps));
        if (!pps.isEmpty()) {
            arrays.add(new NalArray(true, PPS, pps));
        }
        return new HevcDecoderConfigurationRecord(s.profileSpace(), s.tierFlag(), s.profileIdc(),
                s.profileCompatibilityFlags(), s.constraintIndicatorFlags(), s.levelIdc(), 0, 0,
                s.chromaFormatIdc(), s.bitDepthLuma() - 8, s.bitDepthChroma() - 8, 0, 0, s.maxSubLayers(),
                s.temporalIdNesting(), nalUnitLength, arrays);
    }

    /**
     * Writes the record in its ISO/IEC 14496-15 form, reserved bits set to 1.
     *
     * @param out the buffer to append to at its writer index
     */
    public void writeTo(ByteBuf out) {
        out.writeByte(VERSION);
        out.writeByte(profileSpace << 6 | (tierFlag ? 0x20 : 0) | profileIdc);
        out.writeInt(profileCompatibilityFlags);
        out.writeShort((int) (constraintIndicatorFlags >>> 32));
        out.writeInt((int) constraintIndicatorFlags);
        out.writeByte(levelIdc);
        out.writeShort(0xf000 | minSpatialSegmentationIdc);
        out.writeByte(0xfc | parallelismType);
        out.writeByte(0xfc | chromaFormat);
        out.writeByte(0xf8 | bitDepthLumaMinus8);
        out.writeByte(0xf8 | bitDepthChromaMinus8);
        out.writeShort(avgFrameRate);
        out.writeByte(constantFrameRate << 6 | numTemporalLayers << 3 | (temporalIdNested ? 0x4 : 0)
                | (nalUnitLength - 1));
        out.writeByte(arrays.size());
        for (NalArray array : arrays) {
            out.writeByte((array.complete() ? 0x80 : 0) | array.nalUnitType());
            out.writeShort(array.nalUnits.size());
            for (byte[] unit : array.nalUnits) {
                out.writeShort(unit.length);
                out.writeBytes(unit);
            }
        }
    }

    /**
     * Returns general_profile_idc.
     *
     * @return the profile, for example 1 for Main
     */
    public int profileIdc() {
        return profileIdc;
    }

    /**
     * Returns general_profile_space.
     *
     * @return 0 for every published profile
     */
    public int profileSpace() {
        return profileSpace;
    }

    /**
     * Returns general_tier_flag.
     *
     * @return {@code true} for the High tier
     */
    public boolean tierFlag() {
        return tierFlag;
    }

    /**
     * Returns the 32 general_profile_compatibility_flags, flag 0 in bit 31.
     *
     * @return the flags
     */
    public int profileCompatibilityFlags() {
        return profileCompatibilityFlags;
    }

    /**
     * Returns the 48 general constraint indicator flags, the first in bit 47.
     *
     * @return the flags
     */
    public long constraintIndicatorFlags() {
        return constraintIndicatorFlags;
    }

    /**
     * Returns general_level_idc.
     *
     * @return thirty times the level, for example 123 for 4.1
     */
    public int levelIdc() {
        return levelIdc;
    }

    /**
     * Returns chroma_format_idc as the record states it.
     *
     * @return 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
     */
    public int chromaFormat() {
        return chromaFormat;
    }

    /**
     * Returns the luma bit depth as the record states it.
     *
     * @return 8 to 15
     */
    public int bitDepthLuma() {
        return bitDepthLumaMinus8 + 8;
    }

    /**
     * Returns numTemporalLayers.
     *
     * @return temporal layers, 0 when unknown
     */
    public int numTemporalLayers() {
        return numTemporalLayers;
    }

    /**
     * Returns lengthSizeMinusOne + 1, the size of the length prefix before each NAL unit.
     *
     * @return 1, 2 or 4
     */
    public int nalUnitLength() {
        return nalUnitLength;
    }

    /**
     * Returns lengthSizeMinusOne, as the field is named in the record.
     *
     * @return 0, 1 or 3
     */
    public int lengthSizeMinusOne() {
        return nalUnitLength - 1;
    }

    /**
     * Returns the NAL unit arrays in record order.
     *
     * @return the arrays
     */
    public List<NalArray> arrays() {
        return arrays;
    }

    /**
     * Returns every NAL unit of one type, across arrays.
     *
     * @param nalUnitType for example {@link #SPS}
     * @return fresh copies, possibly none
     */
    public List<byte[]> nalUnits(int nalUnitType) {
        List<byte[]> out = new ArrayList<>();
        for (NalArray array : arrays) {
            if (array.nalUnitType() == nalUnitType) {
                out.addAll(array.nalUnits());
            }
        }
        return out;
    }

    /**
     * Returns the VPS NAL units.
     *
     * @return fresh copies
     */
    public List<byte[]> vps() {
        return nalUnits(VPS);
    }

    /**
     * Returns the SPS NAL units.
     *
     * @return fresh copies, at least one
     */
    public List<byte[]> sps() {
        return nalUnits(SPS);
    }

    /**
     * Returns the PPS NAL units.
     *
     * @return fresh copies
     */
    public List<byte[]> pps() {
        return nalUnits(PPS);
    }

    /**
     * Returns the prefix and suffix SEI NAL units.
     *
     * @return fresh copies, usually none
     */
    public List<byte[]> sei() {
        List<byte[]> out = nalUnits(PREFIX_SEI);
        out.addAll(nalUnits(SUFFIX_SEI));
        return out;
    }

    /**
     * Returns the first SPS, parsed.
     *
     * @return the SPS that describes the picture
     */
    public H265Sps firstSps() {
        return firstSps;
    }

    /**
     * Returns the codec-neutral summary: picture size, frame rate and bit depth from the
     * first SPS, profile and level from the record's general fields.
     *
     * @return the video parameters
     */
    public VideoParameters videoParameters() {
        return new VideoParameters(firstSps.width(), firstSps.height(), firstSps.frameRate(),
                H265Sps.profileName(profileIdc, profileCompatibilityFlags), H265Sps.levelName(levelIdc),
                firstSps.bitDepthLuma());
    }

    private static void checkNalUnitLength(int nalUnitLength) {
        if (nalUnitLength != 1 && nalUnitLength != 2 && nalUnitLength != 4) {
            throw new MediaFormatException("HEVC NAL unit length size " + nalUnitLength + " is not 1, 2 or 4");
        }
    }

    private static void need(int index, int n, int end, String field) {
        if (n > end - index) {
            throw new MediaFormatException("HEVC configuration truncated: " + field + " needs " + n + " bytes, "
                    + (end - index) + " left");
        }
    }

    private static List<byte[]> copy(List<byte[]> units) {
        List<byte[]> out = new ArrayList<>(units.size());
        for (byte[] unit : units) {
            out.add(unit.clone());
        }
        return List.copyOf(out);
    }

    private static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "HevcDecoderConfigurationRecord[" + videoParameters() + ", nalUnitLength=" + nalUnitLength
                + ", arrays=" + arrays.size() + "]";
    }
}
