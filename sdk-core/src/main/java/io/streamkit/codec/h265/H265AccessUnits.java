package io.streamkit.codec.h265;

import io.netty.buffer.ByteBuf;

/**
 * What the NAL unit headers of an H.265 access unit say, in the track's canonical form:
 * NAL units each behind a big-endian length of {@code nalUnitLength} bytes (ISO/IEC 14496-15
 * 8.3.2), the size the hvcC record gives ({@link HevcDecoderConfigurationRecord#nalUnitLength()}).
 *
 * <p>Only the two-byte NAL unit headers are read (ITU-T H.265 7.3.1.2), never a slice: the
 * walk reads one length and one header per NAL unit, is bounded by the buffer, allocates
 * nothing and never throws on bad input. Unlike the parsers of this package, a malformed
 * access unit gets an answer, not an exception: the caller is asking whether a decoder can
 * start here, and at a malformed access unit it cannot.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.265">ITU-T H.265, 7.3.1.2 and 7.4.2.2</a>
 */
public final class H265AccessUnits {
    /** The first nal_unit_type of an IRAP picture: BLA_W_LP (Table 7-1). */
    public static final int FIRST_IRAP = 16;
    /** The last nal_unit_type of an IRAP picture: RSV_IRAP_VCL23, reserved for IRAP pictures. */
    public static final int LAST_IRAP = 23;

    private H265AccessUnits() {
    }

    /**
     * Tells whether an access unit is a random access point: whether its base layer
     * (nuh_layer_id 0) contains a slice of an IRAP picture, nal_unit_type 16 to 23 (BLA,
     * IDR, CRA and the two reserved IRAP types), where a decoder can start (3.73; after a CRA
     * or BLA it drops the RASL pictures that follow).
     *
     * <p>An I picture in a TRAIL NAL unit is not one: pictures after it may refer to pictures
     * before it. An access unit whose lengths run past its end, that ends inside a length
     * prefix, or that holds a NAL unit shorter than its two-byte header, with its
     * forbidden_zero_bit set or with nuh_temporal_id_plus1 0 is malformed and is not one either.
     *
     * @param accessUnit the length-prefixed NAL units, its readable bytes; borrowed, indexes untouched
     * @param nalUnitLength the size of each length prefix: 1, 2 or 4
     * @return {@code true} when a well-formed access unit holds an IRAP slice in its base layer
     * @throws IllegalArgumentException when {@code nalUnitLength} is not 1, 2 or 4
     */
    public static boolean isRandomAccessPoint(ByteBuf accessUnit, int nalUnitLength) {
        if (nalUnitLength != 1 && nalUnitLength != 2 && nalUnitLength != 4) {
            throw new IllegalArgumentException("NAL unit length size " + nalUnitLength + " is not 1, 2 or 4");
        }
        int end = accessUnit.writerIndex();
        boolean irap = false;
        // Each step moves past at least the length prefix, so the walk ends within the buffer.
        for (int i = accessUnit.readerIndex(); i < end; ) {
            if (end - i < nalUnitLength) {
                return false;
            }
            long length = switch (nalUnitLength) {
                case 1 -> accessUnit.getUnsignedByte(i);
                case 2 -> accessUnit.getUnsignedShort(i);
                default -> accessUnit.getUnsignedInt(i);
            };
            i += nalUnitLength;
            if (length > end - i) {
                return false;
            }
            if (length > 0) {
                if (length < 2) {
                    return false;
                }
                int header = accessUnit.getUnsignedShort(i);
                if ((header & 0x8000) != 0 || (header & 0x7) == 0) {
                    return false;
                }
                int type = header >> 9 & 0x3f;
                int layer = header >> 3 & 0x3f;
                irap |= layer == 0 && type >= FIRST_IRAP && type <= LAST_IRAP;
            }
            i += (int) length;
        }
        return irap;
    }
}
