package io.streamkit.format.rtp;

/**
 * Extends a wrapping RTP counter, the 16-bit sequence number or the 32-bit timestamp, to 64 bits
 * (after RFC 3550, appendix A.1): each value is placed where it lies nearest the value before it,
 * so a counter that wraps from its largest value to 0 goes on counting up, and a packet reordered
 * to arrive a little late comes out a little smaller, across a wrap too.
 *
 * <p>The first value comes back as it is; each later one is the 64-bit value with the same low
 * bits nearest the previous result, which may be negative when the first values are reordered
 * across a wrap. A value exactly half the counter's range away counts as ahead. Not thread-safe:
 * one stream's loop uses it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#appendix-A.1">RFC 3550, appendix A.1</a>
 */
public final class RtpUnwrapper {
    private final long mask;
    private final long half;
    private boolean started;
    private long last;

    private RtpUnwrapper(int bits) {
        this.mask = (1L << bits) - 1;
        this.half = 1L << (bits - 1);
    }

    /**
     * Creates an unwrapper of 16-bit sequence numbers.
     *
     * @return an unwrapper that has seen nothing yet
     */
    public static RtpUnwrapper sequence() {
        return new RtpUnwrapper(16);
    }

    /**
     * Creates an unwrapper of 32-bit timestamps.
     *
     * @return an unwrapper that has seen nothing yet
     */
    public static RtpUnwrapper timestamp() {
        return new RtpUnwrapper(32);
    }

    /**
     * Extends a value to 64 bits.
     *
     * @param value the counter's value; only its low 16 or 32 bits are read
     * @return the value itself the first time; then the 64-bit value with those low bits nearest
     *     the previous result
     */
    public long unwrap(long value) {
        long v = value & mask;
        if (!started) {
            started = true;
            last = v;
            return v;
        }
        long delta = (v - last) & mask;
        last += delta > half ? delta - mask - 1 : delta;
        return last;
    }

    /**
     * Tells whether a value has been unwrapped since creation or the last {@link #reset()}.
     *
     * @return {@code true} once {@link #unwrap} has been called
     */
    public boolean started() {
        return started;
    }

    /** Forgets the values seen: the next one comes back as it is, as a stream's first. */
    public void reset() {
        started = false;
        last = 0;
    }
}
