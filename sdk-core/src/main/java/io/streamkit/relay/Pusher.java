package io.streamkit.relay;

import io.streamkit.stream.StreamKey;
import java.util.concurrent.CompletionStage;

/**
 * Sends a local stream to a remote server (forwarding, relays, restreaming to a CDN),
 * reconnecting with backoff when the connection drops. Implementations live beside their
 * protocol in {@code streamkit-protocols}.
 */
public interface Pusher extends AutoCloseable {

    /**
     * Returns the local stream being sent.
     *
     * @return the local key
     */
    StreamKey localKey();

    /**
     * Subscribes to the local stream and connects to the remote server.
     *
     * @return completes when the remote server accepted the publish, or fails with the cause
     */
    CompletionStage<Void> start();

    /**
     * Returns whether the pusher is connected and sending.
     *
     * @return the state
     */
    boolean isActive();

    /**
     * Returns a snapshot of the pusher's state, bytes moved and last error; any thread.
     *
     * @return the status
     */
    RelayStatus status();

    /**
     * Returns a stage that completes when the pusher has stopped for good: closed, the server
     * stopped, or its first attempt failed.
     *
     * @return the stage; it completes normally, whatever the cause, and never fails
     */
    CompletionStage<Void> done();

    /** Stops sending and disconnects. Idempotent. */
    @Override
    void close();
}
