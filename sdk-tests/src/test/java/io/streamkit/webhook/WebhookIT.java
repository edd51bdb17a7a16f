package io.streamkit.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP hooks against a real backend (the JDK's HttpServer) with ffmpeg, ffprobe and raw sockets as
 * clients: allow, deny with the backend's reason, a slow backend holding the answer, a backend that
 * is down deciding by the policy, and the order of 50 concurrent players' events.
 */
class WebhookIT {
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        processes.forEach(Process::destroyForcibly);
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void thePlainDialectAllowsAndDeniesWithTheBackendsReasonOnEveryProtocol() throws Exception {
        ExternalTool.require("ffmpeg");
        HookBackend backend = backend(call -> "good".equals(call.query().get("token"))
                ? new HookBackend.Answer(200, "ok")
                : new HookBackend.Answer(403, "bad token for " + call.query().get("name")));
        MediaServer server = server(MediaServer.builder().ioThreads(2).rtmp(0).http(0).hls()
                .webhooks(w -> w.plain(backend.url("/auth"))));
        String rtmp = "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/cam";
        String http = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/live/cam";

        Ran refused = run(30, publishCommand(rtmp + "?token=bad", 3));
        assertNotEquals(0, refused.exit, refused.output);
        assertTrue(refused.output.contains("bad token for cam"), "ffmpeg shows the backend's reason:\n" + refused.output);
        assertTrue(server.streams().stream(StreamKey.of("live", "cam")).map(s -> !s.live()).orElse(true));

        Process publisher = start(publishCommand(rtmp + "?token=good", 30), "publisher.log");
        Await.until(Duration.ofSeconds(20), () -> server.streams().stream(StreamKey.of("live", "cam"))
                .map(s -> s.live() && s.tracks().size() == 2).orElse(false), () -> "publish allowed");
        String streams = ExternalTool.run(60, "ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", rtmp + "?token=good");
        assertTrue(streams.contains("h264,320,240") && streams.contains("aac"), streams);
        String flv = ExternalTool.run(60, "ffprobe", "-v", "error", "-show_entries", "stream=codec_name",
                "-of", "csv=p=0", http + ".flv?token=good");
        assertTrue(flv.contains("h264") && flv.contains("aac"), flv);

        Ran rtmpDenied = run(30, "ffprobe", "-v", "error", rtmp + "?token=bad");
        assertNotEquals(0, rtmpDenied.exit);
        assertTrue(rtmpDenied.output.contains("bad token for cam"), rtmpDenied.output);
        Ran flvDenied = run(30, "ffprobe", "-v", "error", http + ".flv?token=bad");
        assertNotEquals(0, flvDenied.exit);
        assertTrue(flvDenied.output.contains("403"), flvDenied.output);
        Ran hlsDenied = run(30, "ffprobe", "-v", "error", http + ".m3u8?token=bad");
        assertNotEquals(0, hlsDenied.exit);
        assertTrue(hlsDenied.output.contains("403"), hlsDenied.output);

        List<HookBackend.Call> calls = backend.calls();
        assertTrue(calls.stream().allMatch(c -> c.method().equals("GET") && c.path().equals("/auth")), calls.toString());
        assertTrue(calls.stream().anyMatch(c -> c.query().get("role").equals("publisher") && c.query().get("type").equals("rtmp")
                && c.query().get("path").equals("/live/cam") && c.query().get("token").equals("good")), calls.toString());
        assertTrue(calls.stream().anyMatch(c -> c.query().get("role").equals("player") && c.query().get("type").equals("http")),
                calls.toString());
        assertTrue(calls.stream().anyMatch(c -> c.query().get("role").equals("player") && c.query().get("type").equals("hls")),
                calls.toString());
        publisher.destroy();
    }

    @Test
    void aSlowBackendHoldsTheAnswerAndNothingReachesTheClientBeforeIt() throws Exception {
        HookBackend backend = backend(call -> new HookBackend.Answer(200, "{\"code\":0}",
                call.action().equals("on_play") ? 1500 : 0));
        MediaServer server = server(MediaServer.builder().ioThreads(2).http(0).webhooks(w -> w.srs(backend.url("/hooks"))));
        var pub = HookMedia.publish(server, StreamKey.of("live", "slow"));
        long sent = System.nanoTime();
        long firstByte;
        try (Socket socket = new Socket("127.0.0.1", server.httpPort().getAsInt())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /live/slow.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int b = in.read();
            firstByte = System.nanoTime();
            assertEquals('H', b);
            byte[] head = in.readNBytes(11);
            assertEquals("TTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
        }
        HookBackend.Call play = backend.calls().stream().filter(c -> c.action().equals("on_play")).findFirst().orElseThrow();
        assertTrue(play.answeredNanos() - sent >= TimeUnit.MILLISECONDS.toNanos(1400), "the backend took its 1.5 s");
        assertTrue(firstByte > play.answeredNanos(), "the status line came "
                + (firstByte - play.answeredNanos()) / 1_000_000 + " ms after the backend answered");
        pub.close();
    }

    @Test
    void aBackendThatIsDownDecidesByThePolicy() throws Exception {
        ExternalTool.require("ffprobe");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String down = "http://127.0.0.1:" + closedPort + "/auth";
        MediaServer denying = server(MediaServer.builder().ioThreads(1).http(0)
                .webhooks(w -> w.plain(down).timeout(Duration.ofSeconds(1))));
        var pub = HookMedia.publish(denying, StreamKey.of("live", "down"));
        Ran denied = run(30, "ffprobe", "-v", "error", "http://127.0.0.1:" + denying.httpPort().getAsInt() + "/live/down.flv");
        assertNotEquals(0, denied.exit);
        assertTrue(denied.output.contains("403"), denied.output);
        pub.close();

        MediaServer allowing = server(MediaServer.builder().ioThreads(1).http(0)
                .webhooks(w -> w.plain(down).timeout(Duration.ofSeconds(1)).onFailure(WebhookConfig.FailurePolicy.ALLOW)));
        var pub2 = HookMedia.publish(allowing, StreamKey.of("live", "down"));
        String head = HookMedia.flvHead(allowing.httpPort().getAsInt(), "/live/down.flv");
        assertTrue(head.startsWith("HTTP/1.1 200") && head.contains("FLV"), head);
        pub2.close();
    }

    @Test
    void aHugeAnswerIsReadOnlyToItsBoundAndDenies() throws Exception {
        String huge = "{\"code\":0,\"padding\":\"" + "x".repeat(8 << 20) + "\"}";   // 8 MiB: allowed if read whole
        HookBackend backend = backend(call -> new HookBackend.Answer(200, huge));
        MediaServer server = server(MediaServer.builder().ioThreads(1).http(0).webhooks(w -> w.srs(backend.url("/hooks"))));
        var pub = HookMedia.publish(server, StreamKey.of("live", "huge"));
        String head = HookMedia.flvHead(server.httpPort().getAsInt(), "/live/huge.flv");
        assertTrue(head.startsWith("HTTP/1.1 403") && head.contains("neither 0 nor"),
                "only the first 4 KiB are read: a cut object is no answer: " + head.lines().findFirst().orElse(""));
        pub.close();
    }

    @Test
    void fiftyConcurrentPlayersEventsArriveInOrderPerClient() throws Exception {
        ExternalTool.require("ffmpeg");
        java.util.Random random = new java.util.Random(7);
        HookBackend backend = backend(call -> new HookBackend.Answer(200, "0", random.nextInt(30)));   // out of order across clients
        MediaServer server = server(MediaServer.builder().ioThreads(2).rtmp(0).http(0)
                .webhooks(w -> w.srs(backend.url("/api/v1/hooks"))));
        String rtmp = "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/many";
        start(publishCommand(rtmp + "?key=p", 60), "publisher.log");
        Await.until(Duration.ofSeconds(20), () -> server.streams().stream(StreamKey.of("live", "many"))
                .map(s -> s.live() && s.tracks().size() == 2).orElse(false), () -> "stream live");

        ExecutorService pool = Executors.newFixedThreadPool(50);
        closing.add(pool::shutdownNow);
        List<Future<?>> players = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            players.add(pool.submit(() -> {
                if (n % 5 == 0) {   // ten RTMP players: ffprobe reads a second and leaves
                    Ran r = run(60, "ffprobe", "-v", "error", "-read_intervals", "%+1", "-show_entries", "packet=pts",
                            "-of", "csv=p=0", rtmp + "?viewer=" + n);
                    assertEquals(0, r.exit, r.output);
                } else {   // forty HTTP-FLV players: read some of the stream and hang up
                    String head = HookMedia.flvHead(server.httpPort().getAsInt(), "/live/many.flv?viewer=" + n);
                    assertTrue(head.startsWith("HTTP/1.1 200"), head);
                }
                return null;
            }));
        }
        for (Future<?> f : players) {
            f.get(120, TimeUnit.SECONDS);
        }
        Await.until(Duration.ofSeconds(30), () -> backend.calls().stream().filter(c -> c.action().equals("on_stop"))
                .count() == 50 && backend.calls().stream().filter(c -> c.action().equals("on_close")).count() == 10,
                () -> "50 on_stop and 10 on_close: " + backend.calls().size() + " calls");

        Map<String, List<String>> byClient = new LinkedHashMap<>();
        Map<String, String> protocolOf = new LinkedHashMap<>();
        for (HookBackend.Call c : backend.calls()) {   // in the order the backend received them
            byClient.computeIfAbsent(c.body().get("client_id"), k -> new ArrayList<>()).add(c.action());
            if (c.body().containsKey("protocol")) {
                protocolOf.putIfAbsent(c.body().get("client_id"), c.body().get("protocol"));
            }
        }
        int rtmpPlayers = 0;
        int flvPlayers = 0;
        for (Map.Entry<String, List<String>> e : byClient.entrySet()) {
            List<String> actions = e.getValue();
            if (!actions.contains("on_play")) {
                continue;   // the publisher
            }
            if ("rtmp".equals(protocolOf.get(e.getKey()))) {
                assertEquals(List.of("on_connect", "on_play", "on_stop", "on_close"), actions, "client " + e.getKey());
                rtmpPlayers++;
            } else {
                assertEquals(List.of("on_play", "on_stop"), actions, "client " + e.getKey());
                flvPlayers++;
            }
        }
        assertEquals(10, rtmpPlayers, byClient.toString());
        assertEquals(40, flvPlayers, byClient.toString());
        // The hooks' numbers in /metrics, which Prometheus's own linter accepts.
        String metrics = HookMedia.get(server.httpPort().getAsInt(), "/metrics");
        assertTrue(metrics.contains("streamkit_webhook_requests_total{event=\"on_play\",result=\"allow\"} 50\n"), metrics);
        assertTrue(metrics.contains("streamkit_webhook_requests_total{event=\"on_stop\",result=\"allow\"} 50\n"), metrics);
        assertTrue(metrics.contains("streamkit_webhook_requests_dropped_total 0\n"), metrics);
        if (ExternalTool.installed("promtool") || ExternalTool.ci()) {
            Path file = dir.resolve("metrics.txt");
            Files.writeString(file, metrics);
            Ran lint = run(30, "sh", "-c", "promtool check metrics < " + file);
            assertEquals(0, lint.exit(), "promtool check metrics:\n" + lint.output());
        }

        HookBackend.Call publish = backend.calls().stream().filter(c -> c.action().equals("on_publish")).findFirst().orElseThrow();
        assertEquals("live", publish.body().get("app"));
        assertEquals("many", publish.body().get("stream"));
        assertEquals("?key=p", publish.body().get("param"));
        assertEquals("127.0.0.1", publish.body().get("ip"));
    }

    private HookBackend backend(java.util.function.Function<HookBackend.Call, HookBackend.Answer> answers) throws IOException {
        HookBackend backend = new HookBackend(answers);
        closing.add(backend);
        return backend;
    }

    private MediaServer server(MediaServer.Builder builder) {
        MediaServer server = builder.start();
        closing.add(server);
        return server;
    }

    static String[] publishCommand(String url, int seconds) {
        return new String[] {"ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", String.valueOf(seconds), "-c:v", "libx264",
            "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k",
            "-f", "flv", url};
    }

    private Process start(String[] command, String log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        return p;
    }

    /** What a finished command printed (both streams) and how it exited. */
    record Ran(int exit, String output) {
    }

    static Ran run(int seconds, String... command) {
        try {
            Path out = Files.createTempFile("streamkit-hook", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    throw new AssertionError(command[0] + " ran past " + seconds + " s");
                }
                return new Ran(p.exitValue(), Files.readString(out));
            } finally {
                p.destroyForcibly();
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
