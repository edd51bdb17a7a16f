package io.streamkit.relay;

import io.streamkit.stream.StreamKey;
import java.util.concurrent.CompletionStage;

/**
 * Brings a remote stream ({@code rtmp://}, HTTP-FLV, later {@code rtsp://} and {@code srt://})
 * into the engine as a local publisher. Implementations live beside their protocol in
 * {@code streamkit-protocols}; policies such as pulling on demand when a player asks for a
 * missing stream build on this interface.
 */
public interface Puller extends AutoCloseable {

    /**
     * Returns the local stream the remote one is published as.
     *
     * @return the local key
     */
    StreamKey localKey();

    /**
     * Connects and starts publishing locally.
     *
     * @return completes when the first track is published, or fails with the cause
     */
    CompletionStage<Void> start();

    /**
     * Returns whether the puller is connected and publishing.
     *
     * @return the state
     */
    boolean isActive();

    /**
     * Returns a snapshot of the puller's state, bytes moved and last error; any thread.
     *
     * @return the status
     */
    RelayStatus status();

    /**
     * Returns a stage that completes when the puller has stopped for good: closed, the server
     * stopped, or (for a puller) the remote stream or connection ended and it does not reconnect.
     *
     * @return the stage; it completes normally, whatever the cause, and never fails
     */
    CompletionStage<Void> done();

    /** Disconnects and stops the local publisher. Idempotent. */
    @Override
    void close();
}
