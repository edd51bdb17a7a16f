package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Puts RTP packets that came over UDP back in sequence order before they reach a depacketizer,
 * which reads a gap in sequence numbers as a loss. Packets wait for a missing one to arrive; a
 * gap is given up when the window is full, at {@link #drain}, or when the sequence restarts.
 *
 * <p>The window is {@code capacity} sequence numbers from the first one not yet released: a
 * packet within it waits in a ring of that many slots, indexed by its extended sequence number
 * modulo the capacity, so at most {@code capacity - 1} packets are held. A packet past the window
 * gives up the oldest gaps, one after another, until it fits: the packets past each gap are
 * released in order and each missing number is counted as {@link #lost()}.
 *
 * <table>
 *   <caption>What happens to a packet, by how far its sequence number lies from the next one expected</caption>
 *   <tr><th>distance</th><th>what happens</th></tr>
 *   <tr><td>the first packet, or just after {@link #close()}</td><td>it starts the sequence and is released at once</td></tr>
 *   <tr><td>0</td><td>released, with the packets held right behind it</td></tr>
 *   <tr><td>1 to {@code capacity - 1}</td><td>held until the gap before it fills or is given up; a packet already held there is a duplicate</td></tr>
 *   <tr><td>{@code capacity} to {@value #MAX_DROPOUT}</td><td>the oldest gaps are given up until it fits</td></tr>
 *   <tr><td>more than {@value #MAX_DROPOUT} ahead, or more than {@value #MAX_MISORDER} behind</td><td>a new sequence (a restarted sender, a new SSRC's numbers): what is held is released in order, then this packet starts the sequence</td></tr>
 *   <tr><td>1 to {@value #MAX_MISORDER} behind</td><td>too late, or a duplicate of one released: dropped, counted in {@link #duplicates()}</td></tr>
 * </table>
 *
 * <p>Buffers: {@link #offer} takes ownership of its packet, and whatever it appends to the
 * caller's list belongs to the caller, as {@link #drain} does; a dropped packet is released here,
 * and {@link #close()} releases what is held. Steady state allocates nothing beyond the caller's
 * list growing. Not thread-safe: one stream's loop offers, drains and closes.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#appendix-A.1">RFC 3550, appendix A.1</a>
 */
public final class RtpReorderBuffer implements AutoCloseable {
    /**
     * Default window, in packets: about 60 ms of a 10 Mbit/s video stream in 1,200-byte packets,
     * far deeper than the reordering of real paths (a few packets), while holding at most 63
     * datagrams (under 100 KiB at a 1,500-byte MTU). A slow stream waits longer for a lost
     * packet: drain on a timer.
     */
    public static final int DEFAULT_CAPACITY = 64;
    /**
     * Largest window: about a second of a 10 Mbit/s stream; a buffer that waits longer for a lost
     * packet adds more latency than it saves, and the window stays far below the
     * {@value #MAX_DROPOUT} that tells a jump from reordering.
     */
    public static final int MAX_CAPACITY = 1024;
    /** Farthest ahead a packet may be and still belong to the sequence: RFC 3550 A.1's MAX_DROPOUT. */
    public static final int MAX_DROPOUT = 3000;
    /** Farthest behind a packet may be and still belong to the sequence: RFC 3550 A.1's MAX_MISORDER. */
    public static final int MAX_MISORDER = 100;

    private final ByteBuf[] slots;
    private final int capacity;
    private boolean started;
    private long next;   // the extended sequence number of the first packet not yet released
    private int size;
    private long lost;
    private long duplicates;

    /**
     * Creates a buffer.
     *
     * @param capacity the window in sequence numbers, 1 to {@value #MAX_CAPACITY}
     *     ({@value #DEFAULT_CAPACITY} by default); 1 holds nothing and gives every gap up at once
     * @throws IllegalArgumentException when the capacity is out of range
     */
    public RtpReorderBuffer(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity " + capacity + " is outside 1 to " + MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.slots = new ByteBuf[capacity];
    }

    /**
     * Takes a packet and appends the packets now ready, in sequence order, to a list.
     *
     * @param packet a whole RTP packet; ownership passes: it is held, appended to {@code out} or
     *     released
     * @param sequence its sequence number, already parsed ({@link RtpPacket#sequence()}); only its
     *     low 16 bits are read
     * @param out where the packets ready go, zero or more; the caller owns and releases them
     */
    public void offer(ByteBuf packet, int sequence, List<ByteBuf> out) {
        int seq = sequence & 0xFFFF;
        if (!started) {
            start(seq);
        }
        int delta = (short) (seq - (int) (next & 0xFFFF));
        if (delta > MAX_DROPOUT || delta < -MAX_MISORDER) {
            drain(out);
            start(seq);
            delta = 0;
        } else if (delta < 0) {
            duplicates++;
            packet.release();
            return;
        }
        long ext = next + delta;
        while (ext - next >= capacity) {
            if (size == 0) {
                lost += ext - next;
                next = ext;
                break;
            }
            while (slots[slot(next)] == null) {   // the oldest gap; a packet is held past it
                lost++;
                next++;
            }
            releaseReady(out);
        }
        int at = slot(ext);
        if (slots[at] != null) {
            duplicates++;
            packet.release();
            return;
        }
        slots[at] = packet;
        size++;
        releaseReady(out);
    }

    /**
     * Releases every packet held, in sequence order, giving up every gap between them: at a
     * timeout, or at the end of the stream. The sequence goes on from the last one released.
     *
     * @param out where the packets go; the caller owns and releases them
     */
    public void drain(List<ByteBuf> out) {
        while (size > 0) {
            int at = slot(next);
            if (slots[at] == null) {
                lost++;
            } else {
                out.add(slots[at]);
                slots[at] = null;
                size--;
            }
            next++;
        }
    }

    /**
     * Returns the sequence numbers given up: missing when their gap was given up. A packet that
     * arrives after its gap was given up is then counted in {@link #duplicates()} too.
     *
     * @return the count since creation
     */
    public long lost() {
        return lost;
    }

    /**
     * Returns the packets dropped: duplicates of one held or released, and packets arriving after
     * the packets behind them were released.
     *
     * @return the count since creation
     */
    public long duplicates() {
        return duplicates;
    }

    /**
     * Returns the packets held, waiting for a gap before them.
     *
     * @return 0 to the capacity less one
     */
    public int size() {
        return size;
    }

    /**
     * Releases the packets held and forgets the sequence: a packet offered afterwards starts a
     * new one. The counters are kept.
     */
    @Override
    public void close() {
        for (int i = 0; i < capacity; i++) {
            if (slots[i] != null) {
                slots[i].release();
                slots[i] = null;
            }
        }
        size = 0;
        started = false;
    }

    private void start(int seq) {
        started = true;
        next = seq;
    }

    /** Appends the run of packets held from the next expected on. */
    private void releaseReady(List<ByteBuf> out) {
        for (int at = slot(next); slots[at] != null; at = slot(next)) {
            out.add(slots[at]);
            slots[at] = null;
            size--;
            next++;
        }
    }

    private int slot(long ext) {
        return (int) (ext % capacity);
    }
}
