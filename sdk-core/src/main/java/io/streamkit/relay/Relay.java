package io.streamkit.relay;

import io.streamkit.stream.StreamKey;
import java.util.concurrent.CompletionStage;

/**
 * What a {@link Puller} and a {@link Pusher} share: one local stream, a start, a status, an end.
 * Relay policies (retries, forwarding rules, pulls on demand) handle both through it.
 */
public interface Relay extends AutoCloseable {

    /**
     * Returns the local stream: the one a puller publishes, or the one a pusher sends.
     *
     * @return the local key
     */
    StreamKey localKey();

    /**
     * Connects and starts relaying; calling it again returns the same outcome.
     *
     * @return completes when media flows (a pull's first track published, a push accepted by
     *     the remote server), or fails with the cause
     */
    CompletionStage<Void> start();

    /**
     * Returns whether media flows now.
     *
     * @return the state
     */
    boolean isActive();

    /**
     * Returns a snapshot of the relay's state, bytes moved and last error; any thread.
     *
     * @return the status
     */
    RelayStatus status();

    /**
     * Returns a stage that completes when the relay has stopped for good: closed, the server
     * stopped, or an end it does not recover from by itself (see {@link Puller} and {@link Pusher}).
     *
     * @return the stage; it completes normally, whatever the cause, and never fails
     */
    CompletionStage<Void> done();

    /** Stops relaying and disconnects. Idempotent. */
    @Override
    void close();
}
