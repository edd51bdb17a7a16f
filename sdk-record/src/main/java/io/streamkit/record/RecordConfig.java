package io.streamkit.record;

import io.streamkit.hook.StreamEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The recorder's settings: where files go, which streams are recorded and how, who hears about
 * it, and its limits.
 *
 * <p>What is recorded is the application's decision, made when a stream is published, in this
 * order: the publish decision's attribute {@value #ATTRIBUTE} ({@code mp4}, {@code flv},
 * {@code hls}: that format with the default spec's settings; {@code true}: the default spec;
 * {@code false}: not recorded, whatever the rules say), else the first rule whose predicate
 * accepts the stream's publish event. Streams started with {@link Recorder#start} from Java or
 * the API are recorded until stopped, through every publish.
 *
 * <table>
 *   <caption>Settings and limits</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code root}</td><td>{@code recordings} under the working directory</td><td>every file lies below it</td></tr>
 *   <tr><td>{@code zone}</td><td>UTC</td><td>the zone of the templates' date fields</td></tr>
 *   <tr><td>{@code defaultSpec}</td><td>{@link RecordSpec#mp4()}</td><td>for the attribute and API starts without a format</td></tr>
 *   <tr><td>{@code writerThreads}</td><td>{@value #DEFAULT_WRITER_THREADS}</td><td>threads writing files, off the event loops</td></tr>
 *   <tr><td>{@code maxQueueBytes}</td><td>{@value #DEFAULT_MAX_QUEUE_BYTES}</td><td>bytes of one recording waiting to be
 *       written; past it the recording stops with {@link RecorderOverloadException}</td></tr>
 *   <tr><td>{@code closeTimeout}</td><td>10 s</td><td>how long {@code close()} waits for files to be finalised</td></tr>
 *   <tr><td>{@code playback}</td><td>on</td><td>{@code /api/recordings} and {@code /recordings/} on the HTTP port, when there is one</td></tr>
 *   <tr><td>{@code deleteAfter}</td><td>never</td><td>finished recordings older than this (by their end) are deleted,
 *       checked every minute; empty directories they leave go too</td></tr>
 * </table>
 */
public final class RecordConfig {
    /** The publish decision's attribute that turns recording on or off for a stream. */
    public static final String ATTRIBUTE = "record";
    /** Writer threads: two keep a disk busy while one waits on a sync; recording is not CPU-bound. */
    public static final int DEFAULT_WRITER_THREADS = 2;
    /** Bytes a recording may have waiting: 64 MiB is over a minute of an 8 Mbps stream, a disk stalled that long has failed. */
    public static final long DEFAULT_MAX_QUEUE_BYTES = 64L << 20;
    /** How long {@code close()} waits: finalising copies each open file once, seconds for gigabytes. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Path root;
    private final ZoneId zone;
    private final RecordSpec defaultSpec;
    private final List<Rule> rules;
    private final RecordListener listener;
    private final int writerThreads;
    private final long maxQueueBytes;
    private final Duration closeTimeout;
    private final boolean playback;
    private final Duration deleteAfter;

    private RecordConfig(Builder b) {
        this.root = b.root.toAbsolutePath().normalize();
        this.zone = b.zone;
        this.defaultSpec = b.defaultSpec;
        this.rules = List.copyOf(b.rules);
        this.listener = b.listener;
        this.writerThreads = b.writerThreads;
        this.maxQueueBytes = b.maxQueueBytes;
        this.closeTimeout = b.closeTimeout;
        this.playback = b.playback;
        this.deleteAfter = b.deleteAfter;
    }

    /**
     * Starts a configuration with the defaults: nothing is recorded until a rule, an attribute
     * or a start says so.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the recordings' root.
     *
     * @return an absolute, normalised path
     */
    public Path root() {
        return root;
    }

    /**
     * Returns the zone of the templates' date fields.
     *
     * @return the zone
     */
    public ZoneId zone() {
        return zone;
    }

    /**
     * Returns the spec for the attribute and for starts without one.
     *
     * @return the spec
     */
    public RecordSpec defaultSpec() {
        return defaultSpec;
    }

    /**
     * Returns the listener.
     *
     * @return the listener
     */
    public RecordListener listener() {
        return listener;
    }

    /**
     * Returns the number of writer threads.
     *
     * @return the threads
     */
    public int writerThreads() {
        return writerThreads;
    }

    /**
     * Returns the bytes one recording may have waiting to be written.
     *
     * @return the limit
     */
    public long maxQueueBytes() {
        return maxQueueBytes;
    }

    /**
     * Returns how long closing waits for files to be finalised.
     *
     * @return the timeout
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Tells whether recordings are listed and served on the HTTP port.
     *
     * @return whether playback routes are mounted
     */
    public boolean playback() {
        return playback;
    }

    /**
     * Returns how long finished recordings are kept.
     *
     * @return the age, by a file's end, past which it is deleted; zero for never
     */
    public Duration deleteAfter() {
        return deleteAfter;
    }

    /**
     * Decides whether a published stream is recorded, and how: the attribute first, then the rules.
     *
     * @param event the publish event
     * @return the spec, or empty when the stream is not recorded
     */
    public Optional<RecordSpec> select(StreamEvent event) {
        String attribute = event.attributes().get(ATTRIBUTE);
        if (attribute != null) {
            switch (attribute.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on", "1" -> {
                    return Optional.of(defaultSpec);
                }
                case "false", "no", "off", "0" -> {
                    return Optional.empty();
                }
                case "mp4" -> {
                    return Optional.of(as(RecordFormat.MP4));
                }
                case "flv" -> {
                    return Optional.of(as(RecordFormat.FLV));
                }
                case "hls" -> {
                    return Optional.of(as(RecordFormat.HLS));
                }
                default -> { }
            }
        }
        for (Rule rule : rules) {
            if (rule.which.test(event)) {
                return Optional.of(rule.spec);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the default spec's settings in another format.
     *
     * @param format the format
     * @return the spec
     */
    public RecordSpec as(RecordFormat format) {
        if (format == defaultSpec.format()) {
            return defaultSpec;
        }
        RecordSpec.Builder b = RecordSpec.builder(format).rotateAfter(defaultSpec.rotateAfter())
                .rotateAtBytes(defaultSpec.rotateAtBytes()).fragmentDuration(defaultSpec.fragmentDuration())
                .segmentDuration(defaultSpec.segmentDuration());
        if (!defaultSpec.template().equals(RecordSpec.DEFAULT_TEMPLATE)) {
            b.template(defaultSpec.template());
        }
        return b.build();
    }

    private record Rule(Predicate<StreamEvent> which, RecordSpec spec) {
    }

    /** Builds a {@link RecordConfig}; each setter checks its argument at once. */
    public static final class Builder {
        private Path root = Path.of("recordings");
        private ZoneId zone = ZoneOffset.UTC;
        private RecordSpec defaultSpec = RecordSpec.mp4();
        private final List<Rule> rules = new ArrayList<>();
        private RecordListener listener = new RecordListener();
        private int writerThreads = DEFAULT_WRITER_THREADS;
        private long maxQueueBytes = DEFAULT_MAX_QUEUE_BYTES;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private boolean playback = true;
        private Duration deleteAfter = Duration.ZERO;

        private Builder() {
        }

        /**
         * Sets the recordings' root; it is created when the first file is.
         *
         * @param root the directory
         * @return this builder
         */
        public Builder root(Path root) {
            this.root = Objects.requireNonNull(root, "root");
            return this;
        }

        /**
         * Sets the zone of the templates' date fields.
         *
         * @param zone the zone
         * @return this builder
         */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * Sets the spec used for the attribute and for starts that name none.
         *
         * @param spec the spec
         * @return this builder
         */
        public Builder defaultSpec(RecordSpec spec) {
            this.defaultSpec = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /**
         * Records every published stream whose publish event the predicate accepts; rules are
         * tried in the order added.
         *
         * @param which the predicate, called on an event loop: fast, never blocking
         * @param spec how to record those streams
         * @return this builder
         */
        public Builder record(Predicate<StreamEvent> which, RecordSpec spec) {
            rules.add(new Rule(Objects.requireNonNull(which, "which"), Objects.requireNonNull(spec, "spec")));
            return this;
        }

        /**
         * Records every stream of an app.
         *
         * @param app the app, such as {@code "rec"}
         * @param spec how to record its streams
         * @return this builder
         */
        public Builder recordApp(String app, RecordSpec spec) {
            Objects.requireNonNull(app, "app");
            return record(e -> e.key().app().equals(app), spec);
        }

        /**
         * Sets the listener of started, finished and failed files.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(RecordListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the number of threads writing files.
         *
         * @param threads 1 to 64
         * @return this builder
         */
        public Builder writerThreads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("writerThreads " + threads + " is not between 1 and 64");
            }
            this.writerThreads = threads;
            return this;
        }

        /**
         * Sets the bytes one recording may have waiting to be written.
         *
         * @param bytes at least 1 MiB
         * @return this builder
         */
        public Builder maxQueueBytes(long bytes) {
            if (bytes < (1 << 20)) {
                throw new IllegalArgumentException("maxQueueBytes " + bytes + " is below 1 MiB");
            }
            this.maxQueueBytes = bytes;
            return this;
        }

        /**
         * Sets how long closing the server waits for open files to be finalised.
         *
         * @param timeout from 1 s to 10 min
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("closeTimeout " + timeout + " is not between 1 s and 10 min");
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Turns the listing and serving of recordings on the HTTP port on or off.
         *
         * @param on whether to mount {@code /api/recordings} and {@code /recordings/}
         * @return this builder
         */
        public Builder playback(boolean on) {
            this.playback = on;
            return this;
        }

        /**
         * Deletes finished recordings once they are this old, by their end: the files (an HLS
         * recording's segments with its playlist), their entries in the index, and directories
         * left empty below the root. Checked every minute; files this recorder does not know
         * (not in its index) are never touched.
         *
         * @param age at least one minute, or {@link Duration#ZERO} to keep every recording (the default)
         * @return this builder
         */
        public Builder deleteAfter(Duration age) {
            Objects.requireNonNull(age, "age");
            if (!age.isZero() && age.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("deleteAfter " + age + " is below a minute; Duration.ZERO keeps everything");
            }
            this.deleteAfter = age;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public RecordConfig build() {
            return new RecordConfig(this);
        }
    }
}
