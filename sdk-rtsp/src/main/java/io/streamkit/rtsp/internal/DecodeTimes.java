package io.streamkit.rtsp.internal;

/**
 * Gives frames that arrive with presentation times only (RTP carries no decoding time) a
 * decoding time: strictly increasing and never after the presentation time, as the engine and
 * every muxer need. Without B-frames the two are equal. With them, frames come in decoding order
 * with presentation times out of order: the first out-of-order frame raises a delay by which
 * decoding times run behind presentation times, and the few frames before the delay has grown
 * to the stream's reordering depth (within its first group of pictures) are presented a little
 * late instead of being dropped. The delay never shrinks, and is at most {@value #MAX_DELAY_MICROS} µs.
 */
final class DecodeTimes {
    /** The longest delay: more than any encoder's reordering (x264's deepest pyramid is 16 frames). */
    static final long MAX_DELAY_MICROS = 2_000_000;

    private long delay;
    private long lastDts = Long.MIN_VALUE;
    private long pts;

    /**
     * Takes a frame's presentation time and returns its decoding time.
     *
     * @param presentation the presentation time, µs
     * @return the decoding time, µs; {@link #pts()} is then the presentation time to use
     */
    long next(long presentation) {
        long dts = presentation - delay;
        if (lastDts != Long.MIN_VALUE && dts <= lastDts) {
            dts = lastDts + 1;
        }
        if (dts > presentation) {
            delay = Math.min(MAX_DELAY_MICROS, delay + (dts - presentation));
            presentation = dts;
        }
        lastDts = dts;
        pts = presentation;
        return dts;
    }

    /** @return the presentation time of the last frame, raised to its decoding time if it had to be */
    long pts() {
        return pts;
    }

    /** @return the delay of decoding times behind presentation times now, µs */
    long delay() {
        return delay;
    }
}
