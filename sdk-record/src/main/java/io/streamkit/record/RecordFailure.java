package io.streamkit.record;

import io.streamkit.stream.StreamKey;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Why a recording stopped early: the stream, the file being written if there was one, and the cause. */
public final class RecordFailure {
    private final StreamKey stream;
    private final Path path;
    private final Throwable cause;

    /**
     * Creates a failure.
     *
     * @param stream the recorded stream
     * @param path the file being written, or {@code null} when none was open
     * @param cause what went wrong
     */
    public RecordFailure(StreamKey stream, Path path, Throwable cause) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.path = path;
        this.cause = Objects.requireNonNull(cause, "cause");
    }

    /**
     * Returns the recorded stream.
     *
     * @return the stream's key
     */
    public StreamKey stream() {
        return stream;
    }

    /**
     * Returns the file that was being written.
     *
     * @return its path, or empty when no file was open (it could not be created, say)
     */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /**
     * Returns the cause: an {@link java.io.IOException} from the file system, or a
     * {@link RecorderOverloadException} when the recorder fell behind.
     *
     * @return the cause
     */
    public Throwable cause() {
        return cause;
    }

    @Override
    public String toString() {
        return "RecordFailure[" + stream + (path == null ? "" : " " + path) + ": " + cause + "]";
    }
}
