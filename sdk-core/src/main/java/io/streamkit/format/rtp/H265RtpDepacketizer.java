package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.codec.h265.H265AccessUnits;

/**
 * Rebuilds H.265 access units from RTP packets (RFC 7798, one RTP stream, sprop-max-don-diff 0,
 * so no DONL or DOND field): single NAL unit packets (types 0 to 47, 4.4.1), Aggregation Packets
 * (48, 4.4.2) and Fragmentation Units (49, 4.4.3). An access unit ends at a packet with the marker
 * bit, or when a packet of a new timestamp arrives (4.1). Loss is a fact of RTP over UDP, so
 * nothing here throws: a packet that is malformed, of a type not taken, or a fragment after a gap
 * in sequence numbers is dropped and counted, and the NAL unit it belonged to with it; the rest of
 * the access unit goes on.
 *
 * <table>
 *   <caption>Packets dropped and counted</caption>
 *   <tr><th>packet</th><th>why</th></tr>
 *   <tr><td>a payload shorter than its two-byte PayloadHdr</td><td>no NAL unit header (1.1.4)</td></tr>
 *   <tr><td>a PayloadHdr, or an aggregated NAL unit's header, with F set or TID 0</td><td>forbidden_zero_bit set, or nuh_temporal_id_plus1 0, which H.265 7.4.2.2 forbids</td></tr>
 *   <tr><td>PACI (50), and 51 to 63</td><td>PACI needs support this receiver does not declare (4.4.4); the others are not defined</td></tr>
 *   <tr><td>an Aggregation Packet with no unit, a unit shorter than a NAL unit header, a size past the
 *       end, or a unit of type 48 to 63</td><td>malformed (4.4.2): the whole packet goes, none of its units is taken</td></tr>
 *   <tr><td>a Fragmentation Unit of fewer than four bytes, or of FuType 48 to 63</td><td>malformed (4.4.3):
 *       an aggregate, a fragment or PACI is never fragmented</td></tr>
 *   <tr><td>a Fragmentation Unit without S after a gap in sequence numbers or with no start before it,
 *       or whose FuType, LayerId or TID differ from its start's</td><td>its NAL unit is incomplete: the fragments
 *       already held go too</td></tr>
 * </table>
 *
 * <p>A NAL unit of a layer above the base layer (LayerId over 0) is kept as it is. A
 * Fragmentation Unit with both S and E set, which 4.4.3 forbids but some cameras send, is taken
 * as a whole NAL unit, as {@link H264RtpDepacketizer} takes such an FU-A.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>access unit size</td><td>the constructor's {@code maxAccessUnitSize}, {@value #DEFAULT_MAX_ACCESS_UNIT_SIZE} by default</td><td>the access unit is dropped, counted</td></tr>
 *   <tr><td>fragmented NAL unit size</td><td>the constructor's {@code maxAccessUnitSize}</td><td>the NAL unit is dropped, counted as a packet</td></tr>
 *   <tr><td>NAL units per access unit</td><td>{@value #MAX_NAL_UNITS}</td><td>the access unit is dropped, counted</td></tr>
 * </table>
 *
 * <p>Out: {@link RtpAccessUnit}s in HVCC form with 4-byte lengths (ISO/IEC 14496-15 8.3.2, an
 * hvcC lengthSizeMinusOne of 3), each a keyframe when one of its NAL units is a slice of an IRAP
 * picture of the base layer, nal_unit_type 16 to 23 (as {@link H265AccessUnits#isRandomAccessPoint}).
 *
 * <p>Zero copy: each NAL unit is a retained slice of the packet that carried it (a fragmented
 * one, the slices of its fragments behind its rebuilt two-byte header), joined in a composite
 * buffer with the length prefixes. Not thread-safe: one connection's loop feeds it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7798">RFC 7798, 4.1 and 4.4</a>
 */
public final class H265RtpDepacketizer extends NalUnitDepacketizer {
    /** Default largest access unit: a 4K keyframe at a high bitrate, as the FLV and RTMP limits. */
    public static final int DEFAULT_MAX_ACCESS_UNIT_SIZE = NalUnitDepacketizer.DEFAULT_MAX_ACCESS_UNIT_SIZE;
    /** NAL units per access unit: a frame of many slices with SEI and parameter sets fits; a flood of tiny NALs does not. */
    public static final int MAX_NAL_UNITS = NalUnitDepacketizer.MAX_NAL_UNITS;

    /** The payload type of an Aggregation Packet (RFC 7798, 4.4.2); lower types are NAL units. */
    private static final int AP = 48;
    /** The payload type of a Fragmentation Unit (RFC 7798, 4.4.3). */
    private static final int FU = 49;
    /** The size of an H.265 NAL unit header, and so of the PayloadHdr (RFC 7798, 1.1.4). */
    private static final int NAL_HEADER_SIZE = 2;
    /** A Fragmentation Unit's PayloadHdr and FU header (RFC 7798, 4.4.3). */
    private static final int FU_HEADER_SIZE = 3;

    private int fragmentHeader;   // the NAL unit header of the fragmented NAL unit, which every one of its FUs must carry

    /**
     * Creates a depacketizer.
     *
     * @param alloc where the composite buffers and the rebuilt headers come from
     * @param maxAccessUnitSize the largest access unit kept, in bytes, length prefixes included;
     *     {@link #DEFAULT_MAX_ACCESS_UNIT_SIZE} unless the stream's level says otherwise
     * @throws IllegalArgumentException when {@code maxAccessUnitSize} is not positive
     */
    public H265RtpDepacketizer(ByteBufAllocator alloc, int maxAccessUnitSize) {
        super(alloc, maxAccessUnitSize);
    }

    @Override
    void payload(ByteBuf p) {
        if (p.readableBytes() < NAL_HEADER_SIZE) {
            dropPacket();
            return;
        }
        int payloadHeader = p.getUnsignedShort(p.readerIndex());
        if (!wellFormed(payloadHeader)) {
            dropPacket();
            return;
        }
        int type = type(payloadHeader);
        if (type < AP) {
            dropFragment();
            nal(p.retainedSlice());
        } else if (type == AP) {
            dropFragment();
            aggregate(p);
        } else if (type == FU) {
            fragment(p, payloadHeader);
        } else {
            dropPacket();   // 50: PACI (4.4.4); 51-63: not defined by RFC 7798
        }
    }

    /** An Aggregation Packet (4.4.2): after the PayloadHdr, NAL units each behind a 16-bit size. */
    private void aggregate(ByteBuf p) {
        int start = p.readerIndex() + NAL_HEADER_SIZE;
        int end = p.writerIndex();
        if (start == end) {
            dropPacket();
            return;
        }
        for (int at = start; at < end; ) {   // check the whole aggregate before taking any of it
            if (end - at < 2) {
                dropPacket();
                return;
            }
            int size = p.getUnsignedShort(at);
            if (size < NAL_HEADER_SIZE || end - at - 2 < size) {
                dropPacket();
                return;
            }
            int header = p.getUnsignedShort(at + 2);
            if (!wellFormed(header) || type(header) >= AP) {
                dropPacket();
                return;
            }
            at += 2 + size;
        }
        for (int at = start; at < end; ) {
            int size = p.getUnsignedShort(at);
            nal(p.retainedSlice(at + 2, size));
            at += 2 + size;
        }
    }

    /** A Fragmentation Unit (4.4.3): PayloadHdr, the FU header (S, E, FuType), a piece of the NAL unit's payload. */
    private void fragment(ByteBuf p, int payloadHeader) {
        if (p.readableBytes() <= FU_HEADER_SIZE) {
            dropPacket();
            return;
        }
        int fuHeader = p.getUnsignedByte(p.readerIndex() + 2);
        boolean first = (fuHeader & 0x80) != 0;
        boolean last = (fuHeader & 0x40) != 0;
        int fuType = fuHeader & 0x3F;
        if (fuType >= AP) {
            dropPacket();
            return;
        }
        int header = (payloadHeader & 0x81FF) | fuType << 9;   // F, LayerId and TID from the PayloadHdr
        if (first) {
            startFragment(header, NAL_HEADER_SIZE);
            fragmentHeader = header;
        } else if (!fragmenting()) {
            dropPacket();   // the start was lost
            return;
        } else if (header != fragmentHeader) {
            dropFragment();   // a fragment of another NAL unit: this one's end was lost
            dropPacket();
            return;
        }
        appendFragment(p, p.readerIndex() + FU_HEADER_SIZE, p.readableBytes() - FU_HEADER_SIZE, last);
    }

    /** A slice of an IRAP picture of the base layer: nuh_layer_id 0, nal_unit_type 16 to 23. */
    @Override
    boolean isKeyframe(ByteBuf nal) {
        int header = nal.getUnsignedShort(nal.readerIndex());
        int type = type(header);
        return (header >> 3 & 0x3F) == 0 && type >= H265AccessUnits.FIRST_IRAP && type <= H265AccessUnits.LAST_IRAP;
    }

    /** Whether a NAL unit header or PayloadHdr has F (forbidden_zero_bit) 0 and TID (nuh_temporal_id_plus1) over 0. */
    private static boolean wellFormed(int header) {
        return (header & 0x8000) == 0 && (header & 0x7) != 0;
    }

    private static int type(int header) {
        return header >> 9 & 0x3F;
    }
}
