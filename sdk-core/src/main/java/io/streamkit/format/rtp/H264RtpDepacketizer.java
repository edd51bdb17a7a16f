package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayDeque;

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
public final class H264RtpDepacketizer implements AutoCloseable {
    /** Default largest access unit: a 4K keyframe at a high bitrate, as the FLV and RTMP limits. */
    public static final int DEFAULT_MAX_ACCESS_UNIT_SIZE = 8 << 20;
    /** NAL units per access unit: a frame of many slices with SEI and parameter sets fits; a flood of tiny NALs does not. */
    public static final int MAX_NAL_UNITS = 1024;

    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    private final ByteBufAllocator alloc;
    private final int maxAccessUnitSize;
    private final ArrayDeque<RtpAccessUnit> ready = new ArrayDeque<>();
    private CompositeByteBuf unit;   // the access unit being built
    private long unitTimestamp = -1;
    private boolean unitKeyframe;
    private int unitNals;
    private boolean discarding;   // the access unit went over a limit: its remaining NAL units go too
    private CompositeByteBuf fragment;   // the FU-A NAL unit being rebuilt
    private int lastSequence = -1;
    private long droppedPackets;
    private long droppedUnits;

    /**
     * Creates a depacketizer.
     *
     * @param alloc where the composite buffers and the rebuilt headers come from
     * @param maxAccessUnitSize the largest access unit kept, in bytes
     */
    public H264RtpDepacketizer(ByteBufAllocator alloc, int maxAccessUnitSize) {
        if (maxAccessUnitSize < 1) {
            throw new IllegalArgumentException("maxAccessUnitSize must be positive: " + maxAccessUnitSize);
        }
        this.alloc = alloc;
        this.maxAccessUnitSize = maxAccessUnitSize;
    }

    /**
     * Takes one whole RTP packet, header included. Ownership passes: the packet is released
     * here, its payload kept only as slices of the access unit it belongs to.
     *
     * @param packet the packet
     */
    public void feed(ByteBuf packet) {
        try {
            RtpPacket header;
            try {
                header = RtpPacket.parse(packet);
            } catch (io.streamkit.codec.MediaFormatException e) {
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
        if (!p.isReadable()) {
            droppedPackets++;
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
            droppedPackets++;   // 0, 25-27, 29-31: reserved, or not allowed in mode 1
        }
    }

    private void stapA(ByteBuf p) {
        int at = p.readerIndex() + 1;
        int end = p.writerIndex();
        int start = at;
        while (at < end) {   // check the whole aggregate before taking any of it
            if (end - at < 2) {
                droppedPackets++;
                return;
            }
            int size = p.getUnsignedShort(at);
            if (size == 0 || end - at - 2 < size) {
                droppedPackets++;
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
            droppedPackets++;
            return;
        }
        int header = p.getUnsignedByte(p.readerIndex() + 1);
        boolean first = (header & 0x80) != 0;
        boolean last = (header & 0x40) != 0;
        ByteBuf body = p.retainedSlice(p.readerIndex() + 2, p.readableBytes() - 2);
        if (first) {
            dropFragment();
            fragment = alloc.compositeBuffer(64);
            fragment.addComponent(true, alloc.buffer(1).writeByte((indicator & 0xE0) | (header & 0x1F)));
        } else if (fragment == null) {
            body.release();   // the start was lost
            droppedPackets++;
            return;
        }
        fragment.addComponent(true, body);
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

    /** Adds a NAL unit (owned) to the access unit being built, after its 4-byte length. */
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
        if ((nal.getUnsignedByte(nal.readerIndex()) & 0x1F) == 5) {
            unitKeyframe = true;
        }
        unit.addComponent(true, alloc.buffer(4).writeInt(nal.readableBytes()));
        unit.addComponent(true, nal);
        unitNals++;
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
     * @return the access unit, which the caller releases, or {@code null} when none is finished
     */
    public RtpAccessUnit next() {
        return ready.poll();
    }

    /** Finishes the access unit being built, as if its last packet had had the marker bit. */
    public void flush() {
        finishUnit();
    }

    /**
     * Returns the packets dropped: malformed, of a type mode 1 forbids, fragments after a loss.
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
