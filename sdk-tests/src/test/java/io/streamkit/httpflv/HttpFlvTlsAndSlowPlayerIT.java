package io.streamkit.httpflv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import io.streamkit.test.TestMedia;
import java.io.File;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on its own port with the application's certificate, and a player that stops reading. */
class HttpFlvTlsAndSlowPlayerIT {
    @TempDir
    Path dir;

    @Test
    void ffprobeReadsHttpFlvOverHttps() throws Exception {
        ExternalTool.require("ffmpeg");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        ExternalTool.run(60, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString());
        try (MediaServer server = MediaServer.builder().ioThreads(2).rtmp(0).http(0, h -> h.tls(0, cert, key)).start()) {
            Process publisher = new ProcessBuilder(List.of("ffmpeg", "-v", "error", "-re", "-f", "lavfi",
                    "-i", "testsrc=size=320x240:rate=25", "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
                    "-pix_fmt", "yuv420p", "-f", "flv", "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/tls"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("publisher.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                Await.until(Duration.ofSeconds(20), () -> server.streams().stream(StreamKey.of("live", "tls"))
                        .map(s -> !s.tracks().isEmpty()).orElse(false), () -> "stream live");
                String streams = ExternalTool.run(60, "ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
                        "-of", "csv=p=0", "https://127.0.0.1:" + server.httpsPort().getAsInt() + "/live/tls.flv");
                assertEquals("h264,320,240", streams.trim());
            } finally {
                publisher.destroyForcibly();
            }
        }
    }

    @Test
    void aPlayerThatStopsReadingSkipsAndHoldsNoMoreThanItsWindow() throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(2).http(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)).start()) {
            StreamKey key = StreamKey.of("live", "fast");
            Publisher pub = server.streams().publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            int port = server.httpPort().getAsInt();

            // A player that asks and then never reads, with a small receive window.
            Socket stuck = new Socket();
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", port));
            stuck.getOutputStream().write("GET /live/fast.flv HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // A player that reads everything.
            Socket reader = new Socket("127.0.0.1", port);
            reader.getOutputStream().write("GET /live/fast.flv HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            AtomicLong read = new AtomicLong();
            Thread drain = new Thread(() -> {
                byte[] buf = new byte[65536];
                try (InputStream in = reader.getInputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        read.addAndGet(n);
                    }
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            }, "reading-player");
            drain.start();
            Await.until(Duration.ofSeconds(10), () -> server.streams().stream(key).map(StreamInfo::subscribers).orElse(0) == 2,
                    () -> "two players attached");

            // 6 s of 20 Mbps in real time (100 KB frames at 25 fps): the stuck player's 8 MiB write
            // window fills after about 3.5 s, the reading player keeps up.
            long written = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 150; i++) {
                long due = start + i * 40_000_000L;
                while (System.nanoTime() < due) {
                    java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                }
                pub.write(video, i * 40_000L, i * 40_000L, i % 25 == 0, TestMedia.payload(i, 100_000));
                written += 100_000;
            }
            long total = written;
            Await.until(Duration.ofSeconds(20), () -> read.get() >= total, () -> "the reading player got " + read.get()
                    + " of " + total + " bytes");
            StreamInfo info = server.streams().stream(key).orElseThrow();
            assertTrue(info.framesSkipped() > 20, "the stuck player skipped frames: " + info.framesSkipped());
            assertTrue(read.get() < total + 1_000_000, "the reading player got each frame once: " + read.get());
            pub.close();
            stuck.close();
            reader.close();
            drain.join(5_000);
        }
    }

    @Test
    void aPlayerThatTakesNothingIsClosedAfterTheIdleTimeoutAndOthersPlayOn() throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(2).http(0, h -> h.idleTimeout(Duration.ofSeconds(2)))
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)).start()) {
            StreamKey key = StreamKey.of("live", "stall");
            Publisher pub = server.streams().publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            int port = server.httpPort().getAsInt();
            Socket stuck = new Socket();
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", port));
            stuck.getOutputStream().write("GET /live/stall.flv HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Socket reader = new Socket("127.0.0.1", port);
            reader.getOutputStream().write("GET /live/stall.flv HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            AtomicLong read = new AtomicLong();
            Thread drain = new Thread(() -> {
                byte[] buf = new byte[65536];
                try (InputStream in = reader.getInputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        read.addAndGet(n);
                    }
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            }, "reading-player");
            drain.start();
            Await.until(Duration.ofSeconds(10), () -> server.streams().stream(key).map(StreamInfo::subscribers).orElse(0) == 2,
                    () -> "two players attached");

            // 20 Mbps in real time until the stuck player is gone: its socket and window fill within
            // seconds, then it takes nothing for the 2 s idle timeout.
            long start = System.nanoTime();
            long closedAt = 0;
            for (int i = 0; i < 500 && closedAt == 0; i++) {
                long due = start + i * 40_000_000L;
                while (System.nanoTime() < due) {
                    java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                }
                pub.write(video, i * 40_000L, i * 40_000L, i % 25 == 0, TestMedia.payload(i, 100_000));
                if (server.streams().stream(key).map(StreamInfo::subscribers).orElse(0) == 1) {
                    closedAt = System.nanoTime();
                }
            }
            assertTrue(closedAt > 0, "the stuck player was not closed within 20 s");
            double seconds = (closedAt - start) / 1e9;
            assertTrue(seconds > 2 && seconds < 15, "closed after " + seconds + " s: its window fills in a few, then 2 s");
            long before = read.get();
            for (int i = 0; i < 25; i++) {
                pub.write(video, (600 + i) * 40_000L, (600 + i) * 40_000L, i == 0, TestMedia.payload(i, 10_000));
            }
            Await.until(Duration.ofSeconds(10), () -> read.get() >= before + 250_000, () -> "the reading player plays on");
            assertEquals(1, server.streams().stream(key).orElseThrow().subscribers());
            stuck.setSoTimeout(5_000);
            byte[] buf = new byte[65536];
            InputStream in = stuck.getInputStream();
            while (in.read(buf) >= 0) {
                // what the server had sent before it closed, then the end of the stream
            }
            pub.close();
            stuck.close();
            reader.close();
            drain.join(5_000);
        }
    }
}
