package io.streamkit.stream;

/** Why a subscription or a publication ended. */
public enum EndReason {
    /** The publisher left and none returned within the reconnect grace period. */
    UNPUBLISHED,
    /** The stream was never published within the play wait. */
    NOT_FOUND,
    /** The subscription or publisher was closed by its owner. */
    CANCELLED,
    /** Another publisher took the stream over. */
    TAKEN_OVER,
    /** The application or the API removed it. */
    KICKED,
    /** The engine or server shut down. */
    SHUTDOWN,
    /** The subscriber threw from one of its methods and was detached. */
    FAILED
}
