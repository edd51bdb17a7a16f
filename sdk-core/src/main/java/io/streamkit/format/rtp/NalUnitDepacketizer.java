package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.streamkit.codec.MediaFormatException;
import java.util.ArrayDeque;

/**
 * Rebuilds access units of NAL units from RTP packets: what {@link H264RtpDepacketizer} (RFC 6184)
 * and {@link H265RtpDepacketizer} (RFC 7798) share, as both formats end an access unit at the
 * marker bit or a new timestamp, and carry NAL units whole, aggregated or fragmented. A subclass
 * reads its payload headers in {@link #payload(ByteBuf)} and hands the NAL units it finds to
 * {@link #nal(ByteBuf)}, a fragmented one's pieces to {@link #startFragment(int, int)} and
 * {@link #appendFragment(ByteBuf, int, int, boolean)}; it says which NAL units make a keyframe in
 * {@link #isKeyframe(ByteBuf)}. Everything else is here: the access unit being built, its limits,
 * the fragment being rebuilt, the sequence-gap check, the finished access units and the counters.
 *
 * <p>Nothing throws on a packet's bytes: what cannot be taken is dropped and counted. Zero copy:
 * each NAL unit is a retained slice of the packet that carried it, joined in a composite buffer
 * behind a 4-byte length. Not thread-safe: one connection's loop feeds it.
 */
abstract sealed class NalUnitDepacketizer implements AutoCloseable
        permits H264RtpDepacketizer, H265RtpDepacketizer {
    /** Default largest access unit: a 4K keyframe at a high bitrate, as the FLV and RTMP limits. */
    static final int DEFAULT_MAX_ACCESS_UNIT_SIZE = 8 << 20;
    /** NAL units per access unit: a frame of many slices with SEI and parameter sets fits; a flood of tiny NALs does not. */
    static final int MAX_NAL_UNITS = 1024;

    private final ByteBufAllocator alloc;
    private final int maxAccessUnitSize;
    private final ArrayDeque<RtpAccessUnit> ready = new ArrayDeque<>();
    private CompositeByteBuf unit;   // the access unit being built
    private long unitTimestamp = -1;
    private boolean unitKeyframe;
    private int unitNals;
    private boolean discarding;   // the access unit went over a limit: its remaining NAL units go too
    private CompositeByteBuf fragment;   // the fragmented NAL unit being rebuilt
    private int lastSequence = -1;
    private long droppedPackets;
    private long droppedUnits;

    NalUnitDepacketizer(ByteBufAllocator alloc, int maxAccessUnitSize) {
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

    /**
     * Takes one packet's payload: the codec's payload header, then NAL units for {@link #nal},
     * or a fragment for {@link #startFragment} and {@link #appendFragment}.
     *
     * @param payload the payload, borrowed: what is kept is retained slices of it
     */
    abstract void payload(ByteBuf payload);

    /**
     * Returns whether a NAL unit makes its access unit a keyframe.
     *
     * @param nal a whole NAL unit, at least its header; borrowed, its indices untouched
     * @return whether a decoder can start at its access unit
     */
    abstract boolean isKeyframe(ByteBuf nal);

    /** Counts a packet dropped by the subclass: malformed, or of a type it does not take. */
    final void dropPacket() {
        droppedPackets++;
    }

    /**
     * Adds a NAL unit to the access unit being built, after its 4-byte length; when it would go
     * over {@value #MAX_NAL_UNITS} NAL units or the size limit, the access unit is dropped and
     * counted, with its NAL units up to its end.
     *
     * @param nal the NAL unit, at least its header; ownership passes
     */
    final void nal(ByteBuf nal) {
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
        if (isKeyframe(nal)) {
            unitKeyframe = true;
        }
        unit.addComponent(true, alloc.buffer(4).writeInt(nal.readableBytes()));
        unit.addComponent(true, nal);
        unitNals++;
    }

    /**
     * Starts rebuilding a fragmented NAL unit; the one being rebuilt, whose end was lost, is
     * dropped and counted.
     *
     * @param header the NAL unit's header, rebuilt from the payload and fragment headers, big-endian
     *     in the low {@code headerSize} bytes
     * @param headerSize the size of a NAL unit header: 1 for H.264, 2 for H.265
     */
    final void startFragment(int header, int headerSize) {
        dropFragment();
        fragment = alloc.compositeBuffer(64);
        fragment.addComponent(true, RtpPayloadSink.writePrefix(alloc.buffer(headerSize), header, headerSize));
    }

    /**
     * Returns whether a fragmented NAL unit is being rebuilt: a fragment other than the first one
     * belongs to it, or its start was lost.
     *
     * @return whether one is
     */
    final boolean fragmenting() {
        return fragment != null;
    }

    /**
     * Adds a piece to the fragmented NAL unit being rebuilt, and when it is the last, adds the
     * NAL unit to the access unit. Over the size limit, the NAL unit is dropped and counted as
     * a packet.
     *
     * @param payload the payload that carried the piece, borrowed: the piece is retained as a slice
     * @param index where the piece starts in {@code payload} (an absolute index)
     * @param length the piece's size
     * @param last whether the fragment header had E set
     */
    final void appendFragment(ByteBuf payload, int index, int length, boolean last) {
        fragment.addComponent(true, payload.retainedSlice(index, length));
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

    /** Drops the fragmented NAL unit being rebuilt, if any, and counts it as a packet. */
    final void dropFragment() {
        if (fragment != null) {
            fragment.release();
            fragment = null;
            droppedPackets++;
        }
    }

    private void finishUnit() {
        dropFragment();
        discarding = false;
        if (unit != null) {
            ready.add(new RtpAccessUnit(unit, unitTimestamp, unitKeyframe));
            unit = null;
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
