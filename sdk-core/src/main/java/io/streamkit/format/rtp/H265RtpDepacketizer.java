package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.h265.H265AccessUnits;
import java.util.ArrayDeque;

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
public final class H265RtpDepacketizer implements AutoCloseable {
    /** Default largest access unit: a 4K keyframe at a high bitrate, as the FLV and RTMP limits. */
    public static final int DEFAULT_MAX_ACCESS_UNIT_SIZE = 8 << 20;
    /** NAL units per access unit: a frame of many slices with SEI and parameter sets fits; a flood of tiny NALs does not. */
    public static final int MAX_NAL_UNITS = 1024;

    /** The payload type of an Aggregation Packet (RFC 7798, 4.4.2); lower types are NAL units. */
    private static final int AP = 48;
    /** The payload type of a Fragmentation Unit (RFC 7798, 4.4.3). */
    private static final int FU = 49;
    /** The size of an H.265 NAL unit header, and so of the PayloadHdr (RFC 7798, 1.1.4). */
    private static final int NAL_HEADER_SIZE = 2;
    /** A Fragmentation Unit's PayloadHdr and FU header (RFC 7798, 4.4.3). */
    private static final int FU_HEADER_SIZE = 3;

    private final ByteBufAllocator alloc;
    private final int maxAccessUnitSize;
    private final ArrayDeque<RtpAccessUnit> ready = new ArrayDeque<>();
    private CompositeByteBuf unit;   // the access unit being built
    private long unitTimestamp = -1;
    private boolean unitKeyframe;
    private int unitNals;
    private boolean discarding;   // the access unit went over a limit: its remaining NAL units go too
    private CompositeByteBuf fragment;   // the fragmented NAL unit being rebuilt
    private int fragmentHeader;   // its NAL unit header, which every one of its FUs must carry
    private int lastSequence = -1;
    private long droppedPackets;
    private long droppedUnits;

    /**
     * Creates a depacketizer.
     *
     * @param alloc where the composite buffers and the rebuilt headers come from
     * @param maxAccessUnitSize the largest access unit kept, in bytes, length prefixes included;
     *     {@link #DEFAULT_MAX_ACCESS_UNIT_SIZE} unless the stream's level says otherwise
     * @throws IllegalArgumentException when {@code maxAccessUnitSize} is not positive
     */
    public H265RtpDepacketizer(ByteBufAllocator alloc, int maxAccessUnitSize) {
        if (maxAccessUnitSize < 1) {
            throw new IllegalArgumentException("maxAccessUnitSize must be positive: " + maxAccessUnitSize);
        }
        this.alloc = alloc;
        this.maxAccessUnitSize = maxAccessUnitSize;
    }

    /**
     * Takes one whole RTP packet, header included. Ownership passes: the packet is released
     * here, its payload kept only as slices of the access unit it belongs to. Never throws on
     * the packet's bytes: what cannot be taken is dropped and counted.
     *
     * @param packet the packet, from its reader index to its writer index
     */
    public void feed(ByteBuf packet) {
        try {
            RtpPacket header;
            try {
                header = RtpPacket.parse(packet);
            } catch (MediaFormatException e) {
                droppedPackets++;
                return;
            }
            boolean gap = lastSequence >= 0 && header.sequence() != ((lastSequence + 1) & 0xFFFF);
            lastSequence = header.sequence();
            if ((unit != null || fragment != null || discarding) && header.timestamp() != unitTimestamp) {
                finishUnit();
            }
            if (gap && fragment != null) {
                dropFragment();
            }
            unitTimestamp = header.timestamp();
            payload(header.payload(packet));
            if (header.marker()) {
                finishUnit();
            }
        } finally {
            packet.release();
        }
    }

    private void payload(ByteBuf p) {
        if (p.readableBytes() < NAL_HEADER_SIZE) {
            droppedPackets++;
            return;
        }
        int payloadHeader = p.getUnsignedShort(p.readerIndex());
        if (!wellFormed(payloadHeader)) {
            droppedPackets++;
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
            droppedPackets++;   // 50: PACI (4.4.4); 51-63: not defined by RFC 7798
        }
    }

    /** An Aggregation Packet (4.4.2): after the PayloadHdr, NAL units each behind a 16-bit size. */
    private void aggregate(ByteBuf p) {
        int start = p.readerIndex() + NAL_HEADER_SIZE;
        int end = p.writerIndex();
        if (start == end) {
            droppedPackets++;
            return;
        }
        for (int at = start; at < end; ) {   // check the whole aggregate before taking any of it
            if (end - at < 2) {
                droppedPackets++;
                return;
            }
            int size = p.getUnsignedShort(at);
            if (size < NAL_HEADER_SIZE || end - at - 2 < size) {
                droppedPackets++;
                return;
            }
            int header = p.getUnsignedShort(at + 2);
            if (!wellFormed(header) || type(header) >= AP) {
                droppedPackets++;
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
            droppedPackets++;
            return;
        }
        int fuHeader = p.getUnsignedByte(p.readerIndex() + 2);
        boolean first = (fuHeader & 0x80) != 0;
        boolean last = (fuHeader & 0x40) != 0;
        int fuType = fuHeader & 0x3F;
        if (fuType >= AP) {
            droppedPackets++;
            return;
        }
        int header = (payloadHeader & 0x81FF) | fuType << 9;   // F, LayerId and TID from the PayloadHdr
        if (first) {
            dropFragment();
            fragment = alloc.compositeBuffer(64);
            fragment.addComponent(true, alloc.buffer(NAL_HEADER_SIZE).writeShort(header));
            fragmentHeader = header;
        } else if (fragment == null) {
            droppedPackets++;   // the start was lost
            return;
        } else if (header != fragmentHeader) {
            dropFragment();   // a fragment of another NAL unit: this one's end was lost
            droppedPackets++;
            return;
        }
        fragment.addComponent(true, p.retainedSlice(p.readerIndex() + FU_HEADER_SIZE, p.readableBytes() - FU_HEADER_SIZE));
        if (fragment.readableBytes() > maxAccessUnitSize) {
            dropFragment();
            droppedPackets++;
            return;
        }
        if (last) {
            CompositeByteBuf whole = fragment;
            fragment = null;
            nal(whole);
        }
    }

    /** Adds a NAL unit (owned, at least its two-byte header) to the access unit being built, after its 4-byte length. */
    private void nal(ByteBuf nal) {
        if (discarding) {
            nal.release();
            return;
        }
        if (unit == null) {
            unit = alloc.compositeBuffer(16);
            unitKeyframe = false;
            unitNals = 0;
        }
        if (unitNals >= MAX_NAL_UNITS || unit.readableBytes() + 4L + nal.readableBytes() > maxAccessUnitSize) {
            nal.release();
            unit.release();
            unit = null;
            discarding = true;
            droppedUnits++;
            return;
        }
        int header = nal.getUnsignedShort(nal.readerIndex());
        int type = type(header);
        if ((header >> 3 & 0x3F) == 0 && type >= H265AccessUnits.FIRST_IRAP && type <= H265AccessUnits.LAST_IRAP) {
            unitKeyframe = true;
        }
        unit.addComponent(true, alloc.buffer(4).writeInt(nal.readableBytes()));
        unit.addComponent(true, nal);
        unitNals++;
    }

    /** Whether a NAL unit header or PayloadHdr has F (forbidden_zero_bit) 0 and TID (nuh_temporal_id_plus1) over 0. */
    private static boolean wellFormed(int header) {
        return (header & 0x8000) == 0 && (header & 0x7) != 0;
    }

    private static int type(int header) {
        return header >> 9 & 0x3F;
    }

    private void finishUnit() {
        dropFragment();
        discarding = false;
        if (unit != null) {
            ready.add(new RtpAccessUnit(unit, unitTimestamp, unitKeyframe));
            unit = null;
        }
    }

    private void dropFragment() {
        if (fragment != null) {
            fragment.release();
            fragment = null;
            droppedPackets++;
        }
    }

    /**
     * Returns the next finished access unit.
     *
     * @return the access unit, its NAL units each behind a 4-byte length, which the caller
     *     releases; or {@code null} when none is finished
     */
    public RtpAccessUnit next() {
        return ready.poll();
    }

    /** Finishes the access unit being built, as if its last packet had had the marker bit; a fragment not ended is dropped. */
    public void flush() {
        finishUnit();
    }

    /**
     * Returns the packets dropped: malformed, of a type not taken, fragments after a loss, and
     * fragmented NAL units left unfinished or over the limit.
     *
     * @return the count
     */
    public long droppedPackets() {
        return droppedPackets;
    }

    /**
     * Returns the access units dropped for being over a limit.
     *
     * @return the count
     */
    public long droppedAccessUnits() {
        return droppedUnits;
    }

    /** Releases what is held: the access unit being built, a fragment, the finished ones not taken. */
    @Override
    public void close() {
        if (fragment != null) {
            fragment.release();
            fragment = null;
        }
        if (unit != null) {
            unit.release();
            unit = null;
        }
        for (RtpAccessUnit u; (u = ready.poll()) != null; ) {
            u.release();
        }
    }
}
