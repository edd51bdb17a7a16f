package io.streamkit.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chromium plays what was recorded: a recorded MP4 through the range endpoint with a plain
 * {@code <video src>}, seeking to the middle ({@code currentTime} set, {@code seeked} fired,
 * frames decoded after it), and an MP4 stitched from two rotated files for a time range.
 */
class RecordBrowserIT {
    private static final Path BROWSER_TESTS = Path.of("..", "browser-tests").toAbsolutePath().normalize();
    private static final Pattern URL = Pattern.compile("\"url\":\"([^\"]+)\"");
    private static final Pattern START = Pattern.compile("\"start\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void chromiumPlaysAndSeeksARecordedMp4AndPlaysAStitchedRange() throws Exception {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("node");
        ExternalTool.require("chromium");
        ExternalTool.requireFile(BROWSER_TESTS.resolve("node_modules/playwright-core/package.json"),
                "run 'npm ci' in " + BROWSER_TESTS);
        Path source = dir.resolve("src.flv");
        ExternalTool.run(60, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi",
                "-i", "sine=frequency=440:sample_rate=44100", "-t", "12", "-c:v", "libx264", "-g", "25", "-keyint_min", "25",
                "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest", source.toString());
        List<RecordedFile> finished = new CopyOnWriteArrayList<>();
        RecordSpec spec = RecordSpec.builder(RecordFormat.MP4).rotateAfter(Duration.ofSeconds(6)).build();
        try (MediaServer server = MediaServer.builder().ioThreads(2).rtmp(0).http(0)
                .record(r -> r.root(dir.resolve("rec")).recordApp("rec", spec).listener(new RecordListener() {
                    @Override
                    public void onFinished(RecordedFile file) {
                        finished.add(file);
                    }
                })).start()) {
            ExternalTool.run(60, "ffmpeg", "-v", "error", "-re", "-i", source.toString(), "-c", "copy", "-f", "flv",
                    "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/rec/browser");
            Await.until(Duration.ofSeconds(15), () -> finished.size() == 2, () -> "two files finished: " + finished);
            String base = "http://127.0.0.1:" + server.httpPort().getAsInt();
            String list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/recordings?stream=rec/browser"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher url = URL.matcher(list);
            assertTrue(url.find(), list);

            String seek = ExternalTool.run(120, "node", BROWSER_TESTS.resolve("seek.mjs").toString(), base + url.group(1), "45")
                    .trim();
            System.out.println("recorded MP4 in Chromium: " + seek);
            assertTrue(seek.contains("\"ok\":true"), seek);
            assertTrue(seek.contains("\"videoWidth\":320,\"videoHeight\":240"), seek);

            Matcher start = START.matcher(list);
            assertTrue(start.find(), list);
            Instant from = Instant.parse(start.group(1)).plusSeconds(3);
            String stitched = base + "/api/recordings/playback?stream=rec/browser&start="
                    + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8) + "&duration=6";
            String play = ExternalTool.run(120, "node", BROWSER_TESTS.resolve("seek.mjs").toString(), stitched, "45").trim();
            System.out.println("stitched MP4 in Chromium: " + play);
            assertTrue(play.contains("\"ok\":true"), play);
            double duration = Double.parseDouble(play.replaceAll(".*\"duration\":([0-9.]+).*", "$1"));
            assertEquals(6.5, duration, 1.1, "6 s from the keyframe at or before 3 s into the first file, across the seam: " + play);
        }
    }
}
