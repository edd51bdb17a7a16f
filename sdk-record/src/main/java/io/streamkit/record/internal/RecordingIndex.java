package io.streamkit.record.internal;

import io.streamkit.record.RecordEnd;
import io.streamkit.record.RecordFormat;
import io.streamkit.record.RecordedFile;
import io.streamkit.stream.Codec;
import io.streamkit.stream.StreamKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recordings under a root, kept across restarts in {@value #FILE_NAME}: one tab-separated
 * line when a file starts ({@code S name stream format startMillis}) and one when it finishes
 * ({@code F name stream format startMillis durationMicros bytes firstTs lastTs codecs video audio end}),
 * and one when a finished file is deleted for its age ({@code D name}).
 * A start without its finish is a file a crash left. Lines that do not parse are skipped:
 * the index is ours, but a damaged line must not stop a server from starting. Thread-safe.
 */
final class RecordingIndex {
    private static final Logger log = LoggerFactory.getLogger(RecordingIndex.class);
    /** The index's file name in the root; starts with a dot so listings of the tree skip it. */
    static final String FILE_NAME = ".streamkit-recordings.tsv";
    /** Largest index read at start: 64 MiB is about 400,000 files. */
    static final long MAX_INDEX_BYTES = 64L << 20;

    private final Path file;
    private final Map<String, RecordedFile> finished = new LinkedHashMap<>();
    private final Map<String, RecordedFile> started = new LinkedHashMap<>();

    RecordingIndex(Path root) {
        this.file = root.resolve(FILE_NAME);
    }

    /** Reads the index, if there is one. */
    synchronized void load(Path root) {
        try {
            if (!Files.exists(file)) {
                return;
            }
            if (Files.size(file) > MAX_INDEX_BYTES) {
                log.warn("record: {} has {} bytes, over {}; not read: recordings before are not listed",
                        file, Files.size(file), MAX_INDEX_BYTES);
                return;
            }
            int bad = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    parse(line, root);
                } catch (RuntimeException e) {
                    bad++;
                }
            }
            if (bad > 0) {
                log.warn("record: {} lines of {} did not parse; skipped", bad, file);
            }
        } catch (IOException e) {
            log.warn("record: cannot read {}: {}", file, e.toString());
        }
    }

    private void parse(String line, Path root) {
        String[] f = line.split("\t", -1);
        String name = f[1];
        if (f[0].equals("D") && f.length == 2) {
            finished.remove(name);
            return;
        }
        StreamKey key = StreamKey.parse(f[2]);
        RecordFormat format = RecordFormat.valueOf(f[3]);
        Instant start = Instant.ofEpochMilli(Long.parseLong(f[4]));
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("outside the root");
        }
        RecordedFile.Builder b = RecordedFile.builder(key, path, name, format, start);
        if (f[0].equals("S") && f.length == 5) {
            started.put(name, b.build());
            return;
        }
        if (!f[0].equals("F") || f.length != 13) {
            throw new IllegalArgumentException("not an index line");
        }
        List<Codec> codecs = new ArrayList<>();
        for (String c : f[9].split(",")) {
            if (!c.isEmpty()) {
                codecs.add(Codec.valueOf(c));
            }
        }
        b.duration(Duration.ofNanos(Long.parseLong(f[5]) * 1000)).bytes(Long.parseLong(f[6]))
                .timestamps(Long.parseLong(f[7]), Long.parseLong(f[8])).codecs(codecs)
                .frames(Long.parseLong(f[10]), Long.parseLong(f[11])).end(RecordEnd.valueOf(f[12]));
        started.remove(name);
        finished.remove(name);
        finished.put(name, b.build());
    }

    /** Notes a file's start. */
    synchronized void started(RecordedFile f) throws IOException {
        append("S\t" + f.name() + "\t" + f.stream().path() + "\t" + f.format() + "\t" + f.start().toEpochMilli() + "\n");
        started.put(f.name(), f);
    }

    /** Notes a file's finish. */
    synchronized void finished(RecordedFile f) throws IOException {
        StringBuilder codecs = new StringBuilder();
        for (Codec c : f.codecs()) {
            codecs.append(codecs.isEmpty() ? "" : ",").append(c.name());
        }
        append("F\t" + f.name() + "\t" + f.stream().path() + "\t" + f.format() + "\t" + f.start().toEpochMilli() + "\t"
                + f.duration().toNanos() / 1000 + "\t" + f.bytes() + "\t" + f.firstTimestamp() + "\t" + f.lastTimestamp()
                + "\t" + codecs + "\t" + f.videoFrames() + "\t" + f.audioFrames() + "\t" + f.end().orElseThrow() + "\n");
        started.remove(f.name());
        finished.put(f.name(), f);
    }

    /** Notes that a finished file was deleted. */
    synchronized void deleted(String name) throws IOException {
        append("D\t" + name + "\n");
        finished.remove(name);
    }

    /** Forgets a file that started but was never written (no frame reached it). */
    synchronized void forget(String name) {
        started.remove(name);
    }

    private void append(String line) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The files that started and never finished: what a crash left. */
    synchronized List<RecordedFile> unfinished() {
        return new ArrayList<>(started.values());
    }

    /** The finished files, oldest first. */
    synchronized List<RecordedFile> finished() {
        return new ArrayList<>(finished.values());
    }

    /** A finished file by its name. */
    synchronized RecordedFile byName(String name) {
        return finished.get(name);
    }
}
