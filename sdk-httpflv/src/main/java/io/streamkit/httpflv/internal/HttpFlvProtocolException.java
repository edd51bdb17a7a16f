package io.streamkit.httpflv.internal;

/**
 * An HTTP-FLV origin broke the protocol or one of the puller's limits: it answered with a
 * status other than 200, sent a malformed response or headers over the limit, sent no track
 * in time, or went silent. Only that puller's connection closes; the message names the URL
 * (without its query, which may hold a token) and the value or the limit.
 *
 * <p>A body that is not FLV, or a tag over the size limit, is a
 * {@link io.streamkit.codec.MediaFormatException} instead, as for every other FLV reader.
 */
public class HttpFlvProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, with the URL and the offending value or limit
     */
    public HttpFlvProtocolException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what was wrong
     * @param cause the underlying failure, for example Netty's header-too-long exception
     */
    public HttpFlvProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
