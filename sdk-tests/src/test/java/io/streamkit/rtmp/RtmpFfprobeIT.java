package io.streamkit.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a libavformat player (ffprobe here; ffplay, mpv and VLC share the code) sees when it
 * starts playing: exactly the streams published, and answers it reads without a warning.
 */
class RtmpFfprobeIT {
    @TempDir
    Path dir;

    private MediaServer server;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("ffprobe");
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
    void ffprobeListsTheAudioAndVideoStreamsAndNothingElseWithoutUnexpectedReplies() throws Exception {
        String url = publish("live/av", true, true);
        Path log = dir.resolve("ffprobe-av.log");
        int exit = run(log, "ffprobe", "-loglevel", "debug", "-show_entries", "stream=codec_type,codec_name",
                "-of", "csv=p=0", url);
        String out = Files.readString(log);
        assertEquals(0, exit, out);
        // ffprobe sends getStreamLength before play (its default -rtmp_live any); a _result without a
        // number after the null made it print "Unexpected reply on getStreamLength()"
        assertFalse(out.contains("Unexpected reply"), "a reply ffprobe did not expect:\n" + lines(out, "Unexpected reply"));
        assertEquals(List.of("aac,audio", "h264,video"), streams(out).stream().sorted().toList(), "streams listed:\n" + out);
    }

    @Test
    void anAudioOnlyStreamIsOneStream() throws Exception {
        String url = publish("live/audio", false, true);
        Path log = dir.resolve("ffprobe-audio.log");
        int exit = run(log, "ffprobe", "-loglevel", "verbose", "-show_entries", "stream=codec_type,codec_name",
                "-of", "csv=p=0", url);
        String out = Files.readString(log);
        assertEquals(0, exit, out);
        assertFalse(out.contains("Unexpected reply"), lines(out, "Unexpected reply"));
        assertEquals(List.of("aac,audio"), streams(out), "streams listed:\n" + out);
    }

    /** Starts ffmpeg publishing lavfi sources in real time for 20 s and waits until the stream has its tracks. */
    private String publish(String path, boolean video, boolean audio) throws IOException {
        String url = "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/" + path;
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-re"));
        if (video) {
            cmd.addAll(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25"));
        }
        if (audio) {
            cmd.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440"));
        }
        cmd.addAll(List.of("-t", "20"));
        if (video) {
            cmd.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p"));
        }
        if (audio) {
            cmd.addAll(List.of("-c:a", "aac"));
        }
        cmd.addAll(List.of("-f", "flv", url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("publisher-" + path.replace('/', '-') + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        int tracks = (video ? 1 : 0) + (audio ? 1 : 0);
        StreamKey key = StreamKey.parse(path);
        Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key).map(s -> s.tracks().size() == tracks)
                .orElse(false), () -> path + " live with " + tracks + " track(s)");
        return url;
    }

    /** Runs a tool to its end within 60 s with standard output and error both in {@code log}; returns its exit status. */
    private int run(Path log, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish within 60 s");
        return p.exitValue();
    }

    /** The {@code codec_name,codec_type} lines ffprobe printed for the streams, in order. */
    private static List<String> streams(String out) {
        return out.lines().filter(l -> l.matches("[a-z0-9_]*,(video|audio|data|subtitle|attachment|unknown)")).toList();
    }

    private static String lines(String out, String containing) {
        return String.join("\n", out.lines().filter(l -> l.contains(containing)).toList());
    }
}
