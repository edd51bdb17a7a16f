package io.streamkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MediaServerTest {

    @Test
    void applicationCodePublishesAndSubscribesThroughTheServer() {
        RecordingSubscriber sub = new RecordingSubscriber();
        Publisher pub;
        try (MediaServer server = MediaServer.builder().ioThreads(2)
                .onPublish(r -> CompletableFuture.completedFuture(
                        "ok".equals(r.param("token")) ? AuthResult.allow() : AuthResult.deny("no token")))
                .start()) {
            StreamKey key = StreamKey.of("live", "app");
            AuthRequest denied = AuthRequest.builder(AuthRequest.Action.PUBLISH, key).protocol("app").build();
            assertFalse(server.streams().authorize(denied).toCompletableFuture().join().allowed());

            pub = server.streams().publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            server.streams().subscribe(key, sub).toCompletableFuture().join();
            for (int i = 0; i < 30; i++) {
                pub.write(video, i * 40_000L, i * 40_000L, i % 10 == 0, TestMedia.payload(i, 2_000));
            }
            Await.until(Duration.ofSeconds(5), () -> sub.frames.size() == 30, () -> "30 frames");
            assertEquals(1, server.streams().streams().size());
        }
        assertEquals(EndReason.SHUTDOWN, sub.ended.orTimeout(5, TimeUnit.SECONDS).join());
        assertEquals(EndReason.SHUTDOWN, pub.closed().toCompletableFuture().join());
    }

    @Test
    void settersCheckTheirArgumentAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MediaServer.builder().ioThreads(0));
        assertEquals("ioThreads 0 must be at least 1", e.getMessage());
    }
}
