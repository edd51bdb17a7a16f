package io.streamkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.RelayState;
import io.streamkit.server.MediaServer;
import io.streamkit.server.players.Peers;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding from server A to real destinations at once: another Streamkit server (B) over
 * RTMP, nginx-rtmp, an RTMPS server with a self-signed certificate trusted through the client's
 * trust option, and a port that refuses connections; then a destination added through the API.
 */
class ForwardIT {
    private static final String TOKEN = "relay-test-token";

    @TempDir
    Path dir;

    private Peers peers;
    private MediaServer a;
    private MediaServer b;
    private MediaServer c;

    @AfterEach
    void stop() throws InterruptedException {
        for (MediaServer s : new MediaServer[] {a, b, c}) {
            if (s != null) {
                s.close();
            }
        }
        if (peers != null) {
            peers.close();
        }
    }

    @Test
    void aPublishedStreamReachesEveryDestinationWhileARefusingOneRetriesAndAnApiAdditionStartsAtOnce() throws Exception {
        peers = new Peers(dir);
        int nginx = peers.nginx();
        Path[] tls = peers.certificate();
        b = MediaServer.builder().ioThreads(1).rtmp(0).start();
        c = MediaServer.builder().ioThreads(1).rtmp(0, r -> r.tls(0, tls[0], tls[1])).start();
        int dead = Peers.freePort();
        int bPort = b.rtmpPort().getAsInt();
        int cTls = c.rtmpsPort().getAsInt();
        a = MediaServer.builder().ioThreads(2).rtmp(0).http(0, h -> h.apiToken(TOKEN))
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO))
                .rtmpClient(r -> r.trustCertificates(tls[0]))
                .relays(r -> r.forward(ForwardRule.to("rtmp://127.0.0.1:" + bPort))
                        .forward(ForwardRule.to("rtmp://127.0.0.1:" + nginx + "/"))
                        .forward(ForwardRule.rewrite("secure", e -> "rtmps://127.0.0.1:" + cTls + "/live/" + e.key().name()
                                + "?key=s3cret"))
                        .forward(ForwardRule.to("rtmp://127.0.0.1:" + dead).when(e -> e.key().app().equals("live")))
                        .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
                .start();
        Relays relays = a.relays().orElseThrow();
        StreamKey key = StreamKey.of("live", "src");
        peers.publish("rtmp://127.0.0.1:" + a.rtmpPort().getAsInt() + "/live/src", 40);

        Await.until(Peers.WAIT, () -> forwards(relays).stream().filter(r -> r.status().state() == RelayState.LIVE).count() == 3
                        && forwards(relays).stream().anyMatch(r -> r.url().contains(":" + dead + "/")
                                && r.status().attempts() >= 3),
                () -> "three forwards live and the refused one retrying: " + relays.list());
        RelayInfo refused = forwards(relays).stream().filter(r -> r.url().contains(":" + dead + "/")).findFirst().orElseThrow();
        assertTrue(refused.status().state() == RelayState.RETRYING || refused.status().state() == RelayState.CONNECTING,
                refused::toString);
        assertTrue(refused.status().lastError().orElse("").toLowerCase().contains("refused"), refused::toString);
        RelayInfo secure = forwards(relays).stream().filter(r -> "secure".equals(r.rule())).findFirst().orElseThrow();
        assertEquals("rtmps://127.0.0.1:" + cTls + "/live/src", secure.url(), "the query (a stream key) is not shown");

        for (String url : List.of("rtmp://127.0.0.1:" + bPort + "/live/src", "rtmp://127.0.0.1:" + nginx + "/live/src",
                "rtmp://127.0.0.1:" + c.rtmpPort().getAsInt() + "/live/src")) {
            assertPlays(url);
        }
        Await.until(Peers.WAIT, () -> forwards(relays).stream().filter(r -> r.status().state() == RelayState.LIVE)
                        .allMatch(r -> r.status().bytes() > 50_000),
                () -> "every live forward moved bytes: " + relays.list());

        // a destination added through the API while the stream is live starts within 2 s
        String api = "http://127.0.0.1:" + a.httpPort().getAsInt() + "/api/relays";
        String dest = "rtmp://127.0.0.1:" + bPort + "/live/added";
        assertTrue(Peers.http("POST", api + "/push/live/src?url=" + dest, null).startsWith("401"), "a push needs the token");
        long asked = System.nanoTime();
        String created = Peers.http("POST", api + "/push/live/src?url=" + dest, TOKEN);
        assertTrue(created.startsWith("201 ") && created.contains("\"kind\":\"push\""), created);
        StreamKey added = StreamKey.of("live", "added");
        Await.until(Duration.ofSeconds(2), () -> b.streams().stream(added).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "the API's push live at B within 2 s: " + relays.list());
        long millis = (System.nanoTime() - asked) / 1_000_000;
        assertTrue(millis < 2_000, "started in " + millis + " ms");
        System.out.println("ForwardIT: the API's push was live at B " + millis + " ms after the call");
        assertPlays("rtmp://127.0.0.1:" + bPort + "/live/added");

        String listed = Peers.http("GET", api, TOKEN);
        assertTrue(listed.startsWith("200 ") && listed.contains("\"state\":\"live\"") && listed.contains("\"state\":\"retrying\"")
                || listed.contains("\"state\":\"connecting\""), listed);
        String id = created.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        assertEquals("400 ", Peers.http("POST", api + "/push/live/src?url=ftp://x/y/z", TOKEN).substring(0, 4));
        assertTrue(Peers.http("DELETE", api + "/" + id, TOKEN).startsWith("204"));
        Await.until(Peers.WAIT, () -> b.streams().stream(added).map(s -> !s.live()).orElse(true),
                () -> "the removed push ended at B: " + b.streams().stream(added));
        assertTrue(Peers.http("DELETE", api + "/" + id, TOKEN).startsWith("404"));

        String metrics = Peers.http("GET", "http://127.0.0.1:" + a.httpPort().getAsInt() + "/metrics", null);
        assertTrue(metrics.contains("streamkit_relays{kind=\"forward\",state=\"live\"} 3"), metrics);
        assertTrue(metrics.contains("streamkit_relay_retries_total{kind=\"forward\"}"), metrics);
        if (ExternalTool.installed("promtool") || ExternalTool.ci()) {
            Path file = dir.resolve("metrics.txt");
            Files.writeString(file, metrics.substring(4));
            ExternalTool.run(30, "sh", "-c", "promtool check metrics < " + file);   // fails the test on a non-zero exit
        }
        assertTrue(a.streams().stream(key).orElseThrow().live(), "the local stream stayed live throughout");
    }

    private static List<RelayInfo> forwards(Relays relays) {
        return relays.list().stream().filter(r -> r.kind() == RelayKind.FORWARD).toList();
    }

    private void assertPlays(String url) {
        Map<String, Map<String, String>> probe = peers.probe(url, 2);
        Map<String, String> v = probe.get("v:0");
        Map<String, String> au = probe.get("a:0");
        assertEquals("h264", v.get("codec_name"), url + ": " + probe);
        assertEquals("320", v.get("width"), url + ": " + probe);
        assertEquals("240", v.get("height"), url + ": " + probe);
        assertTrue(Integer.parseInt(v.getOrDefault("nb_read_frames", "0")) >= 25, url + ": " + probe);
        assertEquals("aac", au.get("codec_name"), url + ": " + probe);
        assertEquals("44100", au.get("sample_rate"), url + ": " + probe);
    }
}
