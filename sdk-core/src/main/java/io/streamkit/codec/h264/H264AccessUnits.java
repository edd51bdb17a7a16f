package io.streamkit.codec.h264;

import io.netty.buffer.ByteBuf;

/**
 * What the NAL unit headers of an H.264 access unit say, in the track's canonical form:
 * NAL units each behind a big-endian length of {@code nalUnitLength} bytes (ISO/IEC 14496-15
 * 5.3.2), the size the avcC record gives ({@link AvcDecoderConfigurationRecord#nalUnitLength()}).
 *
 * <p>Only the one-byte NAL unit headers are read (ITU-T H.264 7.3.1), never a slice: the walk
 * reads one length and one header per NAL unit, is bounded by the buffer, allocates nothing
 * and never throws on bad input. Unlike the parsers of this package, a malformed access unit
 * gets an answer, not an exception: the caller is asking whether a decoder can start here,
 * and at a malformed access unit it cannot.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264, 7.3.1 and 7.4.1.2</a>
 */
public final class H264AccessUnits {
    /** nal_unit_type of a coded slice of an IDR picture (Table 7-1). */
    public static final int NAL_IDR_SLICE = 5;

    private H264AccessUnits() {
    }

    /**
     * Tells whether an access unit is a random access point: whether it contains a slice of
     * an IDR picture (nal_unit_type 5), where a decoder can start with nothing before it.
     *
     * <p>A non-IDR I picture is not one, even with a recovery point SEI: pictures after it
     * may refer to pictures before it (open GOP), and encoders that flag it as a keyframe
     * start players on a picture they cannot decode. An access unit whose lengths run past
     * its end, that ends inside a length prefix, or that holds a NAL unit with its
     * forbidden_zero_bit set is malformed and is not one either.
     *
     * @param accessUnit the length-prefixed NAL units, its readable bytes; borrowed, indexes untouched
     * @param nalUnitLength the size of each length prefix: 1, 2 or 4
     * @return {@code true} when a well-formed access unit holds an IDR slice
     * @throws IllegalArgumentException when {@code nalUnitLength} is not 1, 2 or 4
     */
    public static boolean isRandomAccessPoint(ByteBuf accessUnit, int nalUnitLength) {
        checkNalUnitLength(nalUnitLength);
        int end = accessUnit.writerIndex();
        boolean idr = false;
        // Each step moves past at least the length prefix, so the walk ends within the buffer.
        for (int i = accessUnit.readerIndex(); i < end; ) {
            if (end - i < nalUnitLength) {
                return false;
            }
            long length = length(accessUnit, i, nalUnitLength);
            i += nalUnitLength;
            if (length > end - i) {
                return false;
            }
            if (length > 0) {
                int header = accessUnit.getUnsignedByte(i);
                if ((header & 0x80) != 0) {
                    return false;
                }
                idr |= (header & 0x1f) == NAL_IDR_SLICE;
            }
            i += (int) length;
        }
        return idr;
    }

    private static void checkNalUnitLength(int nalUnitLength) {
        if (nalUnitLength != 1 && nalUnitLength != 2 && nalUnitLength != 4) {
            throw new IllegalArgumentException("NAL unit length size " + nalUnitLength + " is not 1, 2 or 4");
        }
    }

    private static long length(ByteBuf buf, int index, int size) {
        return switch (size) {
            case 1 -> buf.getUnsignedByte(index);
            case 2 -> buf.getUnsignedShort(index);
            default -> buf.getUnsignedInt(index);
        };
    }
}
