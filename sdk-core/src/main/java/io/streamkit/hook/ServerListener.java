package io.streamkit.hook;

/**
 * The application's view of what happens on the server: connections, publishes, plays,
 * slow players. Subclass it and override what you need; every method does nothing here.
 *
 * <p>Methods are called on event loops (record events on the recorder's callback thread), right where the event happens: they must be fast
 * and must not block (hand slow work to an executor). A method that throws is logged and
 * otherwise ignored; it never affects the connection or the stream.
 */
public class ServerListener {

    /** Creates a listener that ignores every event. */
    public ServerListener() {
    }

    /**
     * A client connected.
     *
     * @param event the connection
     */
    public void onConnect(ConnectionEvent event) {
    }

    /**
     * A client disconnected.
     *
     * @param event the connection
     */
    public void onDisconnect(ConnectionEvent event) {
    }

    /**
     * A publisher started owning a stream.
     *
     * @param event the stream and the publisher
     */
    public void onPublish(StreamEvent event) {
    }

    /**
     * A publisher stopped; its subscribers wait the reconnect grace period.
     *
     * @param event the stream and the publisher
     */
    public void onUnpublish(StreamEvent event) {
    }

    /**
     * A player asked for a stream that is not published and waits for it, up to the stream's
     * play wait ({@link io.streamkit.stream.StreamPolicy#playWait()}); {@link #onPlay} follows
     * when the stream is published in time. On-demand pulls start here. The event's
     * subscription id is 0: the player has no subscription yet.
     *
     * @param event the stream and the player
     */
    public void onPlayWaiting(PlayEvent event) {
    }

    /**
     * A subscriber attached to a stream.
     *
     * @param event the stream and the player
     */
    public void onPlay(PlayEvent event) {
    }

    /**
     * A subscriber detached.
     *
     * @param event the stream, the player and why it ended
     */
    public void onStop(PlayEvent event) {
    }

    /**
     * A subscriber fell behind and skipped to the next keyframe.
     *
     * @param event the stream, the player and its skip counters
     */
    public void onSkip(SkipEvent event) {
    }

    /**
     * A recorder opened a file. Called on the recorder's callback thread, in order with the
     * file's {@link #onRecordEnd}.
     *
     * @param event the stream and the file
     */
    public void onRecordStart(RecordEvent event) {
    }

    /**
     * A recorder finished a file (rotated, the stream ended, the recording stopped or failed, or
     * a file left by a crash was recovered): it is complete on disk. Called on the recorder's
     * callback thread.
     *
     * @param event the stream, the file, its size and duration, and why it ended
     */
    public void onRecordEnd(RecordEvent event) {
    }
}
