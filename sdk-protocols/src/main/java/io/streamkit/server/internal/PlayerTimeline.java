package io.streamkit.server.internal;

import io.streamkit.stream.MediaFrame;

/**
 * The timestamps one player sees. By default a player has a timeline of its own: its first
 * frame (a keyframe from the GOP cache, or the first frame of an audio-only stream) is at 0 and
 * later frames keep the stream's spacing, so a player that joins a stream running for hours, or
 * after its publisher reconnected, starts at 0 like a file, and tools that read a time window
 * from the start see media there. With absolute time (SRS's {@code atc}) it sees the stream's
 * own clock instead, which is what aligning several origins needs.
 *
 * <p>Times are whole milliseconds, as RTMP and FLV carry them, taken from the frame's decode
 * time; a frame that comes before the player's origin (audio sampled just before the keyframe
 * it starts with) is put at 0, so a track never goes back. Confined to the player's event loop.
 */
public final class PlayerTimeline {
    private final boolean absolute;
    private boolean started;
    private long origin;

    /**
     * @param absolute whether the player sees the stream's clock rather than its own from 0
     */
    public PlayerTimeline(boolean absolute) {
        this.absolute = absolute;
    }

    /**
     * Returns a frame's decode time on this timeline; the first frame asked about fixes the origin.
     *
     * @param frame the frame, lent
     * @return milliseconds, zero or more
     */
    public long at(MediaFrame frame) {
        long dts = frame.dts();
        long ms = dts >= 0 ? dts / 1000 : Math.floorDiv(dts, 1000);
        if (!started) {
            started = true;
            origin = absolute ? Math.min(0, ms) : ms;
        }
        return Math.max(0, ms - origin);
    }

    /**
     * Returns the composition time offset of a frame in whole milliseconds, so that its
     * presentation time on this timeline is {@code at(frame) + compositionTime(frame)}.
     *
     * @param frame the frame, lent
     * @return milliseconds, zero or more
     */
    public static int compositionTime(MediaFrame frame) {
        return (int) Math.min(Integer.MAX_VALUE, Math.floorDiv(frame.pts(), 1000) - Math.floorDiv(frame.dts(), 1000));
    }

    /**
     * Returns whether a frame has been placed yet.
     *
     * @return whether the origin is fixed
     */
    public boolean started() {
        return started;
    }
}
