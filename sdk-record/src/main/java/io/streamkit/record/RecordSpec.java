package io.streamkit.record;

import java.time.Duration;
import java.util.Objects;

/**
 * How one stream is recorded: the format, the file names, when files rotate, and how much a
 * crash may lose. Immutable; built with {@link #builder(RecordFormat)} or taken as is from
 * {@link #mp4()}, {@link #flv()} and {@link #hls()}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code template}</td><td>{@value #DEFAULT_TEMPLATE}</td><td>the file's path under the
 *       recordings' root: {@code {app}}, {@code {name}}, {@code {ext}} (the format's extension), and
 *       any other {@code {...}} as a {@link java.time.format.DateTimeFormatter} pattern of the file's
 *       start time in the recorder's zone. No name can leave the root: a {@code ..} segment is refused
 *       here, and characters of stream names other than letters, digits, {@code . _ -} become
 *       {@code _}</td></tr>
 *   <tr><td>{@code rotateAfter}</td><td>1 hour</td><td>a new file at the first keyframe once a file spans
 *       this much; {@link Duration#ZERO} for never</td></tr>
 *   <tr><td>{@code rotateAtBytes}</td><td>1 GiB</td><td>a new file at the first keyframe once a file has
 *       this many bytes; 0 for never</td></tr>
 *   <tr><td>{@code fragmentDuration}</td><td>2 s</td><td>MP4: a fragment ends at each video keyframe and
 *       at the latest after this long: the most of an MP4 a crash can lose</td></tr>
 *   <tr><td>{@code segmentDuration}</td><td>4 s</td><td>HLS: a segment ends at the first keyframe past
 *       this long</td></tr>
 * </table>
 *
 * <p>Rotation is at a keyframe (at any frame of an audio-only stream): the last frame of one
 * file and the first of the next are consecutive frames of the stream, and each file's
 * timeline starts at 0.
 */
public final class RecordSpec {
    /** The default path template: a directory per stream and day, a file per start time. */
    public static final String DEFAULT_TEMPLATE = "{app}/{name}/{yyyy-MM-dd}/{HH-mm-ss}.{ext}";
    /** The default rotation: hourly files, the unit archives and players are usually asked for. */
    public static final Duration DEFAULT_ROTATE_AFTER = Duration.ofHours(1);
    /** The default size rotation: 1 GiB, well below the 2 GiB a crashed MP4 can be recovered from. */
    public static final long DEFAULT_ROTATE_AT_BYTES = 1L << 30;
    /** The default longest MP4 fragment: at most two seconds are lost to a crash. */
    public static final Duration DEFAULT_FRAGMENT_DURATION = Duration.ofSeconds(2);
    /** The default HLS segment: 4 s, within Apple's recommendation of about 6 s for VOD. */
    public static final Duration DEFAULT_SEGMENT_DURATION = Duration.ofSeconds(4);
    /** The shortest rotation: files shorter than a second are a configuration mistake, not an archive. */
    public static final Duration MIN_ROTATE_AFTER = Duration.ofSeconds(1);
    /** The smallest size rotation: 1 MiB. */
    public static final long MIN_ROTATE_AT_BYTES = 1L << 20;
    /** The longest template: paths stay far within every file system's limit. */
    public static final int MAX_TEMPLATE_LENGTH = 512;

    private static final RecordSpec MP4 = builder(RecordFormat.MP4).build();
    private static final RecordSpec FLV = builder(RecordFormat.FLV).build();
    private static final RecordSpec HLS = builder(RecordFormat.HLS).build();

    private final RecordFormat format;
    private final String template;
    private final Duration rotateAfter;
    private final long rotateAtBytes;
    private final Duration fragmentDuration;
    private final Duration segmentDuration;

    private RecordSpec(Builder b) {
        this.format = b.format;
        this.template = b.template;
        this.rotateAfter = b.rotateAfter;
        this.rotateAtBytes = b.rotateAtBytes;
        this.fragmentDuration = b.fragmentDuration;
        this.segmentDuration = b.segmentDuration;
    }

    /**
     * Returns MP4 recording with the defaults.
     *
     * @return the spec
     */
    public static RecordSpec mp4() {
        return MP4;
    }

    /**
     * Returns FLV recording with the defaults.
     *
     * @return the spec
     */
    public static RecordSpec flv() {
        return FLV;
    }

    /**
     * Returns HLS recording with the defaults.
     *
     * @return the spec
     */
    public static RecordSpec hls() {
        return HLS;
    }

    /**
     * Starts a spec of a format, with the defaults.
     *
     * @param format the format
     * @return a builder
     */
    public static Builder builder(RecordFormat format) {
        return new Builder(Objects.requireNonNull(format, "format"));
    }

    /**
     * Returns a builder with this spec's settings.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(format);
        b.template = template;
        b.rotateAfter = rotateAfter;
        b.rotateAtBytes = rotateAtBytes;
        b.fragmentDuration = fragmentDuration;
        b.segmentDuration = segmentDuration;
        return b;
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
     * Returns the path template.
     *
     * @return the template
     */
    public String template() {
        return template;
    }

    /**
     * Returns the rotation by duration.
     *
     * @return the duration; zero for never
     */
    public Duration rotateAfter() {
        return rotateAfter;
    }

    /**
     * Returns the rotation by size.
     *
     * @return bytes; 0 for never
     */
    public long rotateAtBytes() {
        return rotateAtBytes;
    }

    /**
     * Returns the longest MP4 fragment.
     *
     * @return the duration
     */
    public Duration fragmentDuration() {
        return fragmentDuration;
    }

    /**
     * Returns the HLS segment duration.
     *
     * @return the duration
     */
    public Duration segmentDuration() {
        return segmentDuration;
    }

    @Override
    public String toString() {
        return "RecordSpec[" + format + " " + template + ", rotate " + rotateAfter + " / " + rotateAtBytes + " bytes]";
    }

    /** Builds a {@link RecordSpec}; each setter checks its argument at once. */
    public static final class Builder {
        private final RecordFormat format;
        private String template = DEFAULT_TEMPLATE;
        private Duration rotateAfter = DEFAULT_ROTATE_AFTER;
        private long rotateAtBytes = DEFAULT_ROTATE_AT_BYTES;
        private Duration fragmentDuration = DEFAULT_FRAGMENT_DURATION;
        private Duration segmentDuration = DEFAULT_SEGMENT_DURATION;

        private Builder(RecordFormat format) {
            this.format = format;
        }

        /**
         * Sets the path template (see the table on {@link RecordSpec}).
         *
         * @param template relative, with {@code /} between segments, at most {@value #MAX_TEMPLATE_LENGTH} characters
         * @return this builder
         * @throws IllegalArgumentException when it is absolute, has a {@code .} or {@code ..} or empty
         *     segment, an unclosed brace, or a date pattern {@link java.time.format.DateTimeFormatter} refuses
         */
        public Builder template(String template) {
            PathTemplate.parse(Objects.requireNonNull(template, "template"));
            this.template = template;
            return this;
        }

        /**
         * Sets the rotation by duration.
         *
         * @param duration at least {@link #MIN_ROTATE_AFTER}, or {@link Duration#ZERO} for never
         * @return this builder
         */
        public Builder rotateAfter(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (!duration.isZero() && duration.compareTo(MIN_ROTATE_AFTER) < 0) {
                throw new IllegalArgumentException("rotateAfter " + duration + " is below " + MIN_ROTATE_AFTER
                        + "; use Duration.ZERO for no rotation by time");
            }
            this.rotateAfter = duration;
            return this;
        }

        /**
         * Sets the rotation by size.
         *
         * @param bytes at least {@link #MIN_ROTATE_AT_BYTES}, or 0 for never
         * @return this builder
         */
        public Builder rotateAtBytes(long bytes) {
            if (bytes != 0 && bytes < MIN_ROTATE_AT_BYTES) {
                throw new IllegalArgumentException("rotateAtBytes " + bytes + " is below " + MIN_ROTATE_AT_BYTES
                        + "; use 0 for no rotation by size");
            }
            this.rotateAtBytes = bytes;
            return this;
        }

        /**
         * Sets the longest MP4 fragment.
         *
         * @param duration from 100 ms to 60 s
         * @return this builder
         */
        public Builder fragmentDuration(Duration duration) {
            this.fragmentDuration = between("fragmentDuration", duration, Duration.ofMillis(100), Duration.ofSeconds(60));
            return this;
        }

        /**
         * Sets the HLS segment duration.
         *
         * @param duration from 1 s to 60 s
         * @return this builder
         */
        public Builder segmentDuration(Duration duration) {
            this.segmentDuration = between("segmentDuration", duration, Duration.ofSeconds(1), Duration.ofSeconds(60));
            return this;
        }

        private static Duration between(String what, Duration d, Duration min, Duration max) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(what + " " + d + " is not between " + min + " and " + max);
            }
            return d;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         */
        public RecordSpec build() {
            return new RecordSpec(this);
        }
    }
}
