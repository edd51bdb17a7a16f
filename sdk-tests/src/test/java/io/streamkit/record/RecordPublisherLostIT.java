package io.streamkit.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publisher killed with SIGKILL (its connection drops without {@code deleteStream}) ends its
 * file as {@link RecordEnd#PUBLISHER_LOST}, at once rather than after the reconnect grace; the
 * file is finalised and plays: a progressive MP4 of the frames received, as ffprobe counts them.
 * A publisher that stops cleanly is {@link RecordEnd#STREAM_END} ({@code RecordFilesIT}).
 */
class RecordPublisherLostIT {
    @TempDir
    Path dir;

    @Test
    void aPublisherKilledMidFileEndsItAsPublisherLost() throws Exception {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("ffprobe");
        Path source = RecordTestSupport.source(dir.resolve("src.flv"), 30);
        List<RecordedFile> finished = new CopyOnWriteArrayList<>();
        try (MediaServer server = MediaServer.builder().ioThreads(2).rtmp(0)
                .record(r -> r.root(dir.resolve("rec")).recordApp("rec", RecordSpec.mp4()).listener(new RecordListener() {
                    @Override
                    public void onFinished(RecordedFile file) {
                        finished.add(file);
                    }
                })).start()) {
            StreamKey key = StreamKey.of("rec", "lost");
            Process publisher = new ProcessBuilder("ffmpeg", "-v", "error", "-re", "-i", source.toString(), "-c", "copy",
                    "-f", "flv", "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/" + key.path())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("publisher.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                Await.until(Duration.ofSeconds(20), () -> server.recorder().orElseThrow().recording(key)
                        .flatMap(Recording::current).isPresent(), () -> "a file started");
                // about four seconds in, the encoder dies: no FCUnpublish, no deleteStream
                Await.until(Duration.ofSeconds(15), () -> server.streams().stream(key)
                        .map(s -> s.tracks().get(0).stats().frames() >= 100).orElse(false), () -> "100 video frames in");
            } finally {
                publisher.destroyForcibly().waitFor();
            }
            long killed = System.nanoTime();
            Await.until(Duration.ofSeconds(5), () -> finished.size() == 1, () -> "the file finished: " + finished);
            assertTrue(System.nanoTime() - killed < 5_000_000_000L, "within the 10 s reconnect grace");
            RecordedFile file = finished.get(0);
            assertEquals(RecordEnd.PUBLISHER_LOST, file.end().orElseThrow(), file.toString());
            assertEquals(List.of("ftyp", "moov", "mdat"), RecordTestSupport.boxTypes(file.path()));
            assertEquals(file.videoFrames(), RecordTestSupport.frames(file.path(), "v:0"), file.toString());
            assertEquals(file.audioFrames(), RecordTestSupport.frames(file.path(), "a:0"), file.toString());
            assertTrue(file.videoFrames() >= 100, file.toString());
            assertTrue(Files.size(file.path()) == file.bytes(), file.toString());
        }
    }
}
