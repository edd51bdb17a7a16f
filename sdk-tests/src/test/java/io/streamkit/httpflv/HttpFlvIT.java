package io.streamkit.httpflv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.format.flv.FlvHeader;
import io.streamkit.format.flv.FlvPacketKind;
import io.streamkit.format.flv.FlvReader;
import io.streamkit.format.flv.FlvTag;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.format.flv.FlvVideoTag;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ffmpeg publishes over RTMP; ffprobe, ffmpeg, an HTTP client and a WebSocket client play HTTP-FLV. */
class HttpFlvIT {
    @TempDir
    Path dir;

    private MediaServer server;
    private Process publisher;
    private final StreamKey key = StreamKey.of("live", "flv");

    @BeforeEach
    void start() throws IOException {
        ExternalTool.require("ffmpeg");
        server = MediaServer.builder().ioThreads(2).rtmp(0).http(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO))
                .start();
        // 25 fps with a keyframe every 50 frames: a 2 s GOP.
        publisher = new ProcessBuilder(List.of("ffmpeg", "-v", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "9", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/flv"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("publisher.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "stream live");
    }

    @AfterEach
    void stop() {
        if (publisher != null) {   // null when a missing tool skipped the test
            publisher.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
    }

    private String url(String scheme) {
        return scheme + "://127.0.0.1:" + server.httpPort().getAsInt() + "/live/flv.flv";
    }

    @Test
    void ffmpegRecordsHttpFlvThatDecodes() throws Exception {
        Path out = dir.resolve("played.flv");
        assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", url("http"), "-c", "copy", "-f", "flv",
                out.toString()));
        assertTrue(publisher.waitFor(30, TimeUnit.SECONDS));
        Map<String, String> v = probe(out, "v:0");
        assertEquals("h264", v.get("codec_name"));
        assertEquals("320", v.get("width"));
        assertEquals("240", v.get("height"));
        assertTrue(Integer.parseInt(v.get("nb_read_frames")) >= 100, "frames " + v.get("nb_read_frames"));
        assertEquals("aac", probe(out, "a:0").get("codec_name"));
        assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", out.toString(), "-f", "null", "-"));
    }

    @Test
    void ffprobeReadsTheLiveUrl() {
        String streams = ExternalTool.run(60, "ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", url("http"));
        assertTrue(streams.contains("h264,320,240"), streams);
        assertTrue(streams.contains("aac"), streams);
    }

    @Test
    void theFirstKeyframeArrivesWellWithinAGop() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url("http")))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("video/x-flv", response.headers().firstValue("content-type").orElse(""));
        assertEquals("*", response.headers().firstValue("access-control-allow-origin").orElse(""));
        try (InputStream in = response.body(); FlvReader reader = new FlvReader(PooledByteBufAllocator.DEFAULT, 8 << 20)) {
            long firstKeyframe = -1;
            byte[] buf = new byte[16384];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<String> seen = new ArrayList<>();
            while (firstKeyframe < 0 && System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                reader.feed(Unpooled.copiedBuffer(buf, 0, n));
                FlvTag tag;
                while ((tag = reader.next()) != null) {
                    try {
                        seen.add(tag.type() + "");
                        if (tag.type() == FlvTagHeader.TYPE_VIDEO) {
                            FlvVideoTag v = FlvVideoTag.parse(tag.body());
                            if (v.kind() == FlvPacketKind.CONFIG) {
                                assertEquals(320, AvcDecoderConfigurationRecord.parse(v.payload(tag.body()))
                                        .videoParameters().width());
                            } else if (v.kind() == FlvPacketKind.FRAME && firstKeyframe < 0) {
                                assertTrue(v.keyframe(), "the first video frame is a keyframe");
                                firstKeyframe = System.nanoTime() - start;
                            }
                        }
                    } finally {
                        tag.release();
                    }
                }
            }
            assertTrue(reader.header().audio() && reader.header().video(), "FLV header flags audio and video");
            assertEquals("18", seen.get(0), "onMetaData comes first");
            assertTrue(firstKeyframe > 0, "a keyframe arrived; tags seen " + seen);
            long millis = TimeUnit.NANOSECONDS.toMillis(firstKeyframe);
            System.out.println("HTTP-FLV time to first keyframe: " + millis + " ms (GOP 2000 ms)");
            assertTrue(millis < 2000, "time to first keyframe " + millis + " ms is below the 2 s GOP");
        }
    }

    @Test
    void aWebSocketClientReceivesValidFlv() throws Exception {
        // Three players: with two event loops at least two share one, and with write batching the
        // second of them writes the copy the first one's flush joined, the path that once sent a
        // window's tags as one message.
        List<Messages> players = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Messages m = new Messages();
            players.add(m);
            sockets.add(HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(url("ws")), m).get(10, TimeUnit.SECONDS));
        }
        for (Messages m : players) {
            m.enough.get(20, TimeUnit.SECONDS);
        }
        for (WebSocket ws : sockets) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        }
        for (Messages m : players) {
            List<byte[]> whole;
            synchronized (m) {
                whole = new ArrayList<>(m.messages);
            }
            assertEquals(FlvHeader.SIZE_WITH_FIRST_TAG_SIZE, whole.get(0).length, "the first message is the FLV header");
            for (int i = 1; i < whole.size(); i++) {
                byte[] message = whole.get(i);
                int dataSize = (message[1] & 0xFF) << 16 | (message[2] & 0xFF) << 8 | message[3] & 0xFF;
                assertEquals(FlvTagHeader.SIZE + dataSize + 4, message.length,
                        "message " + i + " of " + whole.size() + " is one whole tag");
            }
        }
        int video = 0;
        int keyframes = 0;
        try (FlvReader reader = new FlvReader(PooledByteBufAllocator.DEFAULT, 8 << 20)) {
            synchronized (players.get(0)) {
                for (byte[] m : players.get(0).messages) {
                    reader.feed(Unpooled.wrappedBuffer(m));
                }
            }
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                try {
                    if (tag.type() == FlvTagHeader.TYPE_VIDEO) {
                        FlvVideoTag v = FlvVideoTag.parse(tag.body());
                        if (v.kind() == FlvPacketKind.FRAME) {
                            video++;
                            keyframes += v.keyframe() ? 1 : 0;
                        }
                    }
                } finally {
                    tag.release();
                }
            }
            assertNotNull(reader.header());
        }
        assertTrue(video > 10, "video frames over WebSocket: " + video);
        assertTrue(keyframes >= 1, "keyframes: " + keyframes);
    }

    /** A WebSocket player that keeps each whole binary message (the client may hand one over in parts). */
    private static final class Messages implements WebSocket.Listener {
        final List<byte[]> messages = new ArrayList<>();
        final CompletableFuture<Void> enough = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
        private int bytes;

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            current.writeBytes(part);
            if (last) {
                synchronized (this) {
                    messages.add(current.toByteArray());
                }
                current.reset();
            }
            bytes += part.length;
            if (bytes > 150_000) {
                enough.complete(null);
            }
            webSocket.request(1);
            return null;
        }
    }

    /**
     * With write batching (the default) the players of a slot that queued the same frames
     * share one buffer per window; this plays 40 at once, so every slot of both loops holds
     * several, and checks that every player gets a whole FLV stream and that the last two,
     * recorded by ffmpeg, decode.
     */
    @Test
    void fortyPlayersOfOneStreamEachGetAStreamThatDecodes() throws Exception {
        int readers = 38;
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try {
            List<Future<Read>> reads = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                reads.add(pool.submit(() -> readFor(client, Duration.ofSeconds(5))));
            }
            Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key).map(s -> s.subscribers() >= readers).orElse(false),
                    () -> "readers subscribed: " + server.streams().stream(key));
            List<Path> recordings = new ArrayList<>();
            List<Process> recorders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Path out = dir.resolve("player" + i + ".flv");
                recordings.add(out);
                recorders.add(new ProcessBuilder(List.of("ffmpeg", "-v", "error", "-i", url("http"), "-t", "4",
                        "-c", "copy", "-f", "flv", out.toString()))
                        .redirectErrorStream(true).redirectOutput(dir.resolve("recorder" + i + ".log").toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start());
            }
            for (Future<Read> f : reads) {
                Read read = f.get(30, TimeUnit.SECONDS);
                assertTrue(read.flvHeader(), "an FLV header first");
                assertTrue(read.bytes() > 50_000, "5 s of stream, got " + read.bytes() + " bytes");
            }
            for (int i = 0; i < recorders.size(); i++) {
                assertTrue(recorders.get(i).waitFor(30, TimeUnit.SECONDS), "recorder " + i + " ends");
                Map<String, String> v = probe(recordings.get(i), "v:0");
                assertEquals("h264", v.get("codec_name"));
                assertTrue(Integer.parseInt(v.get("nb_read_frames")) >= 90, "frames " + v.get("nb_read_frames"));
                assertEquals("aac", probe(recordings.get(i), "a:0").get("codec_name"));
                assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", recordings.get(i).toString(),
                        "-f", "null", "-"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** What one reader got: whether it began with an FLV header, and how many bytes. */
    private record Read(boolean flvHeader, long bytes) {
    }

    private Read readFor(HttpClient client, Duration time) throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url("http")))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        long deadline = System.nanoTime() + time.toNanos();
        try (InputStream in = response.body()) {
            byte[] head = in.readNBytes(3);
            long total = head.length;
            byte[] buf = new byte[16384];
            while (System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return new Read(head.length == 3 && head[0] == 'F' && head[1] == 'L' && head[2] == 'V', total);
        }
    }

    private static Map<String, String> probe(Path file, String stream) {
        String out = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames", "-select_streams", stream,
                "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "default=noprint_wrappers=1",
                file.toString());
        Map<String, String> fields = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return fields;
    }
}
