package io.streamkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.cluster.RelayInfo;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Codec;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The restreaming example against a second server standing in for a platform. */
class RestreamTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aStreamGoesToItsOwnersPlatformsAndADestinationAddedLaterStartsAtOnce() {
        try (MediaServer platform = MediaServer.builder().ioThreads(1).rtmp(0).start()) {
            String ingest = "rtmp://127.0.0.1:" + platform.rtmpPort().getAsInt();
            Map<String, Map<String, String>> store = Map.of("show", Map.of("twitch", ingest + "/app/live_k1?key=s3cret"));
            try (MediaServer server = Restream.start(store, Map.of(), 0, 0)) {
                Publisher show = publish(server, StreamKey.of("live", "show"));
                Await.until(WAIT, () -> live(platform, StreamKey.of("app", "live_k1")), () -> "restreamed: "
                        + server.relays().orElseThrow().list());
                RelayInfo forward = server.relays().orElseThrow().list().get(0);
                assertEquals("twitch", forward.rule());
                assertEquals(ingest + "/app/live_k1", forward.url(), "the key's query stays out of the API");

                RelayInfo added = Restream.addDestination(server, StreamKey.of("live", "show"), ingest + "/app/backup");
                Await.until(WAIT, () -> live(platform, StreamKey.of("app", "backup")), () -> "added: " + added);
                assertTrue(server.relays().orElseThrow().remove(added.id()));
                show.close();
            }
        }
    }

    private static boolean live(MediaServer server, StreamKey key) {
        return server.streams().stream(key).map(s -> s.live() && !s.tracks().isEmpty()).orElse(false);
    }

    /** Two seconds of H.264 from application code; the GOP cache keeps its last second. */
    private static Publisher publish(MediaServer server, StreamKey key) {
        Publisher pub = server.streams().publish(key);
        Track video = pub.addTrack(TestMedia.h264());
        for (int i = 0; i < 50; i++) {
            pub.write(video, i * 40_000L, i * 40_000L, i % 25 == 0, TestMedia.accessUnit(Codec.H264, i, 500, i % 25 == 0));
        }
        return pub;
    }
}
