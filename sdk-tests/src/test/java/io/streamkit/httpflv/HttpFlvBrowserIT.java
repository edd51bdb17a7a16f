package io.streamkit.httpflv;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real browser: headless Chromium plays HTTP-FLV through mpegts.js, and the video's time advances. */
class HttpFlvBrowserIT {
    /** The node project with mpegts.js and playwright-core, installed by {@code npm ci} (.ci/run does it). */
    static final Path BROWSER_TESTS = Path.of("..", "browser-tests").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void chromiumPlaysHttpFlvThroughMpegtsJs() throws Exception {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("node");
        ExternalTool.require("chromium");
        ExternalTool.requireFile(BROWSER_TESTS.resolve("node_modules/mpegts.js/dist/mpegts.js"),
                "run 'npm ci' in " + BROWSER_TESTS);
        try (MediaServer server = MediaServer.builder().ioThreads(2).rtmp(0).http(0).start()) {
            Process publisher = new ProcessBuilder(List.of("ffmpeg", "-v", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", "30", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50",
                    "-pix_fmt", "yuv420p", "-profile:v", "baseline", "-c:a", "aac", "-b:a", "64k", "-f", "flv",
                    "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/browser"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("publisher.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                Await.until(Duration.ofSeconds(20), () -> server.streams().stream(StreamKey.of("live", "browser"))
                        .map(s -> s.tracks().size() == 2).orElse(false), () -> "stream live");
                String url = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/live/browser.flv";
                String result = ExternalTool.run(90, "node", BROWSER_TESTS.resolve("play.mjs").toString(), "flv", url, "3", "40")
                        .trim();
                System.out.println("mpegts.js in Chromium: " + result);
                assertTrue(result.contains("\"ok\":true"), result);
                assertTrue(result.contains("\"videoWidth\":320"), result);
                assertEquals(1, server.streams().stream(StreamKey.of("live", "browser")).orElseThrow().tracks().stream()
                        .filter(t -> t.codec().name().equals("H264")).count());
            } finally {
                publisher.destroyForcibly();
            }
        }
        assertTrue(Files.isDirectory(BROWSER_TESTS));
    }
}
