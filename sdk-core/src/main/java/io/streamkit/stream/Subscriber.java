package io.streamkit.stream;

/**
 * Receives a live stream's tracks and frames. Every output is one: a player
 * connection, a segmenter, a recorder, a pusher, application code.
 *
 * <p><b>Threading.</b> Every method is called on the one executor given in
 * {@link SubscribeOptions#executor}, never concurrently, in this order:
 * {@link #onTrack} for each track, then frames with further {@code onTrack} calls
 * wherever a track is added or changes format, and {@link #onEnd} last, exactly once.
 * Methods must not block: they run on an event loop shared with other subscribers.
 *
 * <p><b>Batches.</b> Frames arrive in batches; after the last frame of a batch the
 * engine calls {@link #onFlush()} once, so a network subscriber writes in
 * {@code onFrame} and flushes once per batch.
 *
 * <p><b>Slow subscribers.</b> Before each frame the engine asks {@link #writable()}.
 * When it answers {@code false} the frame is skipped, and so is every frame until the
 * next keyframe (of a video track when the stream has one); the skip is counted in
 * {@link SubscriberStats} and reported to the server listener. A subscriber never slows
 * the publisher or any other subscriber.
 *
 * <p><b>Ownership.</b> {@link #onFrame} lends the frame for the call; to keep it,
 * {@link MediaFrame#retain()} and later release it.
 */
public interface Subscriber {

    /**
     * Announces a track before its first frame, and again when its format changes.
     *
     * @param track the track; {@link Track#format()} holds the configuration to send first
     */
    void onTrack(Track track);

    /**
     * Delivers the stream's metadata, after the tracks and whenever the publisher replaces it.
     *
     * @param metadata an unmodifiable map, as the publisher gave it
     */
    default void onMetadata(java.util.Map<String, Object> metadata) {
    }

    /**
     * Delivers a frame, lent for the duration of the call.
     *
     * @param frame the frame; its dts is above the track's last one
     */
    void onFrame(MediaFrame frame);

    /** Ends a batch of frames: the moment to flush what {@link #onFrame} wrote. */
    default void onFlush() {
    }

    /**
     * Tells whether this subscriber can take a frame now; see the class comment for
     * what happens when it cannot. Called on the subscriber's executor before each frame,
     * so it must be cheap.
     *
     * @return {@code false} when its backlog is full (an unwritable channel, a full queue)
     */
    default boolean writable() {
        return true;
    }

    /**
     * Says the publisher's source was lost (its connection dropped) rather than stopped:
     * {@link Publisher#abort()}. The stream waits its reconnect grace period as after
     * {@link #onUnpublished()}, which the default calls.
     */
    default void onPublisherLost() {
        onUnpublished();
    }

    /** Says the publisher has gone; the stream waits its reconnect grace period for another. */
    default void onUnpublished() {
    }

    /** Says a publisher has returned within the grace period; frames resume from a keyframe. */
    default void onRepublished() {
    }

    /**
     * Ends the subscription; no method is called after this one.
     *
     * @param reason why it ended
     */
    default void onEnd(EndReason reason) {
    }
}
