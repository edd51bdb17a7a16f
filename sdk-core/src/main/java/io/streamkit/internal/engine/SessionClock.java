package io.streamkit.internal.engine;

/**
 * What the tracks of one publisher session share about its timeline: the offset from the
 * publisher's clock to the stream's, so that a repair one track makes can be taken over by
 * the others and audio and video stay together (see the package comment). Guarded by the
 * hub; one per session, made when the session is.
 */
final class SessionClock {
    private final int generation;
    private final long wrap;
    /** Whether a frame of this session has fixed {@link #offset} yet. */
    boolean baseSet;
    /**
     * The session's offset, publisher time to stream time in microseconds: its base, set by
     * its first frame on any track, then the offset of the latest rebase any track made.
     */
    long offset;

    /**
     * Creates a session's clock.
     *
     * @param generation the session's number in its hub, which tells tracks a new session began
     * @param wrap the publisher's timestamp wrap period in microseconds, or 0
     */
    SessionClock(int generation, long wrap) {
        this.generation = generation;
        this.wrap = wrap;
    }

    int generation() {
        return generation;
    }

    long wrap() {
        return wrap;
    }
}
