package io.streamkit.hls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real browser: headless Chromium plays the HLS URL through hls.js, and the video's time advances. */
class HlsBrowserIT {
    static final Path BROWSER_TESTS = Path.of("..", "browser-tests").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void chromiumPlaysHlsThroughHlsJs() throws Exception {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("node");
        ExternalTool.require("chromium");
        ExternalTool.requireFile(BROWSER_TESTS.resolve("node_modules/hls.js/dist/hls.min.js"), "run 'npm ci' in " + BROWSER_TESTS);
        try (MediaServer server = MediaServer.builder().ioThreads(2).rtmp(0).http(0).hls().start()) {
            Process publisher = new ProcessBuilder(List.of("ffmpeg", "-v", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", "40", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50",
                    "-pix_fmt", "yuv420p", "-profile:v", "baseline", "-c:a", "aac", "-b:a", "64k", "-f", "flv",
                    "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/browser"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("publisher.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                Await.until(Duration.ofSeconds(20), () -> server.streams().stream(StreamKey.of("live", "browser"))
                        .map(s -> s.tracks().size() == 2).orElse(false), () -> "stream live");
                String url = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/live/browser.m3u8";
                String result = ExternalTool.run(120, "node", BROWSER_TESTS.resolve("play.mjs").toString(), "hls", url, "3", "60")
                        .trim();
                System.out.println("hls.js in Chromium: " + result);
                assertTrue(result.contains("\"ok\":true"), result);
                assertTrue(result.contains("\"videoWidth\":320"), result);
            } finally {
                publisher.destroyForcibly();
            }
        }
    }
}
