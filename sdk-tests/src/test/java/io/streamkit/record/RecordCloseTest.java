package io.streamkit.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.format.fmp4.Mp4Reader;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.FlvFixture;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code close()} finalises every open file before it returns, and the finished callbacks have
 * run by then: an MP4 being recorded when the server stops is a progressive file (its
 * {@code moov} read back by {@link Mp4Reader}) holding every frame its callback counts, with no
 * fragmented file left; an HLS recording's playlist ends in {@code EXT-X-ENDLIST}.
 */
class RecordCloseTest {
    @TempDir
    Path root;

    @Test
    void closingTheServerFinalisesTheOpenMp4AndTheCallbackHasRunWhenCloseReturns() throws Exception {
        List<RecordedFile> finished = new CopyOnWriteArrayList<>();
        MediaServer server = server(RecordSpec.mp4(), finished);
        StreamKey key = StreamKey.of("rec", "closing");
        Publisher publisher = server.streams().publish(key);
        try (FlvFixture fixture = FlvFixture.load(FlvFixture.H264_AAC, publisher)) {
            publish(publisher, fixture);
            Await.until(Duration.ofSeconds(10), () -> server.recorder().orElseThrow().recording(key)
                    .flatMap(Recording::current).isPresent(), () -> "a file started");
            server.close();
            assertEquals(1, finished.size(), "the finished callback ran before close() returned: " + finished);
            RecordedFile file = finished.get(0);
            assertEquals(RecordEnd.SERVER_STOP, file.end().orElseThrow());
            assertTrue(file.videoFrames() > 0 && file.audioFrames() > 0, file.toString());
            assertEquals(List.of("ftyp", "moov", "mdat"), boxes(file.path()));
            Mp4Reader reader = moov(file.path());
            assertEquals(file.videoFrames(), reader.samples(0), "video samples in the moov");
            assertEquals(file.audioFrames(), reader.samples(1), "audio samples in the moov");
            assertEquals(Files.size(file.path()), file.bytes());
            try (var listing = Files.list(file.path().getParent())) {
                assertEquals(List.of(file.path().getFileName().toString()),
                        listing.map(p -> p.getFileName().toString()).toList(), "no .fmp4 or .part left");
            }
        } finally {
            publisher.close();
            server.close();
        }
    }

    @Test
    void closingTheServerEndsAnHlsRecordingsPlaylist() throws Exception {
        List<RecordedFile> finished = new CopyOnWriteArrayList<>();
        MediaServer server = server(RecordSpec.hls(), finished);
        StreamKey key = StreamKey.of("rec", "closing-hls");
        Publisher publisher = server.streams().publish(key);
        try (FlvFixture fixture = FlvFixture.load(FlvFixture.H264_AAC, publisher)) {
            publish(publisher, fixture);
            Await.until(Duration.ofSeconds(10), () -> server.recorder().orElseThrow().recording(key)
                    .flatMap(Recording::current).isPresent(), () -> "a file started");
            server.close();
            assertEquals(1, finished.size(), finished.toString());
            String playlist = Files.readString(finished.get(0).path());
            assertTrue(playlist.contains("#EXT-X-PLAYLIST-TYPE:VOD") && playlist.endsWith("#EXT-X-ENDLIST\n"), playlist);
            assertFalse(playlist.contains("EVENT"), playlist);
        } finally {
            publisher.close();
            server.close();
        }
    }

    private MediaServer server(RecordSpec spec, List<RecordedFile> finished) {
        return MediaServer.builder().ioThreads(1).record(r -> r.root(root).recordApp("rec", spec).listener(new RecordListener() {
            @Override
            public void onFinished(RecordedFile file) {
                finished.add(file);
            }
        })).start();
    }

    /** The fixture three times over (6 s), each pass 2 s after the one before. */
    private static void publish(Publisher publisher, FlvFixture fixture) {
        for (int pass = 0; pass < 3; pass++) {
            for (MediaFrame f : fixture.frames()) {
                long shift = pass * 2_000_000L;
                publisher.write(f.track(), f.dts() + shift, f.pts() + shift, f.keyframe(), f.payload().retainedDuplicate());
            }
        }
    }

    private static List<String> boxes(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        List<String> types = new java.util.ArrayList<>();
        for (int at = 0; at + 8 <= bytes.length; ) {
            long size = buf.getUnsignedInt(at);
            types.add(buf.toString(at + 4, 4, StandardCharsets.ISO_8859_1));
            assertTrue(size >= 8 && at + size <= bytes.length, "box at " + at + " of " + size + " bytes");
            at += (int) size;
        }
        return types;
    }

    private static Mp4Reader moov(Path file) throws Exception {
        try (FileChannel in = FileChannel.open(file)) {
            ByteBuffer head = ByteBuffer.allocate(8);
            in.read(head, 0);
            long ftyp = Integer.toUnsignedLong(head.getInt(0));
            head.clear();
            in.read(head, ftyp);
            int moov = head.getInt(0);
            ByteBuffer box = ByteBuffer.allocate(moov);
            in.read(box, ftyp);
            return Mp4Reader.read(Unpooled.wrappedBuffer(box.flip()));
        }
    }
}
