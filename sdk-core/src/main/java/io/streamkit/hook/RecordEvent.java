package io.streamkit.hook;

import io.streamkit.stream.StreamKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A recorded file's start or end, for {@link ServerListener#onRecordStart} and
 * {@link ServerListener#onRecordEnd}: the same files a recorder's own callbacks report, told to
 * every listener (and so to HTTP hooks) in the one event model.
 *
 * <p>A final class with a builder, so that fields can be added without breaking listeners; made
 * by the recorder (and tests) only.
 */
public final class RecordEvent {
    private final StreamKey key;
    private final Path path;
    private final Path root;
    private final String format;
    private final Instant start;
    private final Duration duration;
    private final long bytes;
    private final String end;
    private final long connectionId;
    private final Map<String, String> query;

    private RecordEvent(Builder b) {
        this.key = b.key;
        this.path = b.path;
        this.root = b.root;
        this.format = b.format;
        this.start = b.start;
        this.duration = b.duration;
        this.bytes = b.bytes;
        this.end = b.end;
        this.connectionId = b.connectionId;
        this.query = b.query;
    }

    /**
     * Starts an event.
     *
     * @param key the recorded stream
     * @param path the file, absolute
     * @param format its format, for example {@code "mp4"}, {@code "flv"} or {@code "hls"}
     * @param start when its first frame arrived
     * @return a builder
     */
    public static Builder builder(StreamKey key, Path path, String format, Instant start) {
        return new Builder(key, path, format, start);
    }

    /**
     * Returns the recorded stream.
     *
     * @return the recorded stream
     */
    public StreamKey key() {
        return key;
    }

    /**
     * Returns the file, absolute.
     *
     * @return the file, absolute
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the recorder's root directory, under which the file lies; {@code null} when unknown.
     *
     * @return the root directory, or {@code null}
     */
    public Path root() {
        return root;
    }

    /**
     * Returns the file's format: {@code "mp4"}, {@code "flv"}, {@code "hls"}, or a module's own.
     *
     * @return the format
     */
    public String format() {
        return format;
    }

    /**
     * Returns when the file's first frame arrived.
     *
     * @return when the file's first frame arrived
     */
    public Instant start() {
        return start;
    }

    /**
     * Returns the media duration of a finished file; zero at the start.
     *
     * @return the media duration of a finished file; zero at the start
     */
    public Duration duration() {
        return duration;
    }

    /**
     * Returns the file's size in bytes when finished; zero at the start.
     *
     * @return the file's size in bytes when finished; zero at the start
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Returns why the file ended ({@code "ROTATION"}, {@code "STREAM_END"}, ...), empty at the start.
     *
     * @return why the file ended, empty at the start
     */
    public String end() {
        return end;
    }

    /**
     * Returns the publisher's connection, as in the publish event; 0 when unknown.
     *
     * @return the publisher's connection, or 0
     */
    public long connectionId() {
        return connectionId;
    }

    /**
     * Returns the query parameters of the publisher's request; empty for none.
     *
     * @return the query parameters, unmodifiable
     */
    public Map<String, String> query() {
        return query;
    }

    @Override
    public String toString() {
        return "RecordEvent[key=" + key + ", path=" + path + ", format=" + format + ", start=" + start
                + ", duration=" + duration + ", bytes=" + bytes + ", end=" + end + ", connectionId=" + connectionId + "]";
    }

    /** Builds a {@link RecordEvent}; for recorders and tests. */
    public static final class Builder {
        private final StreamKey key;
        private final Path path;
        private final String format;
        private final Instant start;
        private Path root;
        private Duration duration = Duration.ZERO;
        private long bytes;
        private String end = "";
        private long connectionId;
        private Map<String, String> query = Map.of();

        private Builder(StreamKey key, Path path, String format, Instant start) {
            this.key = Objects.requireNonNull(key, "key");
            this.path = Objects.requireNonNull(path, "path");
            this.format = Objects.requireNonNull(format, "format");
            this.start = Objects.requireNonNull(start, "start");
        }

        /**
         * Sets the recorder's root directory.
         *
         * @param dir the root, or {@code null}
         * @return this builder
         */
        public Builder root(Path dir) {
            this.root = dir;
            return this;
        }

        /**
         * Sets what a finished file holds.
         *
         * @param mediaDuration its media duration
         * @param size its size in bytes, at least 0
         * @param reason why it ended, for example {@code "STREAM_END"}
         * @return this builder
         */
        public Builder finished(Duration mediaDuration, long size, String reason) {
            if (size < 0) {
                throw new IllegalArgumentException("bytes " + size + " must be at least 0");
            }
            this.duration = Objects.requireNonNull(mediaDuration, "mediaDuration");
            this.bytes = size;
            this.end = Objects.requireNonNull(reason, "reason");
            return this;
        }

        /**
         * Sets the publisher's connection and query parameters.
         *
         * @param id the connection, 0 for none
         * @param parameters the query parameters; {@code null} for none
         * @return this builder
         */
        public Builder publisher(long id, Map<String, String> parameters) {
            this.connectionId = id;
            this.query = parameters == null ? Map.of() : Map.copyOf(parameters);
            return this;
        }

        /**
         * Builds the event.
         *
         * @return the event
         */
        public RecordEvent build() {
            return new RecordEvent(this);
        }
    }
}
