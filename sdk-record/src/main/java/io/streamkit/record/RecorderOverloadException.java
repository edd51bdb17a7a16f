package io.streamkit.record;

/**
 * A recording fell behind its stream: more bytes waited to be written than its limit allows
 * (a disk too slow for the streams recorded on it). The recording stops; the stream goes on.
 */
public final class RecorderOverloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the bytes waiting and the limit
     */
    public RecorderOverloadException(String message) {
        super(message);
    }
}
