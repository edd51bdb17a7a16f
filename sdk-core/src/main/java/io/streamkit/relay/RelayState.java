package io.streamkit.relay;

/**
 * Where a puller or pusher stands, as {@link RelayStatus#state()} reports it.
 */
public enum RelayState {
    /** Created; {@code start()} not called yet. */
    IDLE,
    /** Connecting, handshaking, or waiting for the local stream or the remote answer. */
    CONNECTING,
    /** Connected and moving media: a pull publishing locally, a push accepted by the remote server. */
    LIVE,
    /** The last attempt ended; the next one is scheduled at {@link RelayStatus#retryAt()}. */
    RETRYING,
    /** Stopped for good: closed, or failed without a retry. */
    STOPPED
}
