package io.streamkit.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.TestMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording that cannot keep up stops with a callback and nothing else does: more bytes
 * waiting to be written than {@code maxQueueBytes} (here a burst of 4 MiB published at once
 * against a 1 MiB limit, faster than a writer's first drain) fails the recording with
 * {@link RecorderOverloadException}, its open file is finished as {@link RecordEnd#FAILURE},
 * every queued buffer is released (the leak detector is at paranoid), and the stream stays live
 * for its publisher.
 */
class RecordOverloadTest {
    @TempDir
    Path root;

    @Test
    void aRecordingThatFallsBehindStopsWithACallbackAndTheStreamGoesOn() throws Exception {
        List<Object> events = new CopyOnWriteArrayList<>();
        try (MediaServer server = MediaServer.builder().ioThreads(1).record(r -> r.root(root).maxQueueBytes(1 << 20)
                .recordApp("rec", RecordSpec.mp4()).listener(new RecordListener() {
                    @Override
                    public void onFinished(RecordedFile file) {
                        events.add(file);
                    }

                    @Override
                    public void onFailed(RecordFailure failure) {
                        events.add(failure);
                    }
                })).start()) {
            StreamKey key = StreamKey.of("rec", "burst");
            Publisher publisher = server.streams().publish(key);
            Track video = publisher.addTrack(TestMedia.h264());
            for (int i = 0; i < 64; i++) {
                publisher.write(video, i * 40_000L, i * 40_000L, i % 25 == 0, Unpooled.directBuffer(64 << 10).writeZero(64 << 10));
            }
            Await.until(Duration.ofSeconds(10), () -> events.stream().anyMatch(e -> e instanceof RecordFailure),
                    () -> "onFailed: " + events);
            RecordFailure failure = (RecordFailure) events.stream().filter(e -> e instanceof RecordFailure).findFirst().orElseThrow();
            assertInstanceOf(RecorderOverloadException.class, failure.cause(), failure.toString());
            assertTrue(failure.cause().getMessage().contains("maxQueueBytes"), failure.cause().getMessage());
            List<Object> finished = events.stream().filter(e -> e instanceof RecordedFile).toList();
            assertEquals(1, finished.size(), "the open file finished: " + events);
            assertEquals(RecordEnd.FAILURE, ((RecordedFile) finished.get(0)).end().orElseThrow());
            assertTrue(events.indexOf(finished.get(0)) < events.indexOf(failure), "onFinished before onFailed: " + events);
            Await.until(Duration.ofSeconds(5), () -> server.recorder().orElseThrow().recording(key).isEmpty(),
                    () -> "the recording left");
            assertTrue(publisher.isOpen(), "the publisher goes on");
            assertTrue(publisher.write(video, 64 * 40_000L, 64 * 40_000L, false, Unpooled.directBuffer(16).writeZero(16)),
                    "and its writes are taken");
            assertTrue(server.streams().stream(key).orElseThrow().live());
            publisher.close();
        }
    }
}
