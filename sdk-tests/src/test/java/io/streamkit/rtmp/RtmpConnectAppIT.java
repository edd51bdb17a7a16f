package io.streamkit.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients whose {@code connect} names the app only in the tcUrl: ffmpeg told {@code -rtmp_app ""}
 * publishes, rtmpdump given a URL without a path plays, each with an empty app and a tcUrl
 * ending in {@code /live}. Both land on {@code live/...}, as they would on SRS.
 */
class RtmpConnectAppIT {
    @TempDir
    Path dir;

    private MediaServer server;
    private Process publisher;

    @BeforeEach
    void start() {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("rtmpdump");
        server = MediaServer.builder().ioThreads(2).rtmp(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO))
                .start();
    }

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.destroyForcibly();
        }
        if (server != null) {   // null when a missing tool skipped the test
            server.close();
        }
    }

    @Test
    void anEmptyAppIsTakenFromTheTcUrlByAPublisherAndAPlayer() throws Exception {
        String base = "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt();
        publisher = new ProcessBuilder(List.of("ffmpeg", "-v", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-rtmp_app", "", "-rtmp_tcurl", base + "/live", "-f", "flv", base + "/tc"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("publisher.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        StreamKey key = StreamKey.of("live", "tc");
        Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "live/tc published with 2 tracks; publisher log: " + RtmpFfmpegIT.read(dir.resolve("publisher.log")));

        Path out = dir.resolve("played.flv");
        ExternalTool.run(60, "rtmpdump", "-q", "--live", "-r", base + "/", "-t", base + "/live", "-y", "tc",
                "-o", out.toString());
        assertTrue(publisher.waitFor(30, TimeUnit.SECONDS), "publisher finished");
        assertEquals(0, publisher.exitValue(), RtmpFfmpegIT.read(dir.resolve("publisher.log")));
        assertEquals(List.of("aac", "h264"), ExternalTool.run(60, "ffprobe", "-v", "error", "-show_entries",
                "stream=codec_name", "-of", "csv=p=0", out.toString()).lines().sorted().toList());
        String frames = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", out.toString()).trim();
        assertTrue(Integer.parseInt(frames) >= 50, "video frames played: " + frames);
    }
}
