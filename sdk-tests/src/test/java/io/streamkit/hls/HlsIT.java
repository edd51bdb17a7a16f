package io.streamkit.hls;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ffmpeg publishes over RTMP; ffprobe and ffmpeg read the HLS rendition, segment by segment. */
class HlsIT {
    private static final Pattern SEGMENT = Pattern.compile("#EXTINF:([0-9.]+),\\n([^\\n]+)\\n");

    @TempDir
    Path dir;

    private MediaServer server;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StreamKey key = StreamKey.of("live", "hls");

    @BeforeEach
    void start() {
        ExternalTool.require("ffmpeg");
        server = MediaServer.builder().ioThreads(2).rtmp(0).http(0).hls()
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ofSeconds(8)))
                .start();
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (server != null) {   // null when a missing tool skipped the test
            server.close();
        }
    }

    @Test
    void everySegmentDecodesRespectsTheTargetAndContinuesTheLastOne() throws Exception {
        Process publisher = publish(20, "first.log");   // the issue asks for a 20 s run
        String playlistUrl = base() + "/live/hls.m3u8";
        Await.until(Duration.ofSeconds(30), () -> get(playlistUrl).statusCode() == 200, () -> "playlist ready");

        String streams = ExternalTool.run(60, "ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", playlistUrl);
        assertTrue(streams.contains("h264,320,240"), streams);
        assertTrue(streams.contains("aac"), streams);

        // A viewer's session: the playlist URL answers a multivariant playlist whose variant is the session's.
        String master = get(playlistUrl).body();
        assertTrue(master.startsWith("#EXTM3U\n") && master.contains("#EXT-X-STREAM-INF:BANDWIDTH="), master);
        assertEquals("no-store", get(playlistUrl).headers().firstValue("cache-control").orElse(""));
        String mediaUrl = HlsPlaylists.media(http, playlistUrl);
        assertTrue(mediaUrl.startsWith(base() + "/live/hls.m3u8?hs="), mediaUrl);

        // Follow the live playlist and fetch every segment once, until the publisher is done.
        Map<String, Double> durations = new LinkedHashMap<>();   // by segment URI (signature and all), first seen
        Map<String, String> byPath = new LinkedHashMap<>();
        List<String> playlists = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (publisher.isAlive() && System.nanoTime() < deadline) {
            String m3u8 = get(mediaUrl).body();
            playlists.add(m3u8);
            Matcher m = SEGMENT.matcher(m3u8);
            while (m.find()) {
                if (byPath.putIfAbsent(m.group(2).replaceAll("\\?.*", ""), m.group(2)) == null) {
                    durations.put(m.group(2), Double.parseDouble(m.group(1)));
                }
            }
            publisher.waitFor(1, TimeUnit.SECONDS);
        }
        assertTrue(durations.size() >= 8, "segments seen: " + durations.size());
        String last = playlists.get(playlists.size() - 1);
        long target = Long.parseLong(field(last, "#EXT-X-TARGETDURATION:"));
        assertEquals(2, target, "2 s segments from a 2 s GOP");
        assertEquals("application/vnd.apple.mpegurl", get(mediaUrl).headers().firstValue("content-type").orElse(""));
        assertEquals("no-cache", get(mediaUrl).headers().firstValue("cache-control").orElse(""));

        double expectedStart = Double.NaN;
        int i = 0;
        for (Map.Entry<String, Double> e : durations.entrySet()) {
            String uri = e.getKey();
            double extinf = e.getValue();
            assertTrue(Math.round(extinf) <= target, "segment " + uri + " lasts " + extinf + " s, over the target " + target);
            Path file = dir.resolve("seg" + (i++) + ".ts");
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/live/" + uri))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofFile(file));
            if (r.statusCode() == 404) {
                continue;   // left the window while we were reading
            }
            assertEquals(200, r.statusCode(), uri);
            assertEquals("video/mp2t", r.headers().firstValue("content-type").orElse(""));
            assertTrue(r.headers().firstValue("cache-control").orElse("").contains("max-age"), "segments are cacheable");
            assertEquals("*", r.headers().firstValue("access-control-allow-origin").orElse(""));
            assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-"),
                    "segment " + uri + " decodes without a message");
            double start = Double.parseDouble(ExternalTool.run(30, "ffprobe", "-v", "error", "-select_streams", "v:0",
                    "-show_entries", "stream=start_time", "-of", "csv=p=0", file.toString()).trim().split("\\s+")[0]);
            String firstFrame = ExternalTool.run(30, "ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1",
                    "-show_entries", "packet=flags", "-of", "csv=p=0", file.toString()).trim().split("\\s+")[0];
            assertTrue(firstFrame.startsWith("K"), "segment " + uri + " starts with a keyframe: " + firstFrame);
            if (!Double.isNaN(expectedStart)) {
                assertEquals(expectedStart, start, 0.05, "segment " + uri + " continues the one before");
            }
            expectedStart = start + extinf;
        }

        // The segment URL without the viewer's session is refused, and so is another stream's session.
        String first = durations.keySet().iterator().next();
        String unsigned = first.replaceAll("\\?.*", "");
        assertEquals(403, get(base() + "/live/" + unsigned).statusCode());
        assertEquals(403, get(base() + "/live/" + unsigned + "?hs=1-AAAAAAAAAAAAAAAAAAAAAA").statusCode());
        assertEquals(403, get(base() + "/live/other/0.ts?" + first.replaceAll(".*\\?", "")).statusCode(),
                "a session is bound to its stream");
    }

    @Test
    void aRepublishedStreamKeepsARisingMediaSequenceAndMarksTheDiscontinuity() throws Exception {
        Process first = publish(6, "first.log");
        String start = base() + "/live/hls.m3u8";
        Await.until(Duration.ofSeconds(30), () -> get(start).statusCode() == 200, () -> "playlist ready");
        String playlistUrl = HlsPlaylists.media(http, start);
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        String before = get(playlistUrl).body();
        long sequenceBefore = Long.parseLong(field(before, "#EXT-X-MEDIA-SEQUENCE:"));
        int segmentsBefore = count(before, "#EXTINF");

        Process second = publish(8, "second.log");   // the encoder comes back within the 8 s grace
        Await.until(Duration.ofSeconds(30), () -> get(playlistUrl).body().contains("#EXT-X-DISCONTINUITY\n"),
                () -> "a discontinuity in " + get(playlistUrl).body());
        assertTrue(second.waitFor(30, TimeUnit.SECONDS));
        String after = get(playlistUrl).body();
        long sequenceAfter = Long.parseLong(field(after, "#EXT-X-MEDIA-SEQUENCE:"));
        assertTrue(sequenceAfter + count(after, "#EXTINF") > sequenceBefore + segmentsBefore,
                "the media sequence rose: " + sequenceBefore + "+" + segmentsBefore + " then " + sequenceAfter + "+"
                        + count(after, "#EXTINF") + "\n" + after);
        assertTrue(sequenceAfter >= sequenceBefore, "never backwards");
    }

    private String base() {
        return "http://127.0.0.1:" + server.httpPort().getAsInt();
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private Process publish(int seconds, String log) throws IOException {
        Process p = new ProcessBuilder(List.of("ffmpeg", "-v", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-f", "flv",
                "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/hls"))
                .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        return p;
    }

    private static String field(String playlist, String tag) {
        int i = playlist.indexOf(tag);
        if (i < 0) {
            throw new AssertionError(tag + " missing from\n" + playlist);
        }
        return playlist.substring(i + tag.length(), playlist.indexOf('\n', i)).trim();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
