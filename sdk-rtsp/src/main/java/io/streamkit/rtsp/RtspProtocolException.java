package io.streamkit.rtsp;

/**
 * A peer broke RTSP: a request or an interleaved frame that cannot be read, or one over a
 * limit. The message names the value and the limit; only the offending connection closes.
 */
public class RtspProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, with the value and the limit
     */
    public RtspProtocolException(String message) {
        super(message);
    }
}
