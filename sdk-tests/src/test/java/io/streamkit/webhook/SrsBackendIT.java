package io.streamkit.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.record.RecordSpec;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend written for SRS's hooks (a Python script that answers like SRS's example api-server)
 * works unchanged: its routes, its {@code str(code)} answers, its refusal, and {@code on_dvr} with
 * the recorded file.
 */
class SrsBackendIT {
    private static final Path SCRIPT = Path.of("src/test/resources/webhook/srs_api_server.py").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void anSrsHookBackendDecidesAndHearsEveryEventWithoutChanges() throws Exception {
        ExternalTool.require("python3");
        ExternalTool.require("ffmpeg");
        Path log = dir.resolve("hooks.jsonl");
        Process backend = new ProcessBuilder(List.of("python3", SCRIPT.toString(), "0", log.toString()))
                .redirectError(dir.resolve("backend.err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            String port = new BufferedReader(new InputStreamReader(backend.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertTrue(port != null && port.matches("\\d+"), "the backend's port: " + port);
            String api = "http://127.0.0.1:" + port + "/api/v1/";
            try (MediaServer server = MediaServer.builder().ioThreads(2).rtmp(0).http(0)
                    .record(r -> r.root(dir.resolve("rec")).recordApp("live", RecordSpec.flv()))
                    .webhooks(w -> w.srs(api + "clients", HookEvent.CONNECT, HookEvent.CLOSE)
                            .srs(api + "streams", HookEvent.PUBLISH, HookEvent.UNPUBLISH)
                            .srs(api + "sessions", HookEvent.PLAY, HookEvent.STOP)
                            .srs(api + "dvrs", HookEvent.DVR))
                    .start()) {
                String rtmp = "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/";
                WebhookIT.Ran refused = WebhookIT.run(30, WebhookIT.publishCommand(rtmp + "forbidden", 3));
                assertNotEquals(0, refused.exit(), refused.output());
                assertTrue(refused.output().contains("hook answered code 403"), refused.output());

                String server0 = "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt();
                WebhookIT.Ran badToken = WebhookIT.run(30, WebhookIT.publishCommand(server0 + "/live?token=bad/show", 3));
                assertNotEquals(0, badToken.exit(), badToken.output());
                assertTrue(badToken.output().contains("hook answered code 401"), "refused at on_connect: " + badToken.output());

                Process publisher = new ProcessBuilder(WebhookIT.publishCommand(server0 + "/live?token=good/show?secret=s1", 6))
                        .redirectErrorStream(true).redirectOutput(dir.resolve("publisher.log").toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                try {
                    Await.until(Duration.ofSeconds(20), () -> server.streams().stream(StreamKey.of("live", "show"))
                            .map(s -> s.live() && s.tracks().size() == 2).orElse(false), () -> "published");
                    String streams = ExternalTool.run(60, "ffprobe", "-v", "error", "-read_intervals", "%+1",
                            "-show_entries", "stream=codec_name", "-of", "csv=p=0", rtmp + "show");
                    assertTrue(streams.contains("h264") && streams.contains("aac"), streams);
                    assertTrue(publisher.waitFor(30, TimeUnit.SECONDS));
                    assertEquals(0, publisher.exitValue(), Files.readString(dir.resolve("publisher.log")));
                } finally {
                    publisher.destroyForcibly();
                }
                Await.until(Duration.ofSeconds(20), () -> read(log).contains("\"on_dvr\""),
                        () -> "on_dvr in " + read(log));
            }
            String hooks = read(log);
            for (String route : List.of("\"path\": \"/api/v1/clients\", \"code\": 0, \"request\": {\"server_id\": \"streamkit\"",
                    "\"action\": \"on_connect\"", "\"action\": \"on_close\"", "\"action\": \"on_unpublish\"",
                    "\"action\": \"on_play\"", "\"action\": \"on_stop\"")) {
                assertTrue(hooks.contains(route), route + " in\n" + hooks);
            }
            assertTrue(hooks.contains("\"action\": \"on_publish\", \"client_id\"") && hooks.contains("secret=s1"), hooks);
            String connect = hooks.lines().filter(l -> l.contains("\"on_connect\"") && l.contains("token=good")).findFirst()
                    .orElseThrow(() -> new AssertionError("on_connect with the client's tcUrl: " + hooks));
            assertTrue(connect.contains("\"app\": \"live\"") && connect.contains("\"tcUrl\": \"rtmp://127.0.0.1:"), connect);
            assertTrue(hooks.contains("\"code\": 401"), "the on_connect refusal: " + hooks);
            assertTrue(hooks.contains("\"code\": 403"), "the refusal: " + hooks);
            assertTrue(!hooks.contains("\"code\": 404") && !hooks.contains("\"code\": 100"), "every event on its SRS route: " + hooks);
            String dvr = hooks.lines().filter(l -> l.contains("\"on_dvr\"")).findFirst().orElseThrow();
            String file = dvr.replaceAll(".*\"file\": \"([^\"]+)\".*", "$1");
            assertTrue(file.endsWith(".flv") && Files.size(Path.of(file)) > 10_000, dvr);
            assertTrue(dvr.contains("\"cwd\": \"" + dir.resolve("rec")), dvr);
        } finally {
            backend.destroyForcibly();
            backend.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
