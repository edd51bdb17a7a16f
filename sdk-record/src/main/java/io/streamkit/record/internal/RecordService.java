package io.streamkit.record.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.engine.StreamEngine;
import io.streamkit.format.fmp4.Fmp4Writer;
import io.streamkit.hook.ServerListener;
import io.streamkit.hook.RecordEvent;
import io.streamkit.hook.StreamEvent;
import io.streamkit.record.PathTemplate;
import io.streamkit.record.RecordConfig;
import io.streamkit.record.RecordEnd;
import io.streamkit.record.RecordFailure;
import io.streamkit.record.RecordFormat;
import io.streamkit.record.RecordSpec;
import io.streamkit.record.RecordedFile;
import io.streamkit.record.Recorder;
import io.streamkit.record.Recording;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Track;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder of one server: which streams are recorded, their recordings, the writer
 * threads, the callback thread, the index, and recovery at start.
 */
public final class RecordService implements Recorder {
    private static final Logger log = LoggerFactory.getLogger(RecordService.class);
    /** Names tried when a file of the same name exists: {@code name-1} to {@code name-999}. */
    private static final int MAX_NAME_TRIES = 1000;

    private final RecordConfig config;
    private final StreamEngine engine;
    private final ByteBufAllocator alloc;
    private final ScheduledExecutorService writers;
    private final ExecutorService events;
    private final RecordingIndex index;
    private final Map<StreamKey, StreamRecording> active = new ConcurrentHashMap<>();
    private final Map<StreamKey, RecordSpec> wanted = new ConcurrentHashMap<>();
    private final List<RecordedFile> toRecover;
    private volatile boolean closed;
    /** Finished files by format, their bytes, and failed recordings: the recorder's numbers in {@code /metrics}. */
    private final java.util.EnumMap<io.streamkit.record.RecordFormat, java.util.concurrent.atomic.LongAdder> filesByFormat =
            new java.util.EnumMap<>(io.streamkit.record.RecordFormat.class);
    private final java.util.concurrent.atomic.LongAdder bytesFinished = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();

    {
        for (io.streamkit.record.RecordFormat f : io.streamkit.record.RecordFormat.values()) {
            filesByFormat.put(f, new java.util.concurrent.atomic.LongAdder());
        }
    }

    /**
     * Writes the recorder's numbers for {@code /metrics}: recordings now, finished files by format,
     * their bytes, failed recordings.
     *
     * @param out where they go
     */
    public void metrics(io.streamkit.server.spi.MetricsWriter out) {
        out.family("streamkit_recordings_active", "gauge", "Streams being recorded now.");
        out.sample("streamkit_recordings_active", active.size());
        out.family("streamkit_record_files_total", "counter", "Recorded files finished, by format.");
        filesByFormat.forEach((format, n) -> out.sample("streamkit_record_files_total", n.sum(),
                "format", format.name().toLowerCase(java.util.Locale.ROOT)));
        out.family("streamkit_record_file_bytes_total", "counter", "Bytes of the recorded files finished.");
        out.sample("streamkit_record_file_bytes_total", bytesFinished.sum());
        out.family("streamkit_record_failures_total", "counter",
                "Recordings stopped by a failure: a disk error or a queue past maxQueueBytes.");
        out.sample("streamkit_record_failures_total", failures.sum());
    }

    /** At most this many streams' last publish are kept for record events: far more than are recorded at once. */
    private static final int MAX_KEPT_PUBLISHES = 10_000;
    /** Where the files' starts and ends are announced to every listener (HTTP hooks among them). */
    private volatile ServerListener announcer = new ServerListener();
    /** The last publish of each stream, whose connection and query the record events carry. */
    private final Map<StreamKey, StreamEvent> publishes = new ConcurrentHashMap<>();

    /**
     * Creates the recorder and reads its index.
     *
     * @param config the settings
     * @param engine the streams
     * @param alloc where file buffers come from
     */
    public RecordService(RecordConfig config, StreamEngine engine, ByteBufAllocator alloc) {
        this.config = config;
        this.engine = engine;
        this.alloc = alloc;
        this.writers = Executors.newScheduledThreadPool(config.writerThreads(), new DefaultThreadFactory("streamkit-record", true));
        this.events = Executors.newSingleThreadExecutor(new DefaultThreadFactory("streamkit-record-events", true));
        this.index = new RecordingIndex(config.root());
        index.load(config.root());
        this.toRecover = index.unfinished();
        if (!config.deleteAfter().isZero()) {
            writers.scheduleWithFixedDelay(() -> deleteExpired(Instant.now()), 1, 1, TimeUnit.MINUTES);
        }
    }

    /**
     * Sets where the files' starts and ends are announced as {@link RecordEvent}s, besides the
     * recorder's own listener: the server's listeners, and through them HTTP hooks.
     *
     * @param listeners the server's listeners as one
     */
    public void announceTo(ServerListener listeners) {
        this.announcer = java.util.Objects.requireNonNull(listeners, "listeners");
    }

    /**
     * Deletes the finished recordings that ended more than {@code deleteAfter} before a time: the
     * file (an HLS playlist with the segments it lists), its index entry, and the directories it
     * leaves empty below the root. A file being served is still read to its end (the open
     * channel keeps it).
     *
     * @param now the time to count from
     * @return how many recordings were deleted
     */
    public int deleteExpired(Instant now) {
        if (config.deleteAfter().isZero()) {
            return 0;
        }
        Instant before = now.minus(config.deleteAfter());
        int deleted = 0;
        for (RecordedFile f : index.finished()) {
            if (!f.start().plus(f.duration()).isBefore(before)) {
                continue;
            }
            try {
                if (f.format() == RecordFormat.HLS && Files.exists(f.path())) {
                    for (String line : Files.readAllLines(f.path())) {
                        if (!line.isEmpty() && !line.startsWith("#") && line.indexOf('/') < 0) {
                            Files.deleteIfExists(f.path().resolveSibling(line));
                        }
                    }
                }
                Files.deleteIfExists(f.path());
                index.deleted(f.name());
                deleted++;
                for (Path dir = f.path().getParent(); dir != null && dir.startsWith(config.root()) && !dir.equals(config.root());
                     dir = dir.getParent()) {
                    try (var entries = Files.list(dir)) {
                        if (entries.findAny().isPresent()) {
                            break;
                        }
                    }
                    Files.delete(dir);
                }
            } catch (IOException e) {
                log.warn("record {}: cannot delete {}: {}", f.stream(), f.path(), e.toString());
            }
        }
        if (deleted > 0) {
            log.info("record: deleted {} recordings that ended before {}", deleted, before);
        }
        return deleted;
    }

    RecordConfig config() {
        return config;
    }

    ScheduledExecutorService writers() {
        return writers;
    }

    ByteBufAllocator allocator() {
        return alloc;
    }

    /**
     * Returns the listener that starts recordings when streams are published.
     *
     * @return the listener, to add to the server's events
     */
    public ServerListener listener() {
        return new ServerListener() {
            @Override
            public void onPublish(StreamEvent event) {
                if (closed) {
                    return;
                }
                if (publishes.size() >= MAX_KEPT_PUBLISHES) {
                    publishes.clear();   // a bound: events then carry no connection until the next publishes
                }
                publishes.put(event.key(), event);
                RecordSpec spec = wanted.get(event.key());
                Optional<RecordSpec> chosen;
                try {
                    chosen = spec != null ? Optional.of(spec) : config.select(event);
                } catch (RuntimeException e) {
                    log.warn("record {}: the application's rule threw; not recorded", event.key(), e);
                    return;
                }
                chosen.ifPresent(s -> ensure(event.key(), s));
            }

            @Override
            public void onUnpublish(StreamEvent event) {
                if (!active.containsKey(event.key())) {
                    publishes.remove(event.key(), event);
                }
            }
        };
    }

    /** Subscribes a recording to a stream unless one runs; a running one takes the spec from its next file. */
    private synchronized StreamRecording ensure(StreamKey key, RecordSpec spec) {
        StreamRecording existing = active.get(key);
        if (existing != null) {
            existing.respec(spec);
            return existing;
        }
        StreamRecording recording = new StreamRecording(this, key, spec);
        active.put(key, recording);
        // Inline: onFrame only retains the frame and queues it for a writer thread, so it runs inside
        // the publisher's write and the engine hands frames to no event loop for it.
        SubscribeOptions options = SubscribeOptions.defaults().protocol("record").executor(Runnable::run);
        engine.subscribe(key, recording, options).whenComplete((sub, error) -> {
            if (error != null) {
                log.warn("record {}: could not subscribe: {}", key, error.toString());
                active.remove(key, recording);
                recording.done().complete(null);
            } else {
                recording.subscribed(sub);
            }
        });
        return recording;
    }

    /** Finished recordings leave the table; a stream still wanted is taken up again at its next publish. */
    void ended(StreamRecording recording) {
        active.remove(recording.key(), recording);
    }

    @Override
    public Recording start(StreamKey key, RecordSpec spec) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(spec, "spec");
        if (closed) {
            throw new IllegalStateException("the recorder is closed");
        }
        wanted.put(key, spec);
        Optional<StreamInfo> info = engine.stream(key);
        if (info.isPresent() && info.get().live()) {
            ensure(key, spec);
        }
        log.info("record {}: recording as {} until stopped", key, spec.format());
        return new Handle(key, spec);
    }

    @Override
    public boolean stop(StreamKey key) {
        boolean was = wanted.remove(key) != null;
        StreamRecording recording = active.get(key);
        if (recording != null) {
            recording.stop(RecordEnd.STOPPED);
            log.info("record {}: stopped", key);
        }
        return was || recording != null;
    }

    @Override
    public Optional<Recording> recording(StreamKey key) {
        return Optional.ofNullable(active.get(key));
    }

    @Override
    public List<Recording> active() {
        return List.copyOf(active.values());
    }

    @Override
    public List<RecordedFile> recordings() {
        List<RecordedFile> out = new ArrayList<>();
        for (RecordedFile f : index.finished()) {
            if (Files.exists(f.path())) {
                out.add(f);
            }
        }
        return out;
    }

    /** A finished file by its name under the root, if it is indexed and on disk. */
    Optional<RecordedFile> byName(String name) {
        RecordedFile f = index.byName(name);
        return f != null && Files.exists(f.path()) ? Optional.of(f) : Optional.empty();
    }

    /** Tells whether a file is still being recorded, so it is not served as a finished one. */
    boolean recording(Path path) {
        for (StreamRecording r : active.values()) {
            Optional<RecordedFile> c = r.current();
            if (c.isPresent() && c.get().path().equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** Where a new file of a stream goes: the template resolved, with -1, -2, ... when the name is taken. */
    Path pathFor(StreamKey key, RecordSpec spec, Instant start) throws IOException {
        Path path = PathTemplate.parse(spec.template()).resolve(config.root(), key,
                ZonedDateTime.ofInstant(start, config.zone()), spec.format());
        if (!taken(path)) {
            return path;
        }
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1; i < MAX_NAME_TRIES; i++) {
            Path next = path.resolveSibling(base + "-" + i + ext);
            if (!taken(next)) {
                return next;
            }
        }
        throw new IOException("no free name beside " + path + " after " + MAX_NAME_TRIES + " tries");
    }

    private static boolean taken(Path path) {
        return Files.exists(path) || Files.exists(Mp4File.workingPath(path));
    }

    /** The name of a file under the root: its relative path with {@code /} between segments. */
    String nameOf(Path path) {
        return config.root().relativize(path).toString().replace('\\', '/');
    }

    void started(RecordedFile file) throws IOException {
        index.started(file);
        log.info("record {}: started {}", file.stream(), file.path());
        callback(l -> l.onStarted(file), "onStarted");
        announce(file, false);
    }

    void finished(RecordedFile file, boolean indexed) {
        filesByFormat.get(file.format()).increment();
        bytesFinished.add(file.bytes());
        if (indexed) {
            try {
                index.finished(file);
            } catch (IOException e) {
                log.warn("record {}: cannot note {} in the index: {}", file.stream(), file.name(), e.toString());
            }
        }
        log.info("record {}: finished {} ({}, {} bytes, {} ms)", file.stream(), file.path(),
                file.end().orElseThrow(), file.bytes(), file.duration().toMillis());
        callback(l -> l.onFinished(file), "onFinished");
        announce(file, true);
    }

    void failed(RecordFailure failure) {
        failures.increment();
        callback(l -> l.onFailed(failure), "onFailed");
    }

    /** Tells the server's listeners of a file, on the callback thread after the recorder's own listener. */
    private void announce(RecordedFile file, boolean finished) {
        StreamEvent publish = publishes.get(file.stream());
        RecordEvent.Builder event = RecordEvent.builder(file.stream(), file.path(), file.format().name().toLowerCase(java.util.Locale.ROOT),
                file.start()).root(config.root());
        if (publish != null) {
            event.publisher(publish.connectionId(), publish.query());
        }
        if (finished) {
            event.finished(file.duration(), file.bytes(), file.end().map(Enum::name).orElse(""));
        }
        RecordEvent built = event.build();
        ServerListener target = announcer;
        try {
            events.execute(() -> {
                if (finished) {
                    target.onRecordEnd(built);
                } else {
                    target.onRecordStart(built);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("record: {} announced after the recorder closed; dropped", file.name());
        }
    }

    private void callback(Consumer<io.streamkit.record.RecordListener> call, String what) {
        try {
            events.execute(() -> {
                try {
                    call.accept(config.listener());
                } catch (Throwable t) {
                    log.warn("record: the listener threw from {}; ignored", what, t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.warn("record: {} after the recorder closed; not called", what);
        }
    }

    /** Finalises, off the caller's thread, what a crash left: the index's starts without a finish. */
    public void recover() {
        if (toRecover.isEmpty()) {
            return;
        }
        writers.execute(() -> {
            for (RecordedFile f : toRecover) {
                try {
                    recover(f);
                } catch (IOException | RuntimeException e) {
                    log.warn("record {}: cannot recover {}: {}", f.stream(), f.path(), e.toString());
                }
            }
        });
    }

    private void recover(RecordedFile f) throws IOException {
        RecordedFile.Builder b = RecordedFile.builder(f.stream(), f.path(), f.name(), f.format(), f.start())
                .end(RecordEnd.RECOVERED);
        if (f.format() == RecordFormat.MP4) {
            Path working = Mp4File.workingPath(f.path());
            if (!Files.exists(working)) {
                if (!Files.exists(f.path())) {
                    index.forget(f.name());
                    return;
                }
                b.bytes(Files.size(f.path()));
            } else {
                Fmp4Writer writer = Mp4File.recover(working, f.path(), alloc);
                long video = 0;
                long audio = 0;
                List<io.streamkit.stream.Codec> codecs = new ArrayList<>();
                for (int i = 0; i < writer.tracks().size(); i++) {
                    Track t = writer.tracks().get(i);
                    codecs.add(t.codec());
                    if (t.type() == MediaType.VIDEO) {
                        video += writer.samples(i);
                    } else {
                        audio += writer.samples(i);
                    }
                }
                b.bytes(Files.size(f.path())).codecs(codecs).frames(video, audio)
                        .duration(Duration.ofNanos(writer.durationMicros() * 1000));
            }
        } else if (f.format() == RecordFormat.HLS) {
            if (!Files.exists(f.path())) {
                index.forget(f.name());
                return;
            }
            b.bytes(HlsFile.recover(f.path()));
        } else {
            if (!Files.exists(f.path())) {
                index.forget(f.name());
                return;
            }
            b.bytes(Files.size(f.path()));
        }
        finished(b.build(), true);
    }

    /**
     * Stops every recording, finalising its open file, and waits for the files and the
     * callbacks, at most {@code closeTimeout}.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (StreamRecording r : active.values()) {
            r.stop(RecordEnd.SERVER_STOP);
            all.add(r.done());
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("record: {} recordings were still finishing after {}", active.size(), config.closeTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("record: a recording failed while closing", e.getCause());
        }
        writers.shutdown();
        events.shutdown();
        try {
            writers.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            events.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What {@link #start} returns: the stream's recording whenever it runs. */
    private final class Handle implements Recording {
        private final StreamKey key;
        private final RecordSpec spec;

        Handle(StreamKey key, RecordSpec spec) {
            this.key = key;
            this.spec = spec;
        }

        @Override
        public StreamKey key() {
            return key;
        }

        @Override
        public RecordSpec spec() {
            return spec;
        }

        @Override
        public Optional<RecordedFile> current() {
            StreamRecording r = active.get(key);
            return r == null ? Optional.empty() : r.current();
        }

        @Override
        public long filesFinished() {
            StreamRecording r = active.get(key);
            return r == null ? 0 : r.filesFinished();
        }

        @Override
        public void stop() {
            RecordService.this.stop(key);
        }
    }
}
