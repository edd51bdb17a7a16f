package io.streamkit.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.server.players.Peers;
import io.streamkit.server.players.Players;
import io.streamkit.server.players.Processes;
import io.streamkit.server.players.Timeline;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An RTSP player other than ffmpeg, of a stream ffmpeg publishes over RTMP: GStreamer's
 * {@code rtspsrc} (with its defaults: a 2 s jitter buffer that follows the sender's clock) over TCP
 * and over UDP. It plays for several seconds into an MPEG-TS file that ffprobe reads: both
 * tracks, every frame step within two frames, audio and video starting within 100 ms of each
 * other. VLC is not here: Debian's VLC 3.0 has no RTSP client (live555 left Debian; its
 * {@code realrtsp} access speaks only to RealNetworks servers).
 */
class RtspPlayersIT {
    private static final int PLAY_SECONDS = 10;

    @TempDir
    Path dir;
    private Peers peers;
    private final Processes processes = new Processes();
    private MediaServer server;
    private String url;

    @BeforeEach
    void start() {
        peers = new Peers(dir);
        server = MediaServer.builder().ioThreads(2).rtmp(0).rtsp(0).start();
        peers.publish("rtmp://127.0.0.1:" + server.rtmpPort().orElseThrow() + "/live/players", 40);
        StreamKey key = StreamKey.parse("live/players");
        Await.until(Peers.WAIT, () -> server.streams().stream(key).map(s -> s.live() && s.tracks().size() == 2).orElse(false),
                () -> "live/players live with two tracks");
        url = "rtsp://127.0.0.1:" + server.port("rtsp").orElseThrow() + "/live/players";
    }

    @AfterEach
    void stop() throws InterruptedException {
        processes.close();
        peers.close();
        server.close();
    }

    @Test
    void gstreamerPlaysOverTcpAndUdp() throws Exception {
        ExternalTool.require("gst-launch-1.0");
        // both at once: each plays in real time
        java.util.concurrent.CompletableFuture<Void> tcp = java.util.concurrent.CompletableFuture.runAsync(() -> gstreamer("tcp"));
        gstreamer("udp");
        tcp.join();
    }

    private void gstreamer(String protocol) {
        Path ts = dir.resolve("gst-" + protocol + ".ts");
        Path log = dir.resolve("gst-" + protocol + ".log");
        Process p = processes.start(log, log, List.of("gst-launch-1.0", "-q", "-e", "rtspsrc", "location=" + url,
                "protocols=" + protocol, "name=s",
                "s.", "!", "rtph264depay", "!", "h264parse", "!", "queue", "!", "mpegtsmux", "name=m", "!",
                "filesink", "location=" + ts,
                "s.", "!", "rtpmp4gdepay", "!", "aacparse", "!", "queue", "!", "m."));
        assertTrue(!Processes.waitFor(p, Duration.ofSeconds(PLAY_SECONDS)),
                "gst-launch-1.0 ended by itself: " + Processes.tail(log));
        try {
            // SIGINT: with -e, gst-launch sends EOS and the muxer writes what it holds before it exits
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("could not interrupt gst-launch-1.0", e);
        }
        Processes.waitFor(p, Duration.ofSeconds(10));
        Processes.stop(p);
        assertPlayed(Players.probe(processes, ts), "GStreamer rtspsrc over " + protocol, log);
    }

    /** Whether every step between frames is at most 400 ms either way. */
    private static boolean smallSteps(List<Long> times) {
        for (int i = 1; i < times.size(); i++) {
            if (Math.abs(times.get(i) - times.get(i - 1)) > 400_000) {
                return false;
            }
        }
        return true;
    }

    private static void assertPlayed(Timeline t, String who, Path log) {
        List<String> problems = new java.util.ArrayList<>(t.problems(Set.of("video", "audio"), false,
                (PLAY_SECONDS - 3) * 1_000_000L, (PLAY_SECONDS + 3) * 1_000_000L));
        // rtpbin may put a track's times out of line for a packet or two, by up to a few hundred ms, and back,
        // once: at the first periodic sender report after the burst of the GOP cache a player starts with,
        // when its jitter buffers' skew estimates have moved on from the burst (seen over TCP and UDP, at
        // about 5 s; 130 to 290 ms seen). At most two such steps of at most 400 ms, after which the times
        // run on as before, are A/V sync kept, not lost.
        problems.removeIf(p -> p.matches("(audio|video): [12] step\\(s\\) outside .*")
                && smallSteps(t.of(p.substring(0, "video".length()))));
        assertEquals(List.of(), problems, who + ": " + t.summary() + "\n" + Processes.tail(log));
        long video = t.of("video").get(0);
        long audio = t.of("audio").get(0);
        assertTrue(Math.abs(video - audio) <= 100_000, who + ": first video at " + video / 1000 + " ms, first audio at "
                + audio / 1000 + " ms: " + t.summary());
    }
}
