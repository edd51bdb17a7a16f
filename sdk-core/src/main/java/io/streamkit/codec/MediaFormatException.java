package io.streamkit.codec;

/**
 * Malformed or unsupported media data: a codec configuration, a parameter set or a
 * container structure that does not follow its specification.
 *
 * <p>The message names the offending value and the limit or rule it broke, for
 * example {@code "SPS pic_width_in_mbs 1025 exceeds 1024"}. Parsers throw it instead
 * of reading past their input, so a bad publisher costs one rejected track, never a
 * crashed connection or server.
 */
public class MediaFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message naming the value and the rule.
     *
     * @param message what was wrong, with the offending value and the limit
     */
    public MediaFormatException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the cause it wraps.
     *
     * @param message what was wrong, with the offending value and the limit
     * @param cause the underlying failure
     */
    public MediaFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
