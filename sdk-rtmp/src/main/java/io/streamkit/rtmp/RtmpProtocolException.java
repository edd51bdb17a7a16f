package io.streamkit.rtmp;

/**
 * A peer broke the RTMP protocol or one of the server's limits: a malformed handshake or
 * chunk, a message over the size limit, a command out of place. Only the offending
 * connection is closed; the message names the value and the limit.
 */
public class RtmpProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, with the offending value and the limit
     */
    public RtmpProtocolException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong
     * @param cause the underlying failure, for example a malformed AMF value
     */
    public RtmpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
