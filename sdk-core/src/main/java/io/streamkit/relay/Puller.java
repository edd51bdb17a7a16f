package io.streamkit.relay;

import java.util.concurrent.CompletionStage;

/**
 * Brings a remote stream ({@code rtmp://}, HTTP-FLV, later {@code rtsp://} and {@code srt://})
 * into the engine as a local publisher. Implementations live beside their protocol in
 * {@code streamkit-protocols}; policies such as pulling on demand when a player asks for a
 * missing stream build on this interface.
 */
public interface Puller extends Relay {

    /**
     * Connects and starts publishing locally.
     *
     * @return completes when the first track is published, or fails with the cause
     */
    @Override
    CompletionStage<Void> start();

    /**
     * Returns a stage that completes when the puller has stopped for good: closed, the server
     * stopped, or the remote stream or connection ended: a puller does not reconnect by itself.
     *
     * @return the stage; it completes normally, whatever the cause, and never fails
     */
    @Override
    CompletionStage<Void> done();
}
