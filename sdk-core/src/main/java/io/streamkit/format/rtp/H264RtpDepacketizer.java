package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Rebuilds H.264 access units from RTP packets (RFC 6184, packetization mode 1): single NAL unit
 * packets (types 1 to 23), STAP-A aggregates (24) and FU-A fragments (28). An access unit ends at
 * a packet with the marker bit, or when a packet of a new timestamp arrives. Loss is a fact of
 * RTP over UDP, so nothing here throws: a packet that is malformed, of a mode-1-forbidden type
 * (STAP-B, MTAPs, FU-B), or a fragment after a gap in sequence numbers is dropped and counted,
 * and the NAL unit it belonged to with it; the rest of the access unit goes on.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>access unit size</td><td>the constructor's {@code maxAccessUnitSize}, {@value #DEFAULT_MAX_ACCESS_UNIT_SIZE} by default</td><td>the access unit is dropped, counted</td></tr>
 *   <tr><td>NAL units per access unit</td><td>{@value #MAX_NAL_UNITS}</td><td>the access unit is dropped, counted</td></tr>
 * </table>
 *
 * <p>Zero copy: each NAL unit is a retained slice of the packet that carried it (a fragmented
 * one, the slices of its fragments behind its rebuilt header byte), joined in a composite
 * buffer with the length prefixes. Not thread-safe: one connection's loop feeds it.
 */
public final class H264RtpDepacketizer extends NalUnitDepacketizer {
    /** Default largest access unit: a 4K keyframe at a high bitrate, as the FLV and RTMP limits. */
    public static final int DEFAULT_MAX_ACCESS_UNIT_SIZE = NalUnitDepacketizer.DEFAULT_MAX_ACCESS_UNIT_SIZE;
    /** NAL units per access unit: a frame of many slices with SEI and parameter sets fits; a flood of tiny NALs does not. */
    public static final int MAX_NAL_UNITS = NalUnitDepacketizer.MAX_NAL_UNITS;

    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    /** The nal_unit_type of a slice of an IDR picture (H.264 7.4.1.2). */
    private static final int IDR = 5;

    /**
     * Creates a depacketizer.
     *
     * @param alloc where the composite buffers and the rebuilt headers come from
     * @param maxAccessUnitSize the largest access unit kept, in bytes
     */
    public H264RtpDepacketizer(ByteBufAllocator alloc, int maxAccessUnitSize) {
        super(alloc, maxAccessUnitSize);
    }

    @Override
    void payload(ByteBuf p) {
        if (!p.isReadable()) {
            dropPacket();
            return;
        }
        int indicator = p.getUnsignedByte(p.readerIndex());
        int type = indicator & 0x1F;
        if (type >= 1 && type <= 23) {
            dropFragment();
            nal(p.retainedSlice());
        } else if (type == STAP_A) {
            dropFragment();
            stapA(p);
        } else if (type == FU_A) {
            fuA(p, indicator);
        } else {
            dropPacket();   // 0, 25-27, 29-31: reserved, or not allowed in mode 1
        }
    }

    private void stapA(ByteBuf p) {
        int at = p.readerIndex() + 1;
        int end = p.writerIndex();
        int start = at;
        while (at < end) {   // check the whole aggregate before taking any of it
            if (end - at < 2) {
                dropPacket();
                return;
            }
            int size = p.getUnsignedShort(at);
            if (size == 0 || end - at - 2 < size) {
                dropPacket();
                return;
            }
            at += 2 + size;
        }
        for (at = start; at < end; ) {
            int size = p.getUnsignedShort(at);
            nal(p.retainedSlice(at + 2, size));
            at += 2 + size;
        }
    }

    private void fuA(ByteBuf p, int indicator) {
        if (p.readableBytes() < 3) {
            dropPacket();
            return;
        }
        int header = p.getUnsignedByte(p.readerIndex() + 1);
        boolean first = (header & 0x80) != 0;
        boolean last = (header & 0x40) != 0;
        if (first) {
            startFragment((indicator & 0xE0) | (header & 0x1F), 1);
        } else if (!fragmenting()) {
            dropPacket();   // the start was lost
            return;
        }
        appendFragment(p, p.readerIndex() + 2, p.readableBytes() - 2, last);
    }

    @Override
    boolean isKeyframe(ByteBuf nal) {
        return (nal.getUnsignedByte(nal.readerIndex()) & 0x1F) == IDR;
    }

    /**
     * Returns the next finished access unit.
     *
     * @return the access unit, which the caller releases, or {@code null} when none is finished
     */
    @Override
    public RtpAccessUnit next() {
        return super.next();
    }

    /**
     * Returns the packets dropped: malformed, of a type mode 1 forbids, fragments after a loss.
     *
     * @return the count
     */
    @Override
    public long droppedPackets() {
        return super.droppedPackets();
    }
}
