package io.streamkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.RelayState;
import io.streamkit.server.MediaServer;
import io.streamkit.server.players.Peers;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static pulls that reconnect, and on-demand pulls that concurrent first players share. */
class PullIT {
    @TempDir
    Path dir;

    private Peers peers;
    private MediaServer a;
    private MediaServer b;

    @AfterEach
    void stop() throws InterruptedException {
        for (MediaServer s : new MediaServer[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
        if (peers != null) {
            peers.close();
        }
    }

    @Test
    void aStaticPullFromNginxReconnectsWhenTheCameraComesBack() throws Exception {
        peers = new Peers(dir);
        int nginx = peers.nginx();
        String camera = "rtmp://127.0.0.1:" + nginx + "/live/cam";
        StreamKey key = StreamKey.of("cams", "one");
        b = MediaServer.builder().ioThreads(1).rtmp(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ofSeconds(15)))
                .relays(r -> r.pull(camera, key).retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
                .start();
        Relays relays = b.relays().orElseThrow();
        assertEquals(1, relays.list().size());
        Process publisher = peers.publish(camera, 60);
        Await.until(Peers.WAIT, () -> live(b, key), () -> "pulled from nginx: " + relays.list());
        Map<String, Map<String, String>> probe = peers.probe("rtmp://127.0.0.1:" + b.rtmpPort().getAsInt() + "/cams/one", 2);
        assertEquals("h264", probe.get("v:0").get("codec_name"), probe.toString());
        assertEquals("aac", probe.get("a:0").get("codec_name"), probe.toString());

        Peers.stop(publisher);   // the camera goes away ...
        Await.until(Peers.WAIT, () -> relays.list().get(0).status().state() != RelayState.LIVE,
                () -> "the pull noticed: " + relays.list());
        int attempts = relays.list().get(0).status().attempts();
        peers.publish(camera, 60);   // ... and comes back
        Await.until(Peers.WAIT, () -> relays.list().get(0).status().state() == RelayState.LIVE
                        && relays.list().get(0).status().attempts() > attempts && live(b, key),
                () -> "the pull reconnected: " + relays.list());
        probe = peers.probe("rtmp://127.0.0.1:" + b.rtmpPort().getAsInt() + "/cams/one", 2);
        assertTrue(Integer.parseInt(probe.get("v:0").getOrDefault("nb_read_frames", "0")) >= 25, probe.toString());
        assertEquals(RelayKind.PULL, relays.list().get(0).kind());
        assertTrue(relays.list().get(0).status().bytes() > 100_000, relays.list()::toString);
    }

    @Test
    void concurrentFirstPlayersShareOneOnDemandPull() throws Exception {
        peers = new Peers(dir);
        a = MediaServer.builder().ioThreads(1).rtmp(0).start();
        String origin = "rtmp://127.0.0.1:" + a.rtmpPort().getAsInt();
        b = MediaServer.builder().ioThreads(2).rtmp(0).http(0)
                .policy(StreamPolicy.defaults().withPlayWait(Duration.ofSeconds(3)))
                .relays(r -> r.pullOnDemand(k -> k.app().equals("live") ? origin + "/live/" + k.name() : null)
                        .idleTimeout(Duration.ofSeconds(1)))
                .start();
        StreamKey key = StreamKey.of("live", "shared");
        peers.publish(origin + "/live/shared", 60);
        Await.until(Peers.WAIT, () -> live(a, key), () -> "published at A");

        int http = b.httpPort().getAsInt();
        List<CompletableFuture<String>> players = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            players.add(CompletableFuture.supplyAsync(() -> flvHead(http, "/live/shared.flv")));
        }
        for (CompletableFuture<String> p : players) {
            String head = p.get(30, TimeUnit.SECONDS);
            assertTrue(head.startsWith("HTTP/1.1 200") && head.endsWith("FLV"), head);
        }
        Relays relays = b.relays().orElseThrow();
        assertEquals(1, relays.list().size(), relays.list()::toString);
        assertEquals(1, a.streams().stream(key).orElseThrow().subscribers(), "one pull from A for ten players");
        String none = flvHead(http, "/other/none.flv");   // no source for it: the play wait runs out, no pull
        assertTrue(none.startsWith("HTTP/1.1 404"), none);
        assertEquals(List.of(), relays.list().stream().filter(r -> r.stream().app().equals("other")).toList(),
                "no pull without a source");
    }

    @Test
    void anHlsViewerOfAMissingStreamStartsAnOnDemandPullToo() throws Exception {
        peers = new Peers(dir);
        a = MediaServer.builder().ioThreads(1).rtmp(0).start();
        String origin = "rtmp://127.0.0.1:" + a.rtmpPort().getAsInt();
        b = MediaServer.builder().ioThreads(2).http(0).hls(h -> h.segmentDuration(Duration.ofSeconds(1)))
                .relays(r -> r.edge(origin).idleTimeout(Duration.ofSeconds(1)))
                .start();
        StreamKey key = StreamKey.of("live", "tv");
        peers.publish(origin + "/live/tv", 60);
        Await.until(Peers.WAIT, () -> live(a, key), () -> "published at A");
        Map<String, Map<String, String>> probe = peers.probe("http://127.0.0.1:" + b.httpPort().getAsInt() + "/live/tv.m3u8", 3);
        assertEquals("h264", probe.get("v:0").get("codec_name"), probe.toString());
        assertEquals("240", probe.get("v:0").get("height"), probe.toString());
        assertEquals("aac", probe.get("a:0").get("codec_name"), probe.toString());
        assertTrue(Integer.parseInt(probe.get("v:0").getOrDefault("nb_read_frames", "0")) >= 25, probe.toString());
        RelayInfo pull = b.relays().orElseThrow().list().get(0);
        assertEquals(RelayKind.ON_DEMAND, pull.kind());
        assertEquals(origin + "/live/tv", pull.url());
    }

    private static boolean live(MediaServer server, StreamKey key) {
        return server.streams().stream(key).map(s -> s.live() && s.tracks().size() == 2).orElse(false);
    }

    /** Reads a streamed answer up to the FLV signature, then hangs up. */
    static String flvHead(int port, String path) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().endsWith("FLV") && seen.length() < 4096) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                seen.append((char) c);
            }
            return seen.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
