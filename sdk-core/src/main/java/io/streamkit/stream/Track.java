package io.streamkit.stream;

/**
 * One elementary stream of a live stream: its codec and configuration, and its counters.
 *
 * <p>Tracks are created by {@link Publisher#addTrack} and belong to the engine. A
 * track outlives a publisher that drops and returns within the stream's reconnect grace
 * period: the returning publisher's track of the same media type continues it, so its
 * subscribers see one continuous timeline. Accessors are safe from any thread.
 */
public interface Track {

    /**
     * Returns the track's number, unique within its stream and stable for the stream's life.
     *
     * @return 0 for the first track added to the stream, then 1, 2, ...
     */
    int id();

    /**
     * Returns the stream this track belongs to.
     *
     * @return the stream key
     */
    StreamKey stream();

    /**
     * Returns the current format; a publisher may change it mid-stream (a new sequence header).
     *
     * @return the format
     */
    TrackFormat format();

    /**
     * Returns the codec of the current format.
     *
     * @return the codec
     */
    default Codec codec() {
        return format().codec();
    }

    /**
     * Returns whether the track carries video or audio.
     *
     * @return the media type
     */
    default MediaType type() {
        return format().type();
    }

    /**
     * Returns a snapshot of the track's counters.
     *
     * @return frames, bytes and bitrate measured at ingest
     */
    TrackStats stats();
}
