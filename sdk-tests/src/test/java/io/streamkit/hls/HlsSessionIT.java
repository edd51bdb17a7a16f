package io.streamkit.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.PlayEvent;
import io.streamkit.hook.ServerListener;
import io.streamkit.hook.StreamTokens;
import io.streamkit.server.ClientInfo;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-viewer HLS sessions with real clients: hls.js in Chromium plays a token-protected stream for
 * 20 s as one client and one play; a segment URL without the viewer's session gets 403; a kicked
 * session's next segment and reload get 403 and its stop is announced.
 */
class HlsSessionIT {
    private static final Pattern SEGMENT = Pattern.compile("#EXTINF:[0-9.]+,\\n([^\\n]+)\\n");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aTokenViewerPlaysInHlsJsAsOneClientAndCopiedOrKickedSessionsAreRefused() throws Exception {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("node");
        ExternalTool.require("chromium");
        ExternalTool.requireFile(HlsBrowserIT.BROWSER_TESTS.resolve("node_modules/hls.js/dist/hls.min.js"),
                "run 'npm ci' in " + HlsBrowserIT.BROWSER_TESTS);
        StreamTokens tokens = StreamTokens.hmacSha256("a secret of the application".getBytes(StandardCharsets.UTF_8));
        StreamKey key = StreamKey.of("live", "secure");
        List<PlayEvent> plays = new CopyOnWriteArrayList<>();
        List<PlayEvent> stops = new CopyOnWriteArrayList<>();
        try (MediaServer server = MediaServer.builder().ioThreads(2).rtmp(0).http(0).hls()
                .onPlay(tokens.handler("token"))
                .listener(new ServerListener() {
                    @Override
                    public void onPlay(PlayEvent event) {
                        if (event.protocol().equals("hls")) {
                            plays.add(event);
                        }
                    }

                    @Override
                    public void onStop(PlayEvent event) {
                        if (event.protocol().equals("hls")) {
                            stops.add(event);
                        }
                    }
                }).start()) {
            Process publisher = new ProcessBuilder(List.of("ffmpeg", "-v", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50",
                    "-pix_fmt", "yuv420p", "-profile:v", "baseline", "-c:a", "aac", "-b:a", "64k", "-f", "flv",
                    "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/secure"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("publisher.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            Process browser = null;
            try {
                Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key)
                        .map(s -> s.tracks().size() == 2).orElse(false), () -> "stream live");
                String base = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/live/secure.m3u8";
                String token = tokens.sign(key, AuthRequest.Action.PLAY, Instant.now().plusSeconds(600));
                assertEquals(403, get(base).statusCode(), "no token, no playlist");
                assertEquals(403, get(base + "?token=" + tokens.sign(StreamKey.of("live", "other"), AuthRequest.Action.PLAY,
                        Instant.now().plusSeconds(600))).statusCode(), "another stream's token");

                browser = new ProcessBuilder(List.of("node", HlsBrowserIT.BROWSER_TESTS.resolve("play.mjs").toString(), "hls",
                        base + "?token=" + token, "20", "90"))
                        .redirectErrorStream(true).redirectOutput(dir.resolve("browser.log").toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                Await.until(Duration.ofSeconds(60), () -> hlsClients(server).size() == 1, () -> "the browser's session: "
                        + server.clients());
                long browserSession = hlsClients(server).get(0).id();

                // Our own viewer: a session of its own, and its segment URL without the session.
                String media = HlsPlaylists.media(http, base + "?token=" + token);
                String playlist = get(media).body();
                Matcher m = SEGMENT.matcher(playlist);
                assertTrue(m.find(), playlist);
                String segment = URI.create(media).resolve(m.group(1)).toString();
                assertTrue(segment.contains("?hs="), segment);
                assertEquals(200, get(segment).statusCode());
                String copied = segment.replaceAll("\\?.*", "");
                HttpResponse<String> refused = get(copied);
                assertEquals(403, refused.statusCode());
                assertTrue(refused.body().contains("session"), refused.body());
                assertEquals(403, get(copied + "?token=" + token).statusCode(), "a token is no session for a segment");
                Await.until(Duration.ofSeconds(5), () -> hlsClients(server).size() == 2, () -> "two sessions: "
                        + server.clients());

                long ours = hlsClients(server).stream().mapToLong(ClientInfo::id).filter(id -> id != browserSession)
                        .findFirst().orElseThrow();
                assertTrue(server.kick(ours));
                assertEquals(403, get(segment).statusCode(), "a kicked session's next segment");
                assertEquals(403, get(media).statusCode(), "a kicked session's next reload");
                assertTrue(stops.stream().anyMatch(e -> e.connectionId() == ours && e.reason() == EndReason.KICKED), stops.toString());

                assertTrue(browser.waitFor(90, TimeUnit.SECONDS), "the browser played 20 s");
                String result = Files.readString(dir.resolve("browser.log")).trim();
                System.out.println("hls.js in Chromium with a session: " + result);
                assertTrue(result.contains("\"ok\":true"), result);
                assertTrue(result.contains("\"videoWidth\":320"), result);
                assertEquals(1, plays.stream().filter(e -> e.connectionId() == browserSession).count(),
                        "one play for the browser's many requests: " + plays);
                assertEquals(2, plays.size(), plays.toString());
                assertEquals(token, plays.stream().filter(e -> e.connectionId() == browserSession).findFirst().orElseThrow()
                        .query().get("token"), "the play event carries the viewer's query");
            } finally {
                if (browser != null) {
                    browser.destroyForcibly();
                }
                publisher.destroyForcibly();
            }
        }
    }

    private static List<ClientInfo> hlsClients(MediaServer server) {
        return server.clients().stream().filter(c -> c.protocol().equals("hls")).toList();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
