package io.streamkit.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ffmpeg publishes over RTMPS (TLS, a self-signed certificate); ffmpeg plays it back over plain RTMP. */
class RtmpsFfmpegIT {
    @TempDir
    Path dir;

    @Test
    void publishOverRtmpsPlaysBackOverRtmp() throws Exception {
        ExternalTool.require("ffmpeg");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        ExternalTool.run(60, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString());

        try (MediaServer server = MediaServer.builder().ioThreads(2)
                .rtmp(0, r -> r.tls(0, cert, key))
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO))
                .start()) {
            String secure = "rtmps://127.0.0.1:" + server.rtmpsPort().getAsInt() + "/live/secure";
            String plain = "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/secure";
            Process publisher = new ProcessBuilder(List.of("ffmpeg", "-v", "error", "-re", "-f", "lavfi",
                    "-i", "testsrc=size=320x240:rate=25", "-t", "6", "-c:v", "libx264", "-preset", "ultrafast",
                    "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p", "-f", "flv", secure))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("publisher.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                Await.until(Duration.ofSeconds(20), () -> server.streams().stream(StreamKey.of("live", "secure"))
                        .map(s -> s.tracks().size() == 1).orElse(false), () -> "stream live over RTMPS");
                assertEquals("rtmp", server.streams().stream(StreamKey.of("live", "secure")).orElseThrow().publisherProtocol());
                Path out = dir.resolve("played.flv");
                assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", plain, "-c", "copy", "-f", "flv",
                        out.toString()));
                assertTrue(publisher.waitFor(30, TimeUnit.SECONDS));
                String frames = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                        "-show_entries", "stream=codec_name,width,nb_read_frames", "-of", "csv=p=0", out.toString()).trim();
                String[] f = frames.split(",");
                assertEquals("h264", f[0]);
                assertEquals("320", f[1]);
                assertTrue(Integer.parseInt(f[2]) >= 75, "frames: " + frames);
            } finally {
                publisher.destroyForcibly();
            }
        }
    }

    @Test
    void anUnreadableCertificateIsRefusedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MediaServer.builder().rtmp(0, r -> r.tls(0, dir.resolve("missing.pem"), dir.resolve("key.pem"))));
        assertTrue(e.getMessage().contains("missing.pem is not readable"), e.getMessage());
    }
}
