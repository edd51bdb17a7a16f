package io.streamkit.record;

import io.streamkit.stream.Codec;
import io.streamkit.stream.StreamKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded file: where it is, what it holds, and, once finished, why it ended. Handed to
 * {@link RecordListener} and listed by {@link Recorder#recordings()}.
 */
public final class RecordedFile {
    private final StreamKey stream;
    private final Path path;
    private final String name;
    private final RecordFormat format;
    private final Instant start;
    private final Duration duration;
    private final long bytes;
    private final long firstTimestamp;
    private final long lastTimestamp;
    private final List<Codec> codecs;
    private final long videoFrames;
    private final long audioFrames;
    private final RecordEnd end;

    private RecordedFile(Builder b) {
        this.stream = Objects.requireNonNull(b.stream, "stream");
        this.path = Objects.requireNonNull(b.path, "path");
        this.name = Objects.requireNonNull(b.name, "name");
        this.format = Objects.requireNonNull(b.format, "format");
        this.start = Objects.requireNonNull(b.start, "start");
        this.duration = b.duration;
        this.bytes = b.bytes;
        this.firstTimestamp = b.firstTimestamp;
        this.lastTimestamp = b.lastTimestamp;
        this.codecs = List.copyOf(b.codecs);
        this.videoFrames = b.videoFrames;
        this.audioFrames = b.audioFrames;
        this.end = b.end;
    }

    /**
     * Starts describing a file.
     *
     * @param stream the recorded stream
     * @param path the file's absolute path (the playlist's, for HLS)
     * @param name the path relative to the recordings' root, with {@code /} between segments
     * @param format the format
     * @param start the wall-clock time of the file's first frame
     * @return a builder
     */
    public static Builder builder(StreamKey stream, Path path, String name, RecordFormat format, Instant start) {
        return new Builder(stream, path, name, format, start);
    }

    /**
     * Returns the recorded stream.
     *
     * @return its key
     */
    public StreamKey stream() {
        return stream;
    }

    /**
     * Returns the file's path: for HLS the playlist's, its segments beside it.
     *
     * @return an absolute path under the recordings' root
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the file's path relative to the recordings' root, {@code /} between segments: the
     * name the playback routes serve it under ({@code /recordings/{name}}).
     *
     * @return the relative name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the format.
     *
     * @return the format
     */
    public RecordFormat format() {
        return format;
    }

    /**
     * Returns when the file's first frame was recorded, by the server's clock.
     *
     * @return the start time
     */
    public Instant start() {
        return start;
    }

    /**
     * Returns the media duration: from the first frame's timestamp to the last one's, plus the
     * last frame's own duration.
     *
     * @return the duration; zero in {@link RecordListener#onStarted}
     */
    public Duration duration() {
        return duration;
    }

    /**
     * Returns the file's size (an HLS recording's playlist and segments together).
     *
     * @return bytes on disk
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Returns the stream timestamp of the file's first frame; in the file it is time 0.
     *
     * @return microseconds on the stream's timeline
     */
    public long firstTimestamp() {
        return firstTimestamp;
    }

    /**
     * Returns the stream timestamp of the file's last frame.
     *
     * @return microseconds on the stream's timeline
     */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    /**
     * Returns the codecs of the file's tracks, in track order.
     *
     * @return the codecs
     */
    public List<Codec> codecs() {
        return codecs;
    }

    /**
     * Returns how many video frames the file holds.
     *
     * @return the count
     */
    public long videoFrames() {
        return videoFrames;
    }

    /**
     * Returns how many audio frames the file holds.
     *
     * @return the count
     */
    public long audioFrames() {
        return audioFrames;
    }

    /**
     * Returns why the file ended.
     *
     * @return the reason, or empty while it is being written
     */
    public Optional<RecordEnd> end() {
        return Optional.ofNullable(end);
    }

    @Override
    public String toString() {
        return "RecordedFile[" + stream + " " + format + " " + name + ", " + start + ", " + duration.toMillis() + " ms, "
                + bytes + " bytes, " + codecs + ", " + videoFrames + " video + " + audioFrames + " audio frames"
                + (end == null ? "" : ", " + end) + "]";
    }

    /** Builds a {@link RecordedFile}; what is not set is zero or empty. */
    public static final class Builder {
        private final StreamKey stream;
        private final Path path;
        private final String name;
        private final RecordFormat format;
        private final Instant start;
        private Duration duration = Duration.ZERO;
        private long bytes;
        private long firstTimestamp;
        private long lastTimestamp;
        private List<Codec> codecs = List.of();
        private long videoFrames;
        private long audioFrames;
        private RecordEnd end;

        private Builder(StreamKey stream, Path path, String name, RecordFormat format, Instant start) {
            this.stream = stream;
            this.path = path;
            this.name = name;
            this.format = format;
            this.start = start;
        }

        /**
         * Sets the media duration.
         *
         * @param duration not negative
         * @return this builder
         */
        public Builder duration(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("duration " + duration + " is negative");
            }
            this.duration = duration;
            return this;
        }

        /**
         * Sets the size on disk.
         *
         * @param bytes not negative
         * @return this builder
         */
        public Builder bytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes " + bytes + " is negative");
            }
            this.bytes = bytes;
            return this;
        }

        /**
         * Sets the stream timestamps of the first and last frames.
         *
         * @param first µs
         * @param last µs, not before {@code first}
         * @return this builder
         */
        public Builder timestamps(long first, long last) {
            if (last < first) {
                throw new IllegalArgumentException("last timestamp " + last + " is before the first, " + first);
            }
            this.firstTimestamp = first;
            this.lastTimestamp = last;
            return this;
        }

        /**
         * Sets the tracks' codecs.
         *
         * @param codecs in track order
         * @return this builder
         */
        public Builder codecs(List<Codec> codecs) {
            this.codecs = List.copyOf(codecs);
            return this;
        }

        /**
         * Sets the frame counts.
         *
         * @param video video frames, not negative
         * @param audio audio frames, not negative
         * @return this builder
         */
        public Builder frames(long video, long audio) {
            if (video < 0 || audio < 0) {
                throw new IllegalArgumentException("frame counts " + video + ", " + audio + " must not be negative");
            }
            this.videoFrames = video;
            this.audioFrames = audio;
            return this;
        }

        /**
         * Sets why the file ended.
         *
         * @param end the reason
         * @return this builder
         */
        public Builder end(RecordEnd end) {
            this.end = Objects.requireNonNull(end, "end");
            return this;
        }

        /**
         * Builds the description.
         *
         * @return the file
         */
        public RecordedFile build() {
            return new RecordedFile(this);
        }
    }
}
