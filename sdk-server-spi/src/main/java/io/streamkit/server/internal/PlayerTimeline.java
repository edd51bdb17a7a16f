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
 * it starts with) is put at 0, so a track never goes back.
 *
 * <p>Static helpers over an origin the player keeps in a field of its own: a player's state
 * is read for every frame it gets, and at thousands of players each further object it points
 * to is a cache miss per frame.
 */
public final class PlayerTimeline {
    /** The origin of a player that has placed no frame yet. */
    public static final long NOT_STARTED = Long.MIN_VALUE;

    private PlayerTimeline() {
    }

    /**
     * Returns the origin a player's first frame fixes.
     *
     * @param first the player's first frame, lent
     * @param absolute whether the player sees the stream's clock rather than its own from 0
     * @return the origin in milliseconds, for {@link #at}
     */
    public static long origin(MediaFrame first, boolean absolute) {
        return absolute ? Math.min(0, millis(first)) : millis(first);
    }

    /**
     * Returns a frame's decode time on a timeline.
     *
     * @param frame the frame, lent
     * @param origin the timeline's origin, from {@link #origin}
     * @return milliseconds, zero or more
     */
    public static long at(MediaFrame frame, long origin) {
        return Math.max(0, millis(frame) - origin);
    }

    /**
     * Returns the composition time offset of a frame in whole milliseconds, so that its
     * presentation time on a timeline is {@code at(frame) + compositionTime(frame)}.
     *
     * @param frame the frame, lent
     * @return milliseconds, zero or more
     */
    public static int compositionTime(MediaFrame frame) {
        return (int) Math.min(Integer.MAX_VALUE, Math.floorDiv(frame.pts(), 1000) - Math.floorDiv(frame.dts(), 1000));
    }

    private static long millis(MediaFrame frame) {
        long dts = frame.dts();
        return dts >= 0 ? dts / 1000 : Math.floorDiv(dts, 1000);
    }
}
