package io.streamkit.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.cluster.Relays;
import io.streamkit.relay.RelayState;
import io.streamkit.server.MediaServer;
import io.streamkit.server.players.Peers;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RTSP client against independent RTSP servers. Pulling: a stand-in IP camera, GStreamer's
 * RTSP server through its Python bindings ({@code src/test/resources/rtsp/camera.py}: H.264 and
 * AAC); a static pull re-serves the camera over RTMP and HLS; the camera goes away and comes back
 * on the same port, and the pull reconnects while an RTMP player stays on the stream and gets
 * frames again. Pushing: ffmpeg listening for an ANNOUNCE and RECORD ({@code -rtsp_flags listen})
 * records what a push sends of a stream ffmpeg publishes over RTMP.
 */
class RtspRelayIT {
    /** Debian's Python, which has the GObject bindings (python3-gi); another python3 on the PATH may not. */
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path CAMERA = Path.of("src", "test", "resources", "rtsp", "camera.py").toAbsolutePath();

    @TempDir
    Path dir;
    private Peers peers;
    private MediaServer server;

    @AfterEach
    void stop() throws InterruptedException {
        if (peers != null) {
            peers.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pullsACameraAndReconnectsWhenItComesBack() throws Exception {
        ExternalTool.requireFile(Path.of(PYTHON), "install python3-gi and gir1.2-gst-rtsp-server-1.0");
        peers = new Peers(dir);
        int port = Peers.freePort();
        Process camera = camera(port, "camera-1");
        StreamKey key = StreamKey.of("cams", "door");
        server = MediaServer.builder().ioThreads(2).rtmp(0).http(0).hls()
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ofSeconds(15)))
                .relays(r -> r.pull("rtsp://127.0.0.1:" + port + "/cam", key)
                        .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
                .start();
        Relays relays = server.relays().orElseThrow();
        Await.until(Peers.WAIT, () -> live(key), () -> "pulled from the camera: " + relays.list());
        String rtmp = "rtmp://127.0.0.1:" + server.rtmpPort().orElseThrow() + "/cams/door";
        assertPlays(peers.probe(rtmp, 3), "RTMP");
        assertPlays(peers.probe("http://127.0.0.1:" + server.httpPort().orElseThrow() + "/cams/door.m3u8", 3), "HLS");

        Process player = peers.play(rtmp);
        Await.until(Peers.WAIT, () -> server.streams().stream(key).map(StreamInfo::subscribers).orElse(0) >= 1,
                () -> "an RTMP player on the pulled stream");
        Peers.stop(camera);   // the camera goes away ...
        Await.until(Peers.WAIT, () -> relays.list().get(0).status().state() != RelayState.LIVE,
                () -> "the pull noticed: " + relays.list());
        int attempts = relays.list().get(0).status().attempts();
        long before = server.streams().stream(key).map(StreamInfo::bytesOut).orElse(0L);
        camera(port, "camera-2");   // ... and comes back
        Await.until(Peers.WAIT, () -> relays.list().get(0).status().state() == RelayState.LIVE
                        && relays.list().get(0).status().attempts() > attempts && live(key),
                () -> "the pull reconnected: " + relays.list());
        Await.until(Peers.WAIT, () -> server.streams().stream(key).map(StreamInfo::bytesOut).orElse(0L) > before + 100_000,
                () -> "the player gets frames again");
        assertTrue(player.isAlive(), "the RTMP player stayed through the camera's absence");
        assertPlays(peers.probe(rtmp, 3), "RTMP after the camera came back");
        assertTrue(relays.list().get(0).status().bytes() > 100_000, relays.list()::toString);
    }

    @Test
    void pullsOverUdpTheCameraAudioFormatsLatmAndG711() throws Exception {
        ExternalTool.requireFile(Path.of(PYTHON), "install python3-gi and gir1.2-gst-rtsp-server-1.0");
        peers = new Peers(dir);
        int port = Peers.freePort();
        camera(port, "camera");
        StreamKey latm = StreamKey.of("cams", "latm");
        StreamKey g711 = StreamKey.of("cams", "g711");
        // the fragment is the client's own: RTP over UDP, to a port pair per track
        server = MediaServer.builder().ioThreads(2).rtmp(0).rtsp(0).http(0)
                .relays(r -> r.pull("rtsp://127.0.0.1:" + port + "/latm#transport=udp", latm)
                        .pull("rtsp://127.0.0.1:" + port + "/g711#transport=udp", g711)
                        .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
                .start();
        Relays relays = server.relays().orElseThrow();
        Await.until(Peers.WAIT, () -> live(latm) && live(g711), () -> "pulled over UDP: " + relays.list());
        String rtmp = "rtmp://127.0.0.1:" + server.rtmpPort().orElseThrow() + "/cams/";
        assertPlays(peers.probe(rtmp + "latm", 3), "MP4A-LATM over RTMP", "aac", "44100", 120);
        assertPlays(peers.probe(rtmp + "g711", 3), "G.711 over RTMP", "pcm_mulaw", "8000", 0);
        assertPlays(peers.probe("http://127.0.0.1:" + server.httpPort().orElseThrow() + "/cams/g711.flv", 3),
                "G.711 over HTTP-FLV", "pcm_mulaw", "8000", 0);
        String rtsp = ExternalTool.run(60, "ffprobe", "-v", "error", "-rtsp_transport", "udp", "-show_entries",
                "stream=codec_name,sample_rate", "-of", "csv=p=0",
                "rtsp://127.0.0.1:" + server.port("rtsp").orElseThrow() + "/cams/g711");
        assertEquals(List.of("h264", "pcm_mulaw,8000"), List.of(rtsp.trim().split("\\s+")), "G.711 over RTSP/UDP");
        for (var relay : relays.list()) {
            assertEquals(1, relay.status().attempts(), relay::toString);
        }
    }

    @Test
    void pushesToFfmpegListeningForARecord() throws Exception {
        peers = new Peers(dir);
        server = MediaServer.builder().ioThreads(2).rtmp(0).start();
        peers.publish("rtmp://127.0.0.1:" + server.rtmpPort().orElseThrow() + "/live/src", 40);
        StreamKey key = StreamKey.parse("live/src");
        Await.until(Peers.WAIT, () -> live(key), () -> "live/src published");
        int port = Peers.freePort();
        String url = "rtsp://127.0.0.1:" + port + "/live/in";
        Path mkv = dir.resolve("pushed.mkv");
        Process listener = peers.start(List.of("ffmpeg", "-v", "error", "-rtsp_flags", "listen", "-listen_timeout", "30",
                "-i", url, "-t", "4", "-c", "copy", "-f", "matroska", mkv.toString()), "listener");
        // ffmpeg takes the first connection it accepts as its client, so no probe of its port: pushes are
        // tried until one is accepted (the first ones find nothing listening yet)
        io.streamkit.relay.Pusher[] pusher = new io.streamkit.relay.Pusher[1];
        Await.until(Peers.WAIT, () -> {
            io.streamkit.relay.Pusher p = server.push(key, url);
            try {
                p.start().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
                pusher[0] = p;
                return true;
            } catch (Exception refused) {
                p.close();
                return false;
            }
        }, () -> "a push accepted by ffmpeg");
        assertTrue(listener.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "ffmpeg recorded 4 s");
        assertEquals(0, listener.exitValue(), () -> "ffmpeg's exit: see " + dir.resolve("listener.log"));
        String text = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_packets",
                "-show_entries", "stream=codec_name,width,height,sample_rate,nb_read_packets", "-of", "compact", mkv.toString());
        assertTrue(text.contains("codec_name=h264|width=320|height=240"), text);
        assertTrue(text.contains("codec_name=aac|sample_rate=44100"), text);
        for (String line : text.split("\n")) {
            int n = Integer.parseInt(line.substring(line.lastIndexOf('=') + 1).trim());
            assertTrue(n >= (line.contains("h264") ? 75 : 120), "packets in 4 s: " + line);
        }
        String errors = ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", mkv.toString(), "-f", "null", "-");
        assertEquals("", errors.trim(), "decoding the pushed stream");
        Await.until(Peers.WAIT, () -> !pusher[0].isActive(), () -> "the push ended with ffmpeg's recording");
    }

    private Process camera(int port, String name) throws IOException {
        Process p = peers.start(List.of(PYTHON, CAMERA.toString(), Integer.toString(port)), name);
        Await.until(Peers.WAIT, () -> Peers.accepts(port) || !p.isAlive(), () -> "the camera listening on " + port);
        assertTrue(p.isAlive(), "the camera runs: see " + dir.resolve(name + ".log"));
        return p;
    }

    private boolean live(StreamKey key) {
        return server.streams().stream(key).map(s -> s.live() && s.tracks().size() == 2).orElse(false);
    }

    private static void assertPlays(Map<String, Map<String, String>> probe, String how) {
        assertPlays(probe, how, "aac", "44100", 0);
    }

    private static void assertPlays(Map<String, Map<String, String>> probe, String how, String audio, String rate,
                                    int minAudioFrames) {
        assertEquals("h264", probe.get("v:0").get("codec_name"), how + " " + probe);
        assertEquals("320", probe.get("v:0").get("width"), how + " " + probe);
        assertEquals("240", probe.get("v:0").get("height"), how + " " + probe);
        assertTrue(Integer.parseInt(probe.get("v:0").getOrDefault("nb_read_frames", "0")) >= 50, how + " " + probe);
        assertEquals(audio, probe.get("a:0").get("codec_name"), how + " " + probe);
        assertEquals(rate, probe.get("a:0").get("sample_rate"), how + " " + probe);
        assertTrue(Integer.parseInt(probe.get("a:0").getOrDefault("nb_read_frames", "0")) >= minAudioFrames,
                how + " " + probe);
        assertEquals("", probe.get("v:0").get("ffmpeg_errors"), how + " " + probe);
    }
}
