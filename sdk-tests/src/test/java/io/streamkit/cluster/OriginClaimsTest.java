package io.streamkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamkit.relay.MemoryStreamDirectory;
import io.streamkit.server.MediaServer;
import io.streamkit.server.players.Peers;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.TestMedia;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An origin's claims in the directory: made at publish, renewed, taken again after a lapse, let go to a takeover, released. */
class OriginClaimsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SELF = "rtmp://10.0.0.1:1935";

    /** A clock the test moves: leases lapse without waiting them out. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-07T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void anOriginHoldsItsStreamsThroughALapseGivesThemUpToATakeoverAndReleasesThemAtTheEnd() throws Exception {
        MovableClock clock = new MovableClock();
        MemoryStreamDirectory directory = new MemoryStreamDirectory(clock);
        StreamKey key = StreamKey.of("live", "cam");
        StreamKey other = StreamKey.of("live", "other");
        try (MediaServer origin = MediaServer.builder().ioThreads(1).http(0).relays(r -> r.origin(directory, SELF)
                .lease(Duration.ofSeconds(3))).start()) {
            Publisher cam = origin.streams().publish(key);
            cam.addTrack(TestMedia.h264());
            Publisher second = origin.streams().publish(other);
            second.addTrack(TestMedia.h264());
            Await.until(WAIT, () -> holder(directory, key).isPresent() && holder(directory, other).isPresent(),
                    () -> "claimed at publish");
            assertEquals(Optional.of(SELF), holder(directory, key));

            clock.advance(Duration.ofSeconds(5));   // the lease lapsed (the directory was out of reach, say)
            assertEquals(Optional.empty(), holder(directory, key));
            Await.until(WAIT, () -> holder(directory, key).equals(Optional.of(SELF)),
                    () -> "claimed again at the next renewal");

            directory.claim(other, "rtmp://10.0.0.2:1935", Duration.ofSeconds(30));   // the publisher moved there
            Await.until(WAIT, () -> metrics(origin).contains("streamkit_directory_claims 1\n"),
                    () -> "the takeover is let go: " + metrics(origin));
            assertEquals(Optional.of("rtmp://10.0.0.2:1935"), holder(directory, other));

            cam.close();
            Await.until(WAIT, () -> holder(directory, key).isEmpty(), () -> "released when the stream ended");
            second.close();
        }
    }

    private static Optional<String> holder(MemoryStreamDirectory directory, StreamKey key) {
        return directory.lookup(key).toCompletableFuture().join();
    }

    private static String metrics(MediaServer server) {
        try {
            return Peers.http("GET", "http://127.0.0.1:" + server.httpPort().getAsInt() + "/metrics", null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
