package io.streamkit.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.record.internal.RecordService;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.FlvFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deleteAfter}: a finished recording is deleted once it ended that long ago, with the
 * directories it leaves empty and its index entry, so a server started again lists nothing; a
 * younger one stays.
 */
class RecordRetentionTest {
    @TempDir
    Path root;

    @Test
    void recordingsOlderThanDeleteAfterAreDeletedWithTheirEmptyDirectories() throws Exception {
        List<RecordedFile> finished = new CopyOnWriteArrayList<>();
        try (MediaServer server = start(finished)) {
            Publisher publisher = server.streams().publish(StreamKey.of("rec", "old"));
            try (FlvFixture fixture = FlvFixture.load(FlvFixture.H264_AAC, publisher)) {
                for (MediaFrame f : fixture.frames()) {
                    publisher.write(f.track(), f.dts(), f.pts(), f.keyframe(), f.payload().retainedDuplicate());
                }
            }
            publisher.close();
            Await.until(Duration.ofSeconds(10), () -> finished.size() == 1, () -> "a file finished");
            RecordedFile file = finished.get(0);
            assertTrue(Files.exists(file.path()));
            RecordService recorder = (RecordService) server.recorder().orElseThrow();
            assertEquals(0, recorder.deleteExpired(Instant.now()), "younger than deleteAfter: kept");
            assertEquals(1, recorder.deleteExpired(Instant.now().plus(Duration.ofMinutes(2))));
            assertFalse(Files.exists(file.path()));
            assertFalse(Files.exists(root.resolve("rec")), "the stream's and day's directories, left empty, are gone");
            assertEquals(List.of(), recorder.recordings());
        }
        try (MediaServer again = start(new CopyOnWriteArrayList<>())) {
            assertEquals(List.of(), again.recorder().orElseThrow().recordings(), "the index remembers the deletion");
        }
    }

    private MediaServer start(List<RecordedFile> finished) {
        return MediaServer.builder().ioThreads(1).record(r -> r.root(root).deleteAfter(Duration.ofMinutes(1))
                .recordApp("rec", RecordSpec.mp4()).listener(new RecordListener() {
                    @Override
                    public void onFinished(RecordedFile file) {
                        finished.add(file);
                    }
                })).start();
    }
}
