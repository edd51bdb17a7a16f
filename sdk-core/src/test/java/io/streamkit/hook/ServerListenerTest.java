package io.streamkit.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.stream.EndReason;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Subscription;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.EngineFixture;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerListenerTest {

    @Test
    void eventsArriveInOrderAndAThrowingListenerHarmsNothing() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ServerListener throwing = new ServerListener() {
            @Override
            public void onPublish(StreamEvent event) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onPlay(PlayEvent event) {
                throw new IllegalStateException("listener bug");
            }
        };
        ServerListener recording = new ServerListener() {
            @Override
            public void onPublish(StreamEvent e) {
                seen.add("publish " + e.key() + " " + e.protocol());
            }

            @Override
            public void onUnpublish(StreamEvent e) {
                seen.add("unpublish " + e.key());
            }

            @Override
            public void onPlay(PlayEvent e) {
                seen.add("play " + e.key() + " " + e.protocol());
            }

            @Override
            public void onStop(PlayEvent e) {
                seen.add("stop " + e.key() + " " + e.reason());
            }
        };
        try (EngineFixture fx = new EngineFixture(b -> b.listener(throwing).listener(recording)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)))) {
            StreamKey key = StreamKey.of("live", "events");
            Publisher pub = fx.engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            RecordingSubscriber sub = new RecordingSubscriber();
            Subscription s = fx.engine.subscribe(key, sub, io.streamkit.stream.SubscribeOptions.defaults().protocol("test"))
                    .toCompletableFuture().join();
            pub.write(video, 0, 0, true, TestMedia.payload(1, 100));
            Await.until(Duration.ofSeconds(5), () -> sub.frames.size() == 1, () -> "frame delivered despite the throwing listener");
            pub.close();
            assertEquals(EndReason.UNPUBLISHED, sub.ended.orTimeout(5, TimeUnit.SECONDS).join());
            Await.until(Duration.ofSeconds(5), () -> seen.size() == 4, () -> "4 events: " + seen);
            assertEquals(List.of("publish live/events app", "play live/events test", "unpublish live/events",
                    "stop live/events UNPUBLISHED"), seen);
            assertTrue(s.stats().framesDelivered() == 1);
        }
    }
}
