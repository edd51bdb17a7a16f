package io.streamkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile HTTP clients against a running server while an ffmpeg publisher, an ffmpeg HTTP-FLV
 * player and a WebSocket-FLV player run: 2,000 WebSocket upgrades without a key are each
 * answered 400 at once and closed, the API answers throughout, both players keep receiving,
 * the log stays bounded (rate-limited lines, no stack trace), and bad escapes and oversized
 * request lines and headers get 400, 414 and 431.
 */
class HttpHostileRequestsIT {
    private static final int BAD_UPGRADES = 2_000;
    private static final int CLIENTS = 8;
    private static final int LOG_BURST = 100;
    private static final int LOG_RATE = 20;

    @TempDir
    Path dir;

    @Test
    void twoThousandBadUpgradesAreAnsweredAtOnceWhileTheServerKeepsServing() throws Exception {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("ffprobe");
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        try (MediaServer server = MediaServer.builder().ioThreads(2).rtmp(0)
                .http(0, h -> h.requestTimeout(Duration.ofSeconds(2)))
                .limits(l -> l.logBurst(LOG_BURST).logLinesPerSecond(LOG_RATE))
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)).start()) {
            int http = server.httpPort().getAsInt();
            Process publisher = start(List.of("ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                    "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-f", "flv",
                    "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/steady"), "publisher.log");
            Process player = null;
            WebSocket ws = null;
            try {
                Await.until(Duration.ofSeconds(20), () -> server.streams().stream(StreamKey.of("live", "steady"))
                        .map(s -> !s.tracks().isEmpty()).orElse(false), () -> "stream live");
                Path played = dir.resolve("played.flv");
                player = start(List.of("ffmpeg", "-v", "error", "-i", "http://127.0.0.1:" + http + "/live/steady.flv",
                        "-c", "copy", "-f", "flv", played.toString()), "player.log");
                long playerStart = System.nanoTime();
                AtomicLong wsBytes = new AtomicLong();
                ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                        .buildAsync(URI.create("ws://127.0.0.1:" + http + "/live/steady.flv"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                                wsBytes.addAndGet(data.remaining());
                                webSocket.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                Await.until(Duration.ofSeconds(10), () -> wsBytes.get() > 0, () -> "the WebSocket player receives");

                System.setErr(new PrintStream(new Tee(stderr, logged), true, StandardCharsets.UTF_8));
                long suppressedBefore = suppressed(http);
                long wsBefore = wsBytes.get();
                AtomicBoolean flooding = new AtomicBoolean(true);
                AtomicInteger apiAnswers = new AtomicInteger();
                List<String> apiFailures = Collections.synchronizedList(new ArrayList<>());
                Thread api = new Thread(() -> {
                    while (flooding.get()) {
                        try {
                            int status = status(http, "GET /api/streams HTTP/1.1\r\nHost: x\r\n\r\n").status;
                            if (status == 200) {
                                apiAnswers.incrementAndGet();
                            } else {
                                apiFailures.add("status " + status);
                            }
                        } catch (IOException e) {
                            apiFailures.add(e.toString());
                        }
                    }
                }, "api-poller");
                api.start();
                long[] millis = new long[BAD_UPGRADES];
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                long floodStart = System.nanoTime();
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int c = 0; c < CLIENTS; c++) {
                        int first = c;
                        done.add(clients.submit(() -> {
                            for (int i = first; i < BAD_UPGRADES; i += CLIENTS) {
                                Answer a = status(http, "GET /live/steady.flv HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
                                assertEquals(400, a.status, "a bad upgrade");
                                assertTrue(a.closed, "closed after its answer");
                                millis[i] = a.millis;
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get(120, TimeUnit.SECONDS);
                    }
                } finally {
                    clients.shutdownNow();
                    flooding.set(false);
                    api.join(10_000);
                }
                double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
                java.util.Arrays.sort(millis);
                long p50 = millis[BAD_UPGRADES / 2];
                long p99 = millis[BAD_UPGRADES * 99 / 100];
                System.out.printf("%d bad WebSocket upgrades in %.1f s: p50 %d ms, p99 %d ms, max %d ms; API answered %d times%n",
                        BAD_UPGRADES, floodSeconds, p50, p99, millis[BAD_UPGRADES - 1], apiAnswers.get());
                assertTrue(p99 < 1_000, "each bad upgrade is answered promptly: p99 " + p99 + " ms");
                assertTrue(apiFailures.isEmpty(), "the API answered throughout: " + apiFailures);
                assertTrue(apiAnswers.get() > 0, "the API was asked during the flood");

                // Bad escapes, oversized request lines and headers.
                assertEquals(400, status(http, "GET /live/%zz.flv HTTP/1.1\r\nHost: x\r\n\r\n").status);
                assertEquals(400, status(http, "GET /live/%E0%80.flv HTTP/1.1\r\nHost: x\r\n\r\n").status);
                assertEquals(400, status(http, "GET /api/streams?token=%zz HTTP/1.1\r\nHost: x\r\n\r\n").status);
                assertEquals(414, status(http, "GET /" + "a".repeat(5000) + ".flv HTTP/1.1\r\nHost: x\r\n\r\n").status);
                assertEquals(431, status(http, "GET /api/streams HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000)
                        + "\r\n\r\n").status);
                assertEquals(200, status(http, "GET /api/streams HTTP/1.1\r\nHost: x\r\n\r\n").status, "the API after");

                long wsAfterFlood = wsBytes.get();
                assertTrue(wsAfterFlood > wsBefore, "the WebSocket player received during the flood");
                Await.until(Duration.ofSeconds(5), () -> wsBytes.get() > wsAfterFlood, () -> "the WebSocket player after");
                long suppressed = suppressed(http) - suppressedBefore;
                System.setErr(stderr);

                String log = logged.toString(StandardCharsets.UTF_8);
                long lines = log.lines().filter(l -> l.contains("io.streamkit.http.internal.HttpRouter")).count();
                long traces = log.lines().filter(l -> l.startsWith("\tat ")).count();
                int mistakes = BAD_UPGRADES + 5;
                System.out.printf("log: %d lines written, %d suppressed, %d stack frames%n", lines, suppressed, traces);
                assertEquals(0, traces, "no stack trace for a client's mistake:\n" + log.lines().limit(40).toList());
                assertEquals(mistakes, lines + suppressed, "one line per bad request, written or suppressed");
                assertTrue(lines <= LOG_BURST + LOG_RATE * (floodSeconds + 10), "the rate limit held: " + lines + " lines");

                // The HTTP-FLV player kept playing through it all.
                publisher.destroy();
                assertTrue(publisher.waitFor(10, TimeUnit.SECONDS), "publisher stopped");
                double seconds = (System.nanoTime() - playerStart) / 1e9;
                assertTrue(player.waitFor(30, TimeUnit.SECONDS), "player finished when the stream ended");
                String frames = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                        "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", dir.resolve("played.flv").toString()).trim();
                System.out.printf("HTTP-FLV player: %s frames in %.1f s%n", frames, seconds);
                assertTrue(Integer.parseInt(frames) >= 0.8 * 25 * (seconds - 2),
                        "the HTTP-FLV player kept receiving: " + frames + " frames in " + seconds + " s");
            } finally {
                System.setErr(stderr);
                if (ws != null) {
                    ws.abort();
                }
                publisher.destroyForcibly();
                if (player != null) {
                    player.destroyForcibly();
                    player.waitFor(10, TimeUnit.SECONDS);
                }
                publisher.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A status, the time it took and whether the server then closed. */
    private record Answer(int status, long millis, boolean closed) {
    }

    /** Sends a raw request on a new connection and reads the status line and whether the server closes. */
    private static Answer status(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(5_000);
            long start = System.nanoTime();
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String line = new String(head, StandardCharsets.ISO_8859_1);
            if (!line.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP status for " + request.lines().findFirst().orElse("") + ": '" + line + "'");
            }
            int status = Integer.parseInt(line.substring(9, 12));
            boolean closed = false;
            if (status != 200) {
                byte[] rest = new byte[4096];
                try {
                    while (in.read(rest) >= 0) {
                        // the answer's rest, until the server closes
                    }
                    closed = true;
                } catch (java.net.SocketTimeoutException e) {
                    closed = false;
                } catch (IOException reset) {
                    closed = true;
                }
            }
            return new Answer(status, millis, closed);
        }
    }

    private static long suppressed(int port) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        try {
            String body = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^streamkit_log_lines_suppressed_total (\\d+)").matcher(body);
            assertTrue(m.find(), "the metric is there");
            return Long.parseLong(m.group(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private Process start(List<String> cmd, String log) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** Writes to the test's own stderr and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream out, ByteArrayOutputStream copy) {
            this.out = out;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            synchronized (copy) {
                copy.write(b, off, len);
            }
        }
    }
}
