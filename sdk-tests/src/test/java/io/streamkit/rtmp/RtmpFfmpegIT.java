package io.streamkit.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ffmpeg publishes over RTMP; ffmpeg, ffprobe and rtmpdump play it back. */
class RtmpFfmpegIT {
    @TempDir
    Path dir;

    private MediaServer server;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() {
        ExternalTool.require("ffmpeg");
        server = MediaServer.builder().ioThreads(2).rtmp(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO))
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
    void ffmpegPublishesH264AacAndFfmpegPlaysItBack() throws Exception {
        String url = url("live/test");
        Process publisher = publish(url, 8, true, true);
        StreamKey key = StreamKey.of("live", "test");
        Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "stream live with 2 tracks: " + server.streams().stream(key));

        Path out = dir.resolve("played.flv");
        String played = ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", url, "-c", "copy", "-f", "flv", out.toString());
        assertEquals("", played);
        assertTrue(publisher.waitFor(30, TimeUnit.SECONDS), "publisher finished");

        Map<String, String> v = probe(out, "v:0");
        assertEquals("h264", v.get("codec_name"));
        assertEquals("320", v.get("width"));
        assertEquals("240", v.get("height"));
        int frames = Integer.parseInt(v.get("nb_read_frames"));
        assertTrue(frames >= 100 && frames <= 200, "video frames played: " + frames);
        Map<String, String> a = probe(out, "a:0");
        assertEquals("aac", a.get("codec_name"));
        assertEquals("44100", a.get("sample_rate"));
        String errors = ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", out.toString(), "-f", "null", "-");
        assertEquals("", errors, "the played stream decodes without an error");
    }

    @Test
    void rtmpdumpPlaysIt() throws Exception {
        ExternalTool.require("rtmpdump");
        String url = url("live/dump");
        Process publisher = publish(url, 6, true, true);
        StreamKey key = StreamKey.of("live", "dump");
        Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "stream live");
        Path out = dir.resolve("dumped.flv");
        ExternalTool.run(60, "rtmpdump", "-q", "--live", "-r", url, "-o", out.toString());
        assertTrue(publisher.waitFor(30, TimeUnit.SECONDS));
        Map<String, String> v = probe(out, "v:0");
        assertEquals("h264", v.get("codec_name"));
        assertEquals("320", v.get("width"));
        assertTrue(Integer.parseInt(v.get("nb_read_frames")) >= 50, "frames: " + v.get("nb_read_frames"));
        assertEquals("aac", probe(out, "a:0").get("codec_name"));
        assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", out.toString(), "-f", "null", "-"));
    }

    @Test
    void audioOnlyAndVideoOnlyStreamsPlayBack() throws Exception {
        for (boolean video : new boolean[] {true, false}) {
            String name = video ? "live/videoonly" : "live/audioonly";
            String url = url(name);
            Process publisher = publish(url, 5, video, !video);
            StreamKey key = StreamKey.parse(name);
            Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key).map(s -> s.tracks().size() == 1).orElse(false),
                    () -> "stream live with one track");
            Path out = dir.resolve(video ? "v.flv" : "a.flv");
            assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", url, "-c", "copy", "-f", "flv", out.toString()));
            assertTrue(publisher.waitFor(30, TimeUnit.SECONDS));
            Map<String, String> s = probe(out, "0");
            assertEquals(video ? "h264" : "aac", s.get("codec_name"));
            assertTrue(Integer.parseInt(s.get("nb_read_frames")) >= 25, name + " frames: " + s.get("nb_read_frames"));
            assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", out.toString(), "-f", "null", "-"));
        }
    }

    @Test
    void withoutBatchingPlayersSharingALoopGetTheWholeStreamPastTheIdleTimeout() throws Exception {
        ExternalTool.require("rtmpdump");
        // A server of its own: one I/O thread, so both players share a loop and the copies it
        // joins for them; every frame written at once, straight to the sockets; and an idle
        // timeout far inside the stream, which players that only receive must not reach.
        try (MediaServer own = MediaServer.builder().ioThreads(1)
                .rtmp(0, r -> r.writeBatch(Duration.ZERO).idleTimeout(Duration.ofSeconds(1)))
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)).start()) {
            String url = "rtmp://127.0.0.1:" + own.rtmpPort().getAsInt() + "/live/nobatch";
            Process publisher = publish(url, 8, true, true);
            StreamKey key = StreamKey.of("live", "nobatch");
            Await.until(Duration.ofSeconds(20), () -> own.streams().stream(key).map(s -> s.tracks().size() == 2).orElse(false),
                    () -> "stream live");
            Path recorded = dir.resolve("nobatch-ffmpeg.flv");
            Path dumped = dir.resolve("nobatch-rtmpdump.flv");
            Process ffmpeg = start("player-ffmpeg", "ffmpeg", "-v", "error", "-i", url, "-c", "copy", "-f", "flv",
                    recorded.toString());
            Process rtmpdump = start("player-rtmpdump", "rtmpdump", "-q", "--live", "-r", url, "-o", dumped.toString());
            assertTrue(publisher.waitFor(30, TimeUnit.SECONDS), "publisher finished");
            assertTrue(ffmpeg.waitFor(30, TimeUnit.SECONDS), "ffmpeg player finished");
            assertTrue(rtmpdump.waitFor(30, TimeUnit.SECONDS), "rtmpdump finished");
            for (Path out : List.of(recorded, dumped)) {
                Map<String, String> v = probe(out, "v:0");
                assertEquals("h264", v.get("codec_name"), out.toString());
                assertEquals("320", v.get("width"));
                // 8 s at 25 fps; a player joins a second or so in and starts at the last keyframe
                // (every 25 frames). One closed by the idle timeout would have about 50.
                int frames = Integer.parseInt(v.get("nb_read_frames"));
                assertTrue(frames >= 150 && frames <= 200, out.getFileName() + " video frames: " + frames);
                assertEquals("aac", probe(out, "a:0").get("codec_name"));
                assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", out.toString(), "-f", "null", "-"),
                        out.getFileName() + " decodes without an error");
            }
        }
    }

    /** Starts a tool with its output in {@code name}.log in the test's directory; stopped after the test. */
    private Process start(String name, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        return p;
    }

    private String url(String path) {
        return "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/" + path;
    }

    /** ffmpeg sending a synthetic 320x240 25 fps H.264 (2 s GOP is 50 frames; here 25) and AAC stream in real time. */
    private Process publish(String url, int seconds, boolean video, boolean audio) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-re"));
        if (video) {
            cmd.addAll(List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25"));
        }
        if (audio) {
            cmd.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
        }
        cmd.addAll(List.of("-t", String.valueOf(seconds)));
        if (video) {
            cmd.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
                    "-pix_fmt", "yuv420p"));
        }
        if (audio) {
            cmd.addAll(List.of("-c:a", "aac", "-b:a", "64k"));
        }
        cmd.addAll(List.of("-f", "flv", url));
        return start("publisher", cmd.toArray(String[]::new));
    }

    private static Map<String, String> probe(Path file, String stream) {
        String out = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames", "-select_streams", stream,
                "-show_entries", "stream=codec_name,width,height,sample_rate,channels,nb_read_frames",
                "-of", "default=noprint_wrappers=1", file.toString());
        Map<String, String> fields = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return fields;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
