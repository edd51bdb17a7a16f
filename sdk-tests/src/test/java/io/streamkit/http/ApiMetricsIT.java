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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API and metrics against a real stream: ffmpeg publishes a constant-bitrate H.264+AAC
 * stream over RTMP while ffmpeg plays it once over RTMP and once over HTTP-FLV; the API's
 * numbers are checked against what the encoder was told, and a kick ends the publisher.
 */
class ApiMetricsIT {
    private static final String TOKEN = "it-token-0123456789abcdef";
    /** What the encoder is told; x264 with nal-hrd=cbr pads to it. */
    private static final int VIDEO_BITS_PER_SECOND = 800_000;

    @TempDir
    Path dir;

    private MediaServer server;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StreamKey key = StreamKey.of("live", "x");

    @BeforeEach
    void start() throws IOException {
        ExternalTool.require("ffmpeg");
        server = MediaServer.builder().ioThreads(2).rtmp(0).http(0, h -> h.apiToken(TOKEN))
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO))
                .start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (server != null) {   // null when a missing tool skipped the test
            server.close();
        }
    }

    private Process ffmpeg(String log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-v", "error", "-nostats"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        return p;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort().getAsInt() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String body(String path) {
        try {
            HttpResponse<String> r = get(path);
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no match for " + regex + " in:\n" + text);
        }
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void theApiAndMetricsReportARunningStreamAndAKickEndsIt() throws Exception {
        int rtmpPort = server.rtmpPort().getAsInt();
        int httpPort = server.httpPort().getAsInt();
        Process publisher = ffmpeg("publisher.log", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", "120", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p",
                "-b:v", "800k", "-maxrate", "800k", "-bufsize", "800k", "-x264-params", "nal-hrd=cbr",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", "rtmp://127.0.0.1:" + rtmpPort + "/live/x");
        Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key).map(s -> s.tracks().size() == 2)
                .orElse(false), () -> "stream live; publisher log: " + log("publisher.log"));
        Process rtmpPlayer = ffmpeg("rtmp-player.log", "-i", "rtmp://127.0.0.1:" + rtmpPort + "/live/x", "-f", "null", "-");
        Process flvPlayer = ffmpeg("flv-player.log", "-i", "http://127.0.0.1:" + httpPort + "/live/x.flv", "-f", "null", "-");

        String playersByProtocol = "\"players\":{\"http-flv\":1,\"rtmp\":1}";
        Await.until(Duration.ofSeconds(20), () -> body("/api/streams").contains(playersByProtocol),
                () -> "players by protocol in " + body("/api/streams"));

        // The encoder's rate is a 1 s window's worth at ingest: sample it over several seconds.
        List<Long> videoRates = new ArrayList<>();
        long[] lastSample = {0};
        String[] last = {""};
        Await.until(Duration.ofSeconds(30), () -> {
            if (System.nanoTime() - lastSample[0] < 1_000_000_000L) {
                return false;
            }
            lastSample[0] = System.nanoTime();
            last[0] = body("/api/streams/live/x");
            videoRates.add(number(last[0], "\"type\":\"video\".*?\"bitrate\":(\\d+)"));
            return videoRates.size() >= 6;
        }, () -> "six bitrate samples");
        String stream = last[0];
        List<Long> sorted = videoRates.subList(1, videoRates.size()).stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        System.out.println("API video bitrate samples " + videoRates + ", median " + median + " b/s, encoder target "
                + VIDEO_BITS_PER_SECOND + " b/s");
        System.out.println("API stream: " + stream);
        assertTrue(Math.abs(median - VIDEO_BITS_PER_SECOND) <= VIDEO_BITS_PER_SECOND * 0.2,
                "video bitrate " + median + " within 20% of " + VIDEO_BITS_PER_SECOND + "; samples " + videoRates);
        assertTrue(stream.contains("\"app\":\"live\",\"name\":\"x\",\"live\":true"), stream);
        assertTrue(stream.contains("\"publisher\":{\"protocol\":\"rtmp\",\"address\":\"127.0.0.1:"), stream);
        assertTrue(stream.contains("\"type\":\"video\",\"codec\":\"h264\",\"width\":320,\"height\":240,\"frameRate\":25.0"),
                stream);
        assertTrue(stream.contains("\"type\":\"audio\",\"codec\":\"aac\",\"sampleRate\":44100,\"channels\":1"), stream);
        assertTrue(stream.contains(playersByProtocol), stream);
        long audioRate = number(stream, "\"type\":\"audio\".*?\"bitrate\":(\\d+)");
        assertTrue(audioRate > 32_000 && audioRate < 128_000, "audio bitrate " + audioRate + " near 64k");
        long in = number(stream, "\"bitrateIn\":(\\d+)");
        long out = number(stream, "\"bitrateOut\":(\\d+)");
        System.out.println("API bitrate in " + in + " b/s, out " + out + " b/s (two players)");
        assertTrue(out > in, "two players take more than one ingest: in " + in + ", out " + out);
        assertTrue(number(stream, "\"uptimeSeconds\":(\\d+)") >= 3, stream);

        String clients = body("/api/clients");
        assertTrue(clients.contains("\"protocol\":\"rtmp\",\"address\":\"127.0.0.1:"), clients);
        assertEquals(1, count(clients, "\"role\":\"publish\",\"stream\":\"live/x\""), clients);
        assertEquals(2, count(clients, "\"role\":\"play\",\"stream\":\"live/x\""), clients);
        assertEquals(1, count(clients, "\"protocol\":\"http-flv\""), clients);

        String metrics = body("/metrics");
        assertTrue(metrics.contains("\nstreamkit_connections{protocol=\"rtmp\"} 2\n"), metrics);
        assertTrue(metrics.contains("\nstreamkit_connections{protocol=\"http-flv\"} 1\n"), metrics);
        assertTrue(metrics.contains("\nstreamkit_streams 1\n"), metrics);
        assertTrue(metrics.contains("streamkit_stream_players{app=\"live\",name=\"x\",protocol=\"rtmp\"} 1"), metrics);
        assertTrue(metrics.contains("streamkit_stream_bytes_per_second{app=\"live\",name=\"x\",direction=\"in\","
                + "track=\"0\",type=\"video\"}"), metrics);
        assertPromtoolAccepts(metrics);
        long bytesOut = number(metrics, "\nstreamkit_bytes_out_total (\\d+)");
        Await.until(Duration.ofSeconds(10), () -> number(body("/metrics"), "\nstreamkit_bytes_out_total (\\d+)") > bytesOut,
                () -> "bytes out rising past " + bytesOut);

        // Kick the publisher with the token: ffmpeg is disconnected and exits, the stream is gone.
        HttpResponse<String> kick = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/api/streams/live/x")).DELETE().header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, kick.statusCode(), kick.body());
        assertTrue(publisher.waitFor(15, TimeUnit.SECONDS), "the publisher's ffmpeg exits after the kick");
        assertEquals(404, get("/api/streams/live/x").statusCode());
        assertTrue(!body("/api/streams").contains("\"name\":\"x\""));
        assertTrue(rtmpPlayer.waitFor(15, TimeUnit.SECONDS), "the RTMP player's ffmpeg ends with the stream");
        assertTrue(flvPlayer.waitFor(15, TimeUnit.SECONDS), "the HTTP-FLV player's ffmpeg ends with the stream");
        Await.until(Duration.ofSeconds(10), () -> body("/api/clients").equals("{\"clients\":[]}"),
                () -> "every client gone: " + body("/api/clients"));
        String after = body("/metrics");
        assertTrue(after.contains("\nstreamkit_streams 0\n"), after);
        assertTrue(number(after, "\nstreamkit_bytes_out_total (\\d+)") > bytesOut, "bytes out survive the stream");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Prometheus's own linter on the exposition: names, units, types, HELP. */
    private void assertPromtoolAccepts(String metrics) throws IOException, InterruptedException {
        ExternalTool.require("promtool");
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, metrics);
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true)
                .redirectInput(file.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool ran over 30 s");
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    }
}
