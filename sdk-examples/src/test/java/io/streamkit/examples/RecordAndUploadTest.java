package io.streamkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.record.RecordEnd;
import io.streamkit.record.RecordedFile;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Codec;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example records a stream of app rec published from application code and hands the finished MP4 to its uploader. */
class RecordAndUploadTest {
    @Test
    void aFinishedRecordingReachesTheUploader(@TempDir Path root) throws Exception {
        BlockingQueue<RecordedFile> uploaded = new LinkedBlockingQueue<>();
        try (MediaServer server = RecordAndUpload.start(root, uploaded::add, 0, 0)) {
            Publisher publisher = server.streams().publish(StreamKey.of("rec", "app-made"));
            Track video = publisher.addTrack(TrackFormat.of(Codec.H264, Unpooled.wrappedBuffer(CustomSourceAndSink.AVC_CONFIG)));
            for (int i = 0; i < 100; i++) {
                publisher.write(video, i * 40_000L, i * 40_000L, i % 25 == 0, ByteBufAllocator.DEFAULT.buffer(500).writeZero(500));
            }
            publisher.close();
            RecordedFile file = uploaded.poll(10, TimeUnit.SECONDS);
            assertNotNull(file, "a file uploaded within 10 s");
            check(file, root);
        }
        assertEquals(List.of(), List.copyOf(uploaded), "one file only");
    }

    private static void check(RecordedFile file, Path root) throws Exception {
        assertEquals(100, file.videoFrames());
        assertEquals(RecordEnd.STREAM_END, file.end().orElseThrow());
        assertTrue(Files.size(file.path()) > 100 * 500, file.toString());
        assertTrue(file.path().toString().endsWith(".mp4") && file.path().startsWith(root), file.toString());
        assertFalse(Files.exists(file.path().resolveSibling(file.path().getFileName().toString().replace(".mp4", ".fmp4"))));
    }
}
