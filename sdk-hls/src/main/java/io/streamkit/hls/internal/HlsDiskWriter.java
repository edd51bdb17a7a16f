package io.streamkit.hls.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.streamkit.stream.StreamKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors playlists and segments to a directory ({@code dir/app/name.m3u8},
 * {@code dir/app/name/N.ts}) on one thread of its own, never on an event loop. Segment
 * files are written before the playlist that names them, the playlist is replaced
 * atomically, and files of segments that left the rendition are deleted.
 */
final class HlsDiskWriter {
    private static final Logger log = LoggerFactory.getLogger(HlsDiskWriter.class);

    private final Path root;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "streamkit-hls-disk");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> written = new HashSet<>();   // confined to the io thread

    HlsDiskWriter(Path root) {
        this.root = root;
    }

    /** Queues the current state of a stream; called on the segmenter's loop. */
    void write(StreamKey key, HlsStream.View view) {
        List<long[]> numbers = new ArrayList<>();
        List<ByteBuf> data = new ArrayList<>();
        for (HlsSegment s : view.segments()) {
            try {
                data.add(s.data().retainedDuplicate());
                numbers.add(new long[] {s.sequence()});
            } catch (IllegalReferenceCountException gone) {
                // evicted meanwhile
            }
        }
        String playlist = HlsStream.playlist(view, false, s -> key.name() + "/" + s.sequence() + ".ts");
        try {
            io.execute(() -> flush(key, numbers, data, playlist));
        } catch (RuntimeException e) {
            data.forEach(ByteBuf::release);
        }
    }

    private void flush(StreamKey key, List<long[]> numbers, List<ByteBuf> data, String playlist) {
        try {
            Path dir = root.resolve(key.app()).resolve(key.name());
            Files.createDirectories(dir);
            Set<String> keep = new HashSet<>();
            for (int i = 0; i < data.size(); i++) {
                String file = numbers.get(i)[0] + ".ts";
                keep.add(file);
                String id = key.path() + "/" + file;
                if (written.add(id)) {
                    try (OutputStream out = Files.newOutputStream(dir.resolve(file))) {
                        ByteBuf b = data.get(i);
                        b.getBytes(b.readerIndex(), out, b.readableBytes());
                    }
                }
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".ts") && !keep.contains(name)) {
                        Files.deleteIfExists(f);
                        written.remove(key.path() + "/" + name);
                    }
                }
            }
            Path tmp = root.resolve(key.app()).resolve(key.name() + ".m3u8.tmp");
            Files.writeString(tmp, playlist, StandardCharsets.UTF_8);
            Files.move(tmp, root.resolve(key.app()).resolve(key.name() + ".m3u8"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("hls: writing {} under {} failed: {}", key, root, e.toString());
        } finally {
            data.forEach(ByteBuf::release);
        }
    }

    void close() {
        io.shutdown();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
