package io.streamkit.codec.h264;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.VideoParameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The H.264 decoder configuration of an MP4 {@code avcC} box, an FLV AVC sequence header
 * or an RTMP video config message (ISO/IEC 14496-15 5.3.3.1).
 *
 * <p>It holds the profile, compatibility and level bytes, the NAL unit length size used by
 * the samples, the SPS and PPS NAL units and, for the profiles other than Baseline, Main
 * and Extended, the optional chroma format, bit depth and SPS extension fields that follow
 * them. Parsing keeps every field, so {@link #writeTo(ByteBuf)} reproduces a conforming
 * record byte for byte.
 *
 * <p>Rejected: a version other than {@value #VERSION}, a NAL unit length size of 3 bytes
 * (ISO/IEC 14496-15 allows 1, 2 and 4), no SPS, a count or a length that runs past the
 * buffer, and an SPS that does not parse. Instances are immutable; the arrays handed out
 * are copies.
 *
 * @see <a href="https://www.iso.org/standard/83336.html">ISO/IEC 14496-15 5.3.3.1</a>
 */
public final class AvcDecoderConfigurationRecord {
    /** The only configurationVersion defined (5.3.3.1.2). */
    public static final int VERSION = 1;

    /** Most SPS NAL units: numOfSequenceParameterSets is a 5-bit field. */
    public static final int MAX_SPS_COUNT = 31;

    /** Most PPS NAL units: numOfPictureParameterSets is an 8-bit field. */
    public static final int MAX_PPS_COUNT = 255;

    private final int profile;
    private final int compatibility;
    private final int level;
    private final int nalUnitLength;
    private final List<byte[]> sps;
    private final List<byte[]> pps;
    private final boolean hasExtension;
    private final int chromaFormat;
    private final int bitDepthLumaMinus8;
    private final int bitDepthChromaMinus8;
    private final List<byte[]> spsExt;
    private final H264Sps firstSps;

    private AvcDecoderConfigurationRecord(int profile, int compatibility, int level, int nalUnitLength,
            List<byte[]> sps, List<byte[]> pps, boolean hasExtension, int chromaFormat, int bitDepthLumaMinus8,
            int bitDepthChromaMinus8, List<byte[]> spsExt) {
        if (sps.isEmpty()) {
            throw new MediaFormatException("AVC configuration has 0 SPS, needs at least 1");
        }
        this.profile = profile;
        this.compatibility = compatibility;
        this.level = level;
        this.nalUnitLength = nalUnitLength;
        this.sps = copy(sps);
        this.pps = copy(pps);
        this.hasExtension = hasExtension;
        this.chromaFormat = chromaFormat;
        this.bitDepthLumaMinus8 = bitDepthLumaMinus8;
        this.bitDepthChromaMinus8 = bitDepthChromaMinus8;
        this.spsExt = copy(spsExt);
        this.firstSps = H264Sps.parse(this.sps.get(0));
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
    public static AvcDecoderConfigurationRecord parse(ByteBuf buf) {
        Cursor c = new Cursor(buf);
        int version = c.u8("configurationVersion");
        if (version != VERSION) {
            throw new MediaFormatException("AVC configurationVersion " + version + " is not " + VERSION);
        }
        int profile = c.u8("AVCProfileIndication");
        int compatibility = c.u8("profile_compatibility");
        int level = c.u8("AVCLevelIndication");
        int nalUnitLength = (c.u8("lengthSizeMinusOne") & 0x3) + 1;
        checkNalUnitLength(nalUnitLength);
        int spsCount = c.u8("numOfSequenceParameterSets") & 0x1f;
        if (spsCount == 0) {
            throw new MediaFormatException("AVC configuration has 0 SPS, needs at least 1");
        }
        List<byte[]> sps = c.nalUnits(spsCount, "SPS");
        int ppsCount = c.u8("numOfPictureParameterSets");
        List<byte[]> pps = c.nalUnits(ppsCount, "PPS");
        // 5.3.3.1.2: the extension follows for other profiles, but many muxers leave it out.
        boolean hasExtension = !isBaseOrMain(profile) && c.remaining() >= 4;
        int chromaFormat = 1;
        int bitDepthLumaMinus8 = 0;
        int bitDepthChromaMinus8 = 0;
        List<byte[]> spsExt = List.of();
        if (hasExtension) {
            chromaFormat = c.u8("chroma_format") & 0x3;
            bitDepthLumaMinus8 = c.u8("bit_depth_luma_minus8") & 0x7;
            bitDepthChromaMinus8 = c.u8("bit_depth_chroma_minus8") & 0x7;
            spsExt = c.nalUnits(c.u8("numOfSequenceParameterSetExt"), "SPS extension");
        }
        return new AvcDecoderConfigurationRecord(profile, compatibility, level, nalUnitLength, sps, pps,
                hasExtension, chromaFormat, bitDepthLumaMinus8, bitDepthChromaMinus8, spsExt);
    }

    /**
     * Builds a record from parameter sets, as an RTMP or RTSP ingest does when it learns
     * them in band.
     *
     * <p>Profile, compatibility and level are the SPS's bytes 1 to 3. For the profiles
     * other than Baseline, Main and Extended, the chroma format and bit depth fields are
     * filled from the first SPS and no SPS extension is written, as ffmpeg does.
     *
     * @param sps the SPS NAL units, header byte included, at least one; copied
     * @param pps the PPS NAL units, header byte included; copied
     * @param nalUnitLength the sample NAL unit length size: 1, 2 or 4
     * @return the record
     * @throws MediaFormatException if there is no SPS, the first SPS does not parse, or the
     *     length size or counts are out of range
     */
    public static AvcDecoderConfigurationRecord of(List<byte[]> sps, List<byte[]> pps, int nalUnitLength) {
        checkNalUnitLength(nalUnitLength);
        if (sps.isEmpty()) {
            throw new MediaFormatException("AVC configuration has 0 SPS, needs at least 1");
        }
        checkCount(sps.size(), MAX_SPS_COUNT, "SPS");
        checkCount(pps.size(), MAX_PPS_COUNT, "PPS");
        byte[] first = sps.get(0);
        if (first.length < 4) {
            throw new MediaFormatException("SPS length " + first.length + " is below the 4 bytes of its fixed header");
        }
        H264Sps parsed = H264Sps.parse(first);
        boolean ext = !isBaseOrMain(parsed.profileIdc());
        return new AvcDecoderConfigurationRecord(first[1] & 0xff, first[2] & 0xff, first[3] & 0xff, nalUnitLength,
                sps, pps, ext, parsed.chromaFormatIdc(), parsed.bitDepthLuma() - 8, parsed.bitDepthChroma() - 8,
                List.of());
    }

    /**
     * Writes the record in its ISO/IEC 14496-15 form, reserved bits set to 1.
     *
     * @param out the buffer to append to at its writer index
     */
    public void writeTo(ByteBuf out) {
        out.writeByte(VERSION);
        out.writeByte(profile);
        out.writeByte(compatibility);
        out.writeByte(level);
        out.writeByte(0xfc | (nalUnitLength - 1));
        out.writeByte(0xe0 | sps.size());
        writeNalUnits(out, sps);
        out.writeByte(pps.size());
        writeNalUnits(out, pps);
        if (hasExtension) {
            out.writeByte(0xfc | chromaFormat);
            out.writeByte(0xf8 | bitDepthLumaMinus8);
            out.writeByte(0xf8 | bitDepthChromaMinus8);
            out.writeByte(spsExt.size());
            writeNalUnits(out, spsExt);
        }
    }

    /**
     * Returns the size {@link #writeTo(ByteBuf)} writes.
     *
     * @return the record length in bytes
     */
    public int encodedLength() {
        int n = 7 + lengthOf(sps) + lengthOf(pps);
        return hasExtension ? n + 4 + lengthOf(spsExt) : n;
    }

    private static void writeNalUnits(ByteBuf out, List<byte[]> units) {
        for (byte[] unit : units) {
            out.writeShort(unit.length);
            out.writeBytes(unit);
        }
    }

    private static int lengthOf(List<byte[]> units) {
        int n = 0;
        for (byte[] unit : units) {
            n += 2 + unit.length;
        }
        return n;
    }

    /**
     * Returns AVCProfileIndication, the profile_idc of the SPS.
     *
     * @return the profile, for example 100 for High
     */
    public int profile() {
        return profile;
    }

    /**
     * Returns profile_compatibility, the constraint flags byte of the SPS.
     *
     * @return the compatibility byte
     */
    public int compatibility() {
        return compatibility;
    }

    /**
     * Returns AVCLevelIndication, the level_idc of the SPS.
     *
     * @return ten times the level, for example 31
     */
    public int level() {
        return level;
    }

    /**
     * Returns the size of the length prefix before each NAL unit in the samples.
     *
     * @return 1, 2 or 4
     */
    public int nalUnitLength() {
        return nalUnitLength;
    }

    /**
     * Returns the SPS NAL units, header byte included.
     *
     * @return at least one SPS; fresh copies
     */
    public List<byte[]> sps() {
        return copy(sps);
    }

    /**
     * Returns the PPS NAL units, header byte included.
     *
     * @return the PPS, possibly none; fresh copies
     */
    public List<byte[]> pps() {
        return copy(pps);
    }

    /**
     * Returns the SPS extension NAL units of the profile-dependent tail.
     *
     * @return the SPS extensions, usually none; fresh copies
     */
    public List<byte[]> spsExt() {
        return copy(spsExt);
    }

    /**
     * Tells whether the record carries the chroma format and bit depth tail.
     *
     * @return {@code true} if the tail is present
     */
    public boolean hasExtension() {
        return hasExtension;
    }

    /**
     * Returns the first SPS, parsed.
     *
     * @return the SPS that describes the picture
     */
    public H264Sps firstSps() {
        return firstSps;
    }

    /**
     * Returns the codec-neutral summary of the first SPS.
     *
     * @return width, height, frame rate, profile, level and bit depth
     */
    public VideoParameters videoParameters() {
        return firstSps.videoParameters();
    }

    private static boolean isBaseOrMain(int profile) {
        return profile == 66 || profile == 77 || profile == 88;
    }

    private static void checkNalUnitLength(int nalUnitLength) {
        if (nalUnitLength != 1 && nalUnitLength != 2 && nalUnitLength != 4) {
            throw new MediaFormatException("AVC NAL unit length size " + nalUnitLength + " is not 1, 2 or 4");
        }
    }

    private static void checkCount(int count, int max, String what) {
        if (count > max) {
            throw new MediaFormatException("AVC " + what + " count " + count + " exceeds " + max);
        }
    }

    private static List<byte[]> copy(List<byte[]> units) {
        List<byte[]> out = new ArrayList<>(units.size());
        for (byte[] unit : units) {
            out.add(unit.clone());
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AvcDecoderConfigurationRecord other
                && profile == other.profile && compatibility == other.compatibility && level == other.level
                && nalUnitLength == other.nalUnitLength && hasExtension == other.hasExtension
                && chromaFormat == other.chromaFormat && bitDepthLumaMinus8 == other.bitDepthLumaMinus8
                && bitDepthChromaMinus8 == other.bitDepthChromaMinus8
                && same(sps, other.sps) && same(pps, other.pps) && same(spsExt, other.spsExt);
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
    public int hashCode() {
        return Arrays.hashCode(sps.get(0)) * 31 + level;
    }

    @Override
    public String toString() {
        return "AvcDecoderConfigurationRecord[" + firstSps.videoParameters() + ", nalUnitLength=" + nalUnitLength
                + ", sps=" + sps.size() + ", pps=" + pps.size() + "]";
    }

    /** Bounds-checked absolute reads from the reader index on; the buffer's indexes never move. */
    private static final class Cursor {
        private final ByteBuf buf;
        private final int end;
        private int index;

        Cursor(ByteBuf buf) {
            this.buf = buf;
            this.index = buf.readerIndex();
            this.end = buf.writerIndex();
        }

        int remaining() {
            return end - index;
        }

        int u8(String field) {
            need(1, field);
            return buf.getUnsignedByte(index++);
        }

        List<byte[]> nalUnits(int count, String what) {
            List<byte[]> units = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                need(2, what + " " + i + " length");
                int length = buf.getUnsignedShort(index);
                index += 2;
                if (length == 0) {
                    throw new MediaFormatException("AVC " + what + " " + i + " has length 0");
                }
                need(length, what + " " + i);
                byte[] unit = new byte[length];
                buf.getBytes(index, unit);
                index += length;
                units.add(unit);
            }
            return units;
        }

        private void need(int n, String field) {
            if (n > end - index) {
                throw new MediaFormatException("AVC configuration truncated: " + field + " needs " + n
                        + " bytes, " + (end - index) + " left");
            }
        }
    }
}
