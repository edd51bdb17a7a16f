package io.streamkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad requests get the right status or a closed connection, and never affect a live stream:
 * ffmpeg keeps recording HTTP-FLV while they arrive. A request the router refuses is answered
 * with a text body and {@code Connection: close}, and the connection closes.
 */
class HttpBadRequestsIT {
    @TempDir
    Path dir;

    @Test
    void badRequestsAreAnsweredOrCutOffWhileAStreamKeepsPlaying() throws Exception {
        ExternalTool.require("ffmpeg");
        try (MediaServer server = MediaServer.builder().ioThreads(2).rtmp(0)
                .http(0, h -> h.requestTimeout(Duration.ofSeconds(1)))
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)).start()) {
            int http = server.httpPort().getAsInt();
            Process publisher = start(List.of("ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                    "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-f", "flv",
                    "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/steady"), "publisher.log");
            Await.until(Duration.ofSeconds(20), () -> server.streams().stream(StreamKey.of("live", "steady"))
                    .map(s -> !s.tracks().isEmpty()).orElse(false), () -> "stream live");
            Path played = dir.resolve("played.flv");
            Process player = start(List.of("ffmpeg", "-v", "error", "-i", "http://127.0.0.1:" + http + "/live/steady.flv",
                    "-c", "copy", "-f", "flv", played.toString()), "player.log");
            try {
                assertEquals(404, status(http, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertEquals(400, status(http, "GET /../etc/passwd.flv HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertEquals(400, status(http, "GET /live/%2e%2e/%2e%2e/etc/passwd.flv HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertEquals(400, status(http, "GET /live/..%2fsecret.flv HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertEquals(400, status(http, "GET /live/a%00b.flv HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertEquals(400, status(http, "GET /live/bad name.flv HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertEquals(414, status(http, "GET /" + "a".repeat(5000) + ".flv HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertEquals(431, status(http, "GET /live/x.flv HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n"));
                assertEquals(400, status(http, "NONSENSE\r\n\r\n"));
                String upgrade = "GET /live/steady.flv HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
                assertTrue(refused(http, upgrade + "Sec-WebSocket-Version: 13\r\n\r\n", 400).contains("Sec-WebSocket-Key"));
                assertTrue(refused(http, upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", 400)
                        .contains("Sec-WebSocket-Version"));
                assertTrue(refused(http, upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n",
                        400).toLowerCase().contains("sec-websocket-version: 13"), "names the version served");
                refused(http, "GET /live/%zz.flv HTTP/1.1\r\nHost: x\r\n\r\n", 400);
                refused(http, "GET /live/steady%E0%80.flv HTTP/1.1\r\nHost: x\r\n\r\n", 400);
                refused(http, "BREW /api/streams HTTP/1.1\r\nHost: x\r\n\r\n", 501);
                refused(http, "DELETE /live/steady.flv HTTP/1.1\r\nHost: x\r\n\r\n", 405);
                refused(http, "POST /api/streams HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", 413);
                refused(http, "POST /api/streams HTTP/1.1\r\nHost: x\r\nContent-Length: 12ab\r\n\r\n", 400);
                refused(http, "POST /api/streams HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400);
                assertEquals(204, status(http, "OPTIONS /live/steady.flv HTTP/1.1\r\nHost: x\r\nOrigin: http://a\r\n\r\n"));
                assertEquals(200, status(http, "HEAD /live/steady.flv HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertCutOff(http, "GET /live/stea", "a request trickled in (slowloris)");
                assertCutOff(http, "", "a connection that never sends a request");
            } finally {
                assertTrue(publisher.waitFor(30, TimeUnit.SECONDS), "publisher finished");
            }
            assertTrue(player.waitFor(30, TimeUnit.SECONDS), "player finished when the stream ended");
            String frames = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", played.toString()).trim();
            assertTrue(Integer.parseInt(frames) >= 150, "the HTTP-FLV player kept receiving: " + frames + " frames of about 200");
        }
    }

    /** Sends a raw request and returns the response's status code. */
    private static int status(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            byte[] head = new byte[12];
            int n = s.getInputStream().readNBytes(head, 0, 12);
            String line = new String(head, 0, n, StandardCharsets.ISO_8859_1);
            if (!line.startsWith("HTTP/1.1 ")) {
                throw new AssertionError("no HTTP status for " + request.lines().findFirst().orElse("") + ": '" + line + "'");
            }
            return Integer.parseInt(line.substring(9, 12));
        }
    }

    /**
     * Sends a raw request followed by a good one on the same connection, and expects one answer:
     * the refusal with its status, a text body and {@code Connection: close}, then the close.
     *
     * @return the whole answer
     */
    private static String refused(int port, String request, int expected) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write((request + "GET /api/streams HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            String answer;
            try {
                answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("not closed after the refusal of " + request.lines().findFirst().orElse(""));
            }
            String what = request.lines().findFirst().orElse("") + ": " + answer;
            assertTrue(answer.startsWith("HTTP/1.1 " + expected + " "), what);
            assertTrue(answer.toLowerCase().contains("\r\nconnection: close\r\n"), what);
            assertTrue(answer.contains("\r\n\r\n" + expected + " "), "a text body naming the status: " + what);
            assertEquals(1, answer.split("HTTP/1\\.1 ", -1).length - 1, "the request after it is not served: " + what);
            return answer;
        }
    }

    /** Expects the server to close a connection that does not finish its request within the 1 s timeout. */
    private static void assertCutOff(int port, String partial, String what) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(partial.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long start = System.nanoTime();
            try {
                while (in.read() >= 0) {
                    // drain anything sent before the close
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError(what + ": not cut off within 5 s");
            } catch (IOException e) {
                // reset: cut off
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 500 && ms < 4_000, what + ": cut off after " + ms + " ms, expected about 1 s");
        }
    }

    private Process start(List<String> cmd, String log) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }
}
