package io.streamkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.RelayState;
import io.streamkit.server.MediaServer;
import io.streamkit.server.players.Peers;
import io.streamkit.server.players.Players;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP-FLV relay client (the {@code http://} scheme) pulling from two independent origins:
 * another Streamkit server, and Node-Media-Server 2.7 (npm, pinned in {@code browser-tests/}),
 * each fed by ffmpeg over RTMP; ffprobe then reads the pulled stream from this server over RTMP.
 * nginx-rtmp has no HTTP-FLV output, so it cannot be one of them.
 */
class HttpFlvPullIT {
    @TempDir
    Path dir;

    private Peers peers;
    private MediaServer a;
    private MediaServer b;
    private Process nms;

    @AfterEach
    void stop() throws InterruptedException {
        for (MediaServer s : new MediaServer[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
        if (nms != null) {
            Peers.stop(nms);
        }
        if (peers != null) {
            peers.close();
        }
    }

    @Test
    void aPullFromAnotherStreamkitServersHttpFlvPlaysHere() throws Exception {
        peers = new Peers(dir);
        a = MediaServer.builder().ioThreads(1).rtmp(0).http(0).start();
        peers.publish("rtmp://127.0.0.1:" + a.rtmpPort().getAsInt() + "/live/src", 60);
        assertPullPlays("http://127.0.0.1:" + a.httpPort().getAsInt() + "/live/src.flv?token=t");
    }

    @Test
    void aPullFromNodeMediaServersHttpFlvPlaysHere() throws Exception {
        ExternalTool.require("node");
        Path script = Players.BROWSER_TESTS.resolve("nms.mjs");
        ExternalTool.requireFile(Players.BROWSER_TESTS.resolve("node_modules/node-media-server/package.json"),
                "run `npm ci` in browser-tests/");
        peers = new Peers(dir);
        int rtmp = Peers.freePort();
        int http = Peers.freePort();
        Path log = dir.resolve("nms.log");
        nms = new ProcessBuilder("node", script.toString(), String.valueOf(rtmp), String.valueOf(http))
                .directory(Players.BROWSER_TESTS.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Await.until(Peers.WAIT, () -> read(log).contains("ready"), () -> "Node-Media-Server started: " + read(log));
        peers.publish("rtmp://127.0.0.1:" + rtmp + "/live/src", 60);
        assertPullPlays("http://127.0.0.1:" + http + "/live/src.flv");
    }

    private void assertPullPlays(String source) throws Exception {
        StreamKey key = StreamKey.of("pulled", "src");
        b = MediaServer.builder().ioThreads(1).rtmp(0).relays(r -> r.pull(source, key)).start();
        Relays relays = b.relays().orElseThrow();
        Await.until(Peers.WAIT, () -> relays.list().get(0).status().state() == RelayState.LIVE
                        && b.streams().stream(key).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "pulled " + source + ": " + relays.list());
        Map<String, Map<String, String>> probe = peers.probe("rtmp://127.0.0.1:" + b.rtmpPort().getAsInt() + "/pulled/src", 3);
        Map<String, String> v = probe.get("v:0");
        assertEquals("h264", v.get("codec_name"), probe.toString());
        assertEquals("320", v.get("width"), probe.toString());
        assertEquals("240", v.get("height"), probe.toString());
        assertTrue(Integer.parseInt(v.getOrDefault("nb_read_frames", "0")) >= 50, probe.toString());
        assertEquals("aac", probe.get("a:0").get("codec_name"), probe.toString());
        assertEquals("44100", probe.get("a:0").get("sample_rate"), probe.toString());
        RelayInfo pull = relays.list().get(0);
        assertEquals(source.replaceAll("\\?.*", ""), pull.url(), "shown without its query");
        assertTrue(pull.status().bytes() > 100_000, pull::toString);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
