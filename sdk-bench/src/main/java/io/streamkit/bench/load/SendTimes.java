package io.streamkit.bench.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each video frame the tool publishes was sent, by its RTMP timestamp: a ring of the
 * last {@value #CAPACITY} frames in the order sent, which players walk with a {@link Cursor}
 * to turn a received frame into a latency.
 *
 * <p>The match is by timestamp alone: it assumes that the server passes the publisher's
 * timestamps through to players (nginx-rtmp and Streamkit do for a stream's first
 * publisher) and that video timestamps differ from frame to frame (they do in any real
 * stream: one frame per timestamp). A server that rebases timestamps yields no samples, not
 * wrong ones: nothing matches.
 *
 * <p>Threads: {@link #sent} is called by one thread, the publisher's event loop; cursors
 * read from any number of other threads. Each slot is a seqlock: its key (sequence number
 * and timestamp) is cleared, the time written, then the key set, and a reader that sees the
 * same key before and after reading the time has a consistent pair. Nothing is allocated
 * per frame.
 */
final class SendTimes {
    /**
     * Frames kept: 164 s of 25 fps video, 68 s of 60 fps. A player more than that behind
     * the publisher gets no samples until it catches up.
     */
    static final int CAPACITY = 4096;
    /**
     * How long after its first keyframe a player's frames are not counted: the first frames
     * after joining may still queue behind the burst of the server's GOP cache, which is
     * time to first keyframe, not steady-state latency.
     */
    static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final int MASK = CAPACITY - 1;
    private static final long BEING_WRITTEN = -1;

    /** Per slot: (sequence number &lt;&lt; 32) | timestamp, or {@link #BEING_WRITTEN}. */
    private final AtomicLongArray keys = new AtomicLongArray(CAPACITY);
    private final AtomicLongArray nanos = new AtomicLongArray(CAPACITY);
    /** The sequence number of the next frame sent; only the publisher writes it. */
    private volatile long next;

    SendTimes() {
        for (int i = 0; i < CAPACITY; i++) {
            keys.set(i, BEING_WRITTEN);
        }
    }

    /**
     * Records that the video frame with this timestamp is being sent. Publisher's event loop
     * only; call it before the frame's bytes are written, so that no player can receive the
     * frame before it is here. Sequence numbers are 31 bits: 2.7 years of 25 fps.
     *
     * @param timestamp the RTMP timestamp sent, 32-bit milliseconds
     * @param sendNanos {@link System#nanoTime()} at the send
     */
    void sent(long timestamp, long sendNanos) {
        long seq = next;
        int slot = (int) seq & MASK;
        keys.set(slot, BEING_WRITTEN);
        nanos.set(slot, sendNanos);
        keys.set(slot, (seq << 32) | (timestamp & 0xFFFFFFFFL));
        next = seq + 1;
    }

    /** How many frames have been recorded. */
    long frames() {
        return next;
    }

    /** A new cursor for one player, counting into {@code histogram}. */
    Cursor cursor(LatencyHistogram histogram) {
        return new Cursor(histogram);
    }

    /**
     * One player's position in the ring. It starts at the player's first keyframe, at the
     * next frame to be sent: frames sent before then (the GOP cache's, sent long before the
     * player connected) are never counted. Each received frame's timestamp is looked up
     * forward from there (frames arrive in the order sent); frames the player never got (the
     * server dropped them) are stepped over. A frame sent within {@link #WARM_UP_NANOS} of
     * the first keyframe moves the cursor but is not counted.
     *
     * <p>Threads: the player's event loop only, which is also the histogram's writer.
     */
    final class Cursor {
        private final LatencyHistogram histogram;
        private long position = -1;
        private long countFrom;

        private Cursor(LatencyHistogram histogram) {
            this.histogram = histogram;
        }

        /**
         * Records the latency of a video frame just received, if its send time is known.
         *
         * @param timestamp the frame's RTMP or FLV timestamp, 32-bit milliseconds
         * @param keyframe whether the frame is a keyframe
         * @param now {@link System#nanoTime()} when its last byte arrived
         */
        void received(long timestamp, boolean keyframe, long now) {
            if (position < 0) {
                if (keyframe) {
                    position = next;
                    countFrom = now + WARM_UP_NANOS;
                }
                return;
            }
            long end = next;
            if (end - position > CAPACITY) {
                position = end - CAPACITY;   // lapped by the publisher: the older slots are gone
            }
            for (; position < end; position++) {
                int slot = (int) position & MASK;
                long key = keys.get(slot);
                if (key >>> 32 != position) {
                    continue;   // overwritten since we read next
                }
                int after = (int) key - (int) timestamp;   // wraps with the 32-bit clock
                if (after > 0) {
                    return;   // sent after this frame: this one was sent before the cursor started
                }
                if (after == 0) {
                    long sent = nanos.get(slot);
                    if (keys.get(slot) == key && sent - countFrom >= 0) {
                        histogram.record(now - sent);
                    }
                    position++;
                    return;
                }
            }
        }
    }
}
