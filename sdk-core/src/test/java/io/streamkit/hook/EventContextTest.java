package io.streamkit.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscription;
import io.streamkit.test.Await;
import io.streamkit.test.EngineFixture;
import io.streamkit.test.RecordingSubscriber;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a protocol knows of a client (its connection, its auth decision's attributes) reaches every event about it. */
class EventContextTest {

    @Test
    void publishAndPlayEventsCarryTheConnectionAndTheDecisionsAttributes() {
        List<StreamEvent> streams = new CopyOnWriteArrayList<>();
        List<PlayEvent> plays = new CopyOnWriteArrayList<>();
        ServerListener listener = new ServerListener() {
            @Override
            public void onPublish(StreamEvent event) {
                streams.add(event);
            }

            @Override
            public void onUnpublish(StreamEvent event) {
                streams.add(event);
            }

            @Override
            public void onPlay(PlayEvent event) {
                plays.add(event);
            }

            @Override
            public void onStop(PlayEvent event) {
                plays.add(event);
            }
        };
        StreamKey key = StreamKey.of("live", "context");
        InetSocketAddress camera = new InetSocketAddress("127.0.0.1", 40_000);
        try (EngineFixture fx = new EngineFixture(b -> b.listener(listener))) {
            Publisher publisher = fx.engine.publish(key, PublishOptions.defaults().protocol("rtmp").remoteAddress(camera)
                    .connectionId(17).attributes(Map.of("user", "cam-1", "record", "yes")));
            RecordingSubscriber sink = new RecordingSubscriber();
            Subscription sub = fx.engine.subscribe(key, sink, SubscribeOptions.defaults().protocol("http-flv")
                    .connectionId(23).attributes(Map.of("user", "viewer"))).toCompletableFuture().join();
            sub.close();
            publisher.close();
            Await.until(Duration.ofSeconds(5), () -> streams.size() == 2 && plays.size() == 2,
                    () -> streams + " " + plays);
        }
        for (StreamEvent e : streams) {
            assertEquals(17, e.connectionId());
            assertEquals("rtmp", e.protocol());
            assertEquals(camera, e.remoteAddress());
            assertEquals(Map.of("user", "cam-1", "record", "yes"), e.attributes());
        }
        for (PlayEvent e : plays) {
            assertEquals(23, e.connectionId());
            assertEquals(Map.of("user", "viewer"), e.attributes());
        }
        assertEquals(null, plays.get(0).reason());
        assertTrue(plays.get(1).reason() != null);
    }

    @Test
    void decisionsAndRequestsFreezeWhatTheyAreGiven() {
        Map<String, String> attributes = new HashMap<>(Map.of("user", "alice"));
        AuthResult allowed = AuthResult.allow(attributes);
        attributes.put("user", "mallory");
        assertEquals(Map.of("user", "alice"), allowed.attributes());
        assertThrows(UnsupportedOperationException.class, () -> allowed.attributes().put("x", "y"));
        assertEquals(Map.of(), AuthResult.allow().attributes());
        assertEquals(Map.of(), AuthResult.deny("no").attributes());
        assertEquals(AuthResult.allow(), AuthResult.allow(Map.of()));

        AuthRequest request = AuthRequest.builder(AuthRequest.Action.PLAY, StreamKey.of("live", "x"))
                .query(Map.of("token", "t")).protocol("hls").build();
        assertEquals("t", request.param("token"));
        assertEquals(0, request.connectionId());
        assertEquals("hls", request.protocol());
        assertEquals("app", AuthRequest.builder(AuthRequest.Action.PLAY, StreamKey.of("live", "x")).build().protocol());
    }
}
