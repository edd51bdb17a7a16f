package io.streamkit.record;

import static io.streamkit.record.RecordTestSupport.boxTypes;
import static io.streamkit.record.RecordTestSupport.recordings;
import static io.streamkit.record.RecordTestSupport.send;
import static io.streamkit.record.RecordTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.AuthResult;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Codec;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.TestMedia;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recordings API: starting and stopping a recording needs the API token (401 without it,
 * 201 and 204 with it, 404 for a stream not recorded), a started recording records the
 * stream's next publish and a stop ends its file as {@link RecordEnd#STOPPED}; listing and
 * serving recordings pass the recorded stream's play check, whose token the listed URLs carry.
 */
class RecordApiTest {
    private static final String TOKEN = "0123456789abcdef0123";
    private static final String BEARER = "Bearer " + TOKEN;

    @TempDir
    Path dir;

    private MediaServer server;
    private String base;
    private final List<RecordedFile> started = new CopyOnWriteArrayList<>();
    private final List<RecordedFile> finished = new CopyOnWriteArrayList<>();
    private final List<RecordFailure> failures = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        server = MediaServer.builder().ioThreads(1)
                .http(0, h -> h.apiToken(TOKEN).tokenForReads(false))
                .onPlay(r -> CompletableFuture.completedFuture("ok".equals(r.param("token"))
                        ? AuthResult.allow() : AuthResult.deny("no token")))
                .record(r -> r.root(dir.resolve("recordings")).recordApp("rec", RecordSpec.mp4()).listener(new RecordListener() {
                    @Override
                    public void onStarted(RecordedFile file) {
                        started.add(file);
                    }

                    @Override
                    public void onFinished(RecordedFile file) {
                        finished.add(file);
                    }

                    @Override
                    public void onFailed(RecordFailure failure) {
                        failures.add(failure);
                    }
                }))
                .start();
        base = "http://127.0.0.1:" + server.httpPort().getAsInt();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void startAndStopNeedTheTokenAndStopEndsTheFile() throws Exception {
        StreamKey key = StreamKey.of("live", "x");
        String call = base + "/api/recordings/live/x";
        assertEquals(401, send(http, "POST", call).statusCode(), "no token");
        assertEquals(401, send(http, "POST", call, "Authorization", "Bearer wrong-token-0123456789").statusCode());
        assertEquals(Optional.empty(), server.recorder().orElseThrow().recording(key));
        HttpResponse<byte[]> created = send(http, "POST", call, "Authorization", BEARER);
        assertEquals(201, created.statusCode(), text(created));
        assertTrue(text(created).contains("\"stream\":\"live/x\",\"format\":\"mp4\",\"recording\":true"), text(created));

        // The next publish of live/x is recorded, though no rule names live.
        try (Publisher pub = server.streams().publish(key)) {
            Track video = pub.addTrack(TestMedia.h264());
            Track audio = pub.addTrack(TestMedia.aac());
            write(pub, video, audio, 0, 3);
            Await.until(Duration.ofSeconds(10), () -> !started.isEmpty(), () -> "onStarted of live/x");
            assertEquals(key, started.get(0).stream());
            assertEquals(401, send(http, "DELETE", call).statusCode(), "no token");
            HttpResponse<byte[]> deleted = send(http, "DELETE", call, "Authorization", BEARER);
            assertEquals(204, deleted.statusCode(), text(deleted));
            Await.until(Duration.ofSeconds(10), () -> !finished.isEmpty(), () -> "onFinished of live/x");
            RecordedFile f = finished.get(0);
            assertEquals(RecordEnd.STOPPED, f.end().orElseThrow(), f.toString());
            assertEquals(started.get(0).path(), f.path());
            assertTrue(f.videoFrames() > 0, f.toString());
            assertTrue(Files.isRegularFile(f.path()), f.path() + " finalised");
            assertEquals(List.of("ftyp", "moov", "mdat"), boxTypes(f.path()));
            Await.until(Duration.ofSeconds(10), () -> server.recorder().orElseThrow().recording(key).isEmpty(),
                    () -> "live/x no longer recorded");
            assertTrue(pub.isOpen(), "stopping the recording leaves the stream alone");

            HttpResponse<byte[]> again = send(http, "DELETE", call, "Authorization", BEARER);
            assertEquals(404, again.statusCode(), text(again));
        }
        assertEquals(1, started.size(), started::toString);
        assertEquals(List.of(), failures);

        // The recorder's numbers in /metrics.
        String metrics = text(send(http, "GET", base + "/metrics"));
        assertTrue(metrics.contains("streamkit_record_files_total{format=\"mp4\"} 1\n"), metrics);
        assertTrue(metrics.contains("streamkit_record_file_bytes_total " + finished.get(0).bytes() + "\n"), metrics);
        assertTrue(metrics.contains("streamkit_recordings_active 0\n"), metrics);
        assertTrue(metrics.contains("streamkit_record_failures_total 0\n"), metrics);
    }

    @Test
    void listingAndServingPassThePlayCheckWhoseTokenTheUrlsCarry() throws Exception {
        StreamKey key = StreamKey.of("rec", "x");
        try (Publisher pub = server.streams().publish(key)) {
            Track video = pub.addTrack(TestMedia.h264());
            Track audio = pub.addTrack(TestMedia.aac());
            write(pub, video, audio, 0, 3);
            Await.until(Duration.ofSeconds(10), () -> !started.isEmpty(), () -> "onStarted of rec/x");
        }
        Await.until(Duration.ofSeconds(10), () -> !finished.isEmpty(), () -> "onFinished of rec/x");
        RecordedFile f = finished.get(0);
        assertEquals(RecordEnd.STREAM_END, f.end().orElseThrow(), f.toString());

        HttpResponse<byte[]> denied = send(http, "GET", base + "/api/recordings?stream=rec/x");
        assertEquals(403, denied.statusCode(), text(denied));
        assertTrue(text(denied).contains("no token"), text(denied));
        HttpResponse<byte[]> all = send(http, "GET", base + "/api/recordings");
        assertEquals(200, all.statusCode(), text(all));
        assertEquals(List.of(), recordings(text(all)), "files of streams the client may not play are left out");

        HttpResponse<byte[]> list = send(http, "GET", base + "/api/recordings?stream=rec/x&token=ok");
        assertEquals(200, list.statusCode(), text(list));
        List<Map<String, String>> entries = recordings(text(list));
        assertEquals(1, entries.size(), text(list));
        String url = entries.get(0).get("url");
        assertEquals("/recordings/" + f.name() + "?token=ok", url);

        byte[] bytes = Files.readAllBytes(f.path());
        HttpResponse<byte[]> file = send(http, "GET", base + url);
        assertEquals(200, file.statusCode(), text(file));
        assertEquals("video/mp4", file.headers().firstValue("content-type").orElse(""));
        assertArrayEquals(bytes, file.body());
        HttpResponse<byte[]> refused = send(http, "GET", base + "/recordings/" + f.name());
        assertEquals(403, refused.statusCode(), text(refused));
        HttpResponse<byte[]> wrong = send(http, "GET", base + "/recordings/" + f.name() + "?token=no");
        assertEquals(403, wrong.statusCode(), text(wrong));
        assertEquals(List.of(), failures);
    }

    /** Writes seconds of 25 fps H.264 (a keyframe each second) and AAC frames, in timestamp order. */
    private static void write(Publisher pub, Track video, Track audio, int fromSecond, int seconds) {
        long end = (fromSecond + seconds) * 1_000_000L;
        int v = fromSecond * 25;
        long a = fromSecond * 1_000_000L * 44_100 / 1024 / 1_000_000;
        for (;;) {
            long vts = v * 40_000L;
            long ats = a * 1024 * 1_000_000 / 44_100;
            if (vts >= end && ats >= end) {
                return;
            }
            if (vts <= ats) {
                pub.write(video, vts, vts, v % 25 == 0, TestMedia.accessUnit(Codec.H264, v, 600, v % 25 == 0));
                v++;
            } else {
                pub.write(audio, ats, ats, true, TestMedia.payload(a, 64));
                a++;
            }
        }
    }
}
