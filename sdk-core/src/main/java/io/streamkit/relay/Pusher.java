package io.streamkit.relay;

import java.util.concurrent.CompletionStage;

/**
 * Sends a local stream to a remote server (forwarding, relays, restreaming to a CDN),
 * reconnecting with backoff when the connection drops. Implementations live beside their
 * protocol in {@code streamkit-protocols}.
 */
public interface Pusher extends Relay {

    /**
     * Subscribes to the local stream and connects to the remote server.
     *
     * @return completes when the remote server accepted the publish, or fails with the cause
     */
    @Override
    CompletionStage<Void> start();

    /**
     * Returns a stage that completes when the pusher has stopped for good: closed, the server
     * stopped, or its first attempt failed.
     *
     * @return the stage; it completes normally, whatever the cause, and never fails
     */
    @Override
    CompletionStage<Void> done();
}
