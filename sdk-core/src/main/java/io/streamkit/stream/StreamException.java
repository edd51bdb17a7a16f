package io.streamkit.stream;

/**
 * A publish or subscribe request the engine refused, with the reason a protocol turns
 * into its own status (for RTMP, {@code NetStream.Publish.BadName} or
 * {@code NetStream.Play.StreamNotFound}).
 */
public class StreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request was refused. */
    public enum Reason {
        /** A publisher already owns the stream and the policy rejects a second one. */
        ALREADY_PUBLISHING,
        /** The stream did not appear within the play wait. */
        NOT_FOUND,
        /** The application's authorisation callback denied the request. */
        DENIED,
        /** A configured limit was reached. */
        LIMIT,
        /** The engine is shut down. */
        CLOSED
    }

    /** Why the request was refused. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason the machine-readable reason
     * @param message what happened, naming the stream
     */
    public StreamException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Returns why the request was refused.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
