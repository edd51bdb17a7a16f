package io.streamkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.MemoryStreamDirectory;
import io.streamkit.relay.RelayState;
import io.streamkit.relay.StreamDirectory;
import io.streamkit.server.MediaServer;
import io.streamkit.server.players.Peers;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Subscription;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Origins and an edge in one JVM, finding each other in a stream directory: ffmpeg publishes to
 * origin A, players on edge B get the stream pulled on demand; A goes away and the publisher
 * reconnects to origin A', and B's player gets frames again; the last player leaving B stops
 * the pull after the idle timeout. {@link RedisEdgeOriginIT} runs the same on Redis.
 */
class EdgeOriginIT {
    static final Duration IDLE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private Peers peers;
    private MediaServer a;
    private MediaServer a2;
    private MediaServer b;
    private Subscription watch;

    private final MemoryStreamDirectory memory = new MemoryStreamDirectory();

    /** A node's client of the directory the nodes share: here the one in-memory table; {@link RedisEdgeOriginIT} connects to Redis. */
    StreamDirectory directory() throws Exception {
        return memory;
    }

    @AfterEach
    void stop() throws Exception {
        if (watch != null) {
            watch.close();
        }
        for (MediaServer s : new MediaServer[] {a, a2, b}) {
            if (s != null) {
                s.close();
            }
        }
        a = a2 = b = null;
        if (peers != null) {
            peers.close();
            peers = null;
        }
    }

    @Test
    void anEdgeFollowsThePublisherToAnotherOriginAndStopsPullingWhenThePlayersLeave() throws Exception {
        peers = new Peers(dir);
        StreamDirectory directoryA = directory();
        StreamDirectory directoryB = directory();
        StreamKey key = StreamKey.of("live", "cam");
        int aPort = Peers.freePort();
        a = origin(directoryA, aPort);
        b = MediaServer.builder().ioThreads(2).rtmp(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ofSeconds(20)))
                .relays(r -> r.edge(directoryB).idleTimeout(IDLE).onDemandRetryMax(Duration.ofMillis(500)))
                .start();
        String atB = "rtmp://127.0.0.1:" + b.rtmpPort().getAsInt() + "/live/cam";
        Process publisher = peers.publish("rtmp://127.0.0.1:" + aPort + "/live/cam", 120);
        Await.until(Peers.WAIT, () -> live(a, key) && directoryB.lookup(key).toCompletableFuture().join().isPresent(),
                () -> "A has the stream and claimed it: " + a.streams().stream(key));
        assertEquals(Optional.of("rtmp://127.0.0.1:" + aPort), directoryB.lookup(key).toCompletableFuture().join());

        // a real player on B starts the pull; ffprobe, a second one, reads the stream through it
        Process player = peers.play(atB);
        Map<String, Map<String, String>> probe = peers.probe(atB, 2);
        assertEquals("h264", probe.get("v:0").get("codec_name"), probe.toString());
        assertEquals("320", probe.get("v:0").get("width"), probe.toString());
        assertEquals("aac", probe.get("a:0").get("codec_name"), probe.toString());
        assertTrue(Integer.parseInt(probe.get("v:0").getOrDefault("nb_read_frames", "0")) >= 25, probe.toString());
        Relays relays = b.relays().orElseThrow();
        assertEquals(1, relays.list().size(), relays.list()::toString);
        RelayInfo pull = relays.list().get(0);
        assertEquals(RelayKind.ON_DEMAND, pull.kind());
        assertEquals("rtmp://127.0.0.1:" + aPort + "/live/cam", pull.url());

        // frames reaching B, counted as they arrive
        AtomicLong frames = new AtomicLong();
        watch = b.streams().subscribe(key, new Subscriber() {
            @Override
            public void onTrack(Track track) {
            }

            @Override
            public void onFrame(MediaFrame frame) {
                frames.incrementAndGet();
            }
        }).toCompletableFuture().get(10, TimeUnit.SECONDS);
        Await.until(Peers.WAIT, () -> frames.get() > 50, () -> "frames at B: " + frames.get());

        // origin A goes away; the publisher reconnects to origin A', which claims the stream
        a.close();
        Peers.stop(publisher);
        int a2Port = Peers.freePort();
        a2 = origin(directory(), a2Port);
        peers.publish("rtmp://127.0.0.1:" + a2Port + "/live/cam", 120);
        Await.until(Peers.WAIT, () -> live(a2, key), () -> "A' has the stream");
        long registered = System.nanoTime();
        Await.until(Peers.WAIT, () -> directoryB.lookup(key).toCompletableFuture().join()
                .equals(Optional.of("rtmp://127.0.0.1:" + a2Port)), () -> "A' claimed it");
        long before = frames.get();
        Await.until(Duration.ofSeconds(5), () -> frames.get() > before + 10,
                () -> "B's player gets frames from A' within 5 s of A' registering: " + relays.list());
        long millis = (System.nanoTime() - registered) / 1_000_000;
        assertTrue(millis < 5_000, "frames again " + millis + " ms after A' registered");
        System.out.println(getClass().getSimpleName() + ": B's player got frames again " + millis + " ms after A' registered");
        assertTrue(player.isAlive(), "the player on B stayed through the move");
        assertEquals("rtmp://127.0.0.1:" + a2Port + "/live/cam", relays.list().get(0).url());
        assertEquals(RelayState.LIVE, relays.list().get(0).status().state());

        // the last player leaves: the pull stops after the idle timeout, not before
        watch.close();
        watch = null;
        Peers.stop(player);
        long left = System.nanoTime();
        Await.until(Peers.WAIT, () -> relays.list().isEmpty(), () -> "the pull stopped: " + relays.list());
        long stoppedAfter = (System.nanoTime() - left) / 1_000_000;
        assertTrue(stoppedAfter >= IDLE.toMillis() - 200, "stopped " + stoppedAfter + " ms after the last player left");
        System.out.println(getClass().getSimpleName() + ": the pull stopped " + stoppedAfter + " ms after the last player left");
        Await.until(Peers.WAIT, () -> a2.streams().stream(key).map(s -> s.subscribers() == 0).orElse(false),
                () -> "A' lost its edge subscriber: " + a2.streams().stream(key));
    }

    private static MediaServer origin(StreamDirectory directory, int port) throws Exception {
        return MediaServer.builder().ioThreads(2).rtmp(port)
                .relays(r -> r.origin(directory, "rtmp://127.0.0.1:" + port))
                .start();
    }

    private static boolean live(MediaServer server, StreamKey key) {
        return server.streams().stream(key).map(s -> s.live() && s.tracks().size() == 2).orElse(false);
    }
}
