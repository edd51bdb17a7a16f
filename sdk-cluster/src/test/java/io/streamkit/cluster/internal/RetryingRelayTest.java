package io.streamkit.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.streamkit.cluster.RelayKind;
import io.streamkit.relay.RelayState;
import io.streamkit.relay.RelayStatus;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryingRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final List<FakeLeg> legs = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /** A puller or pusher whose outcome the test decides. */
    static final class FakeLeg implements io.streamkit.relay.Relay {
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile long bytes;
        volatile RelayState state = RelayState.CONNECTING;
        volatile String error;

        public StreamKey localKey() {
            return StreamKey.of("live", "a");
        }

        public boolean isActive() {
            return state == RelayState.LIVE;
        }

        public CompletionStage<Void> start() {
            return started;
        }

        public CompletionStage<Void> done() {
            return done;
        }

        public RelayStatus status() {
            return RelayStatus.of(state, Instant.now(), null, bytes, 1, error);
        }

        public void close() {
            closed.set(true);
            end(null);
        }

        void live(long moved) {
            bytes = moved;
            state = RelayState.LIVE;
            started.complete(null);
        }

        void end(String why) {
            error = why;
            state = RelayState.STOPPED;
            started.completeExceptionally(new IllegalStateException(String.valueOf(why)));
            done.complete(null);
        }
    }

    private RetryingRelay relay(Duration min, Duration max, AtomicBoolean keepGoing, AtomicInteger stopped) {
        return new RetryingRelay("push-1", RelayKind.PUSH, StreamKey.of("live", "a"), "rtmp://u:p@h/live/a?key=s",
                null, n -> {
                    FakeLeg l = new FakeLeg();
                    legs.add(l);
                    return l;
                }, loop, min, max, keepGoing::get, stopped::incrementAndGet, new RelayMetrics());
    }

    @Test
    void failedLegsAreRetriedWithADoublingJitteredDelayCappedAtTheMaximum() {
        RetryingRelay r = relay(Duration.ofMillis(100), Duration.ofMillis(400), new AtomicBoolean(true), new AtomicInteger());
        r.start();
        long[] expectedMax = {100, 200, 400, 400};
        for (int i = 0; i < expectedMax.length; i++) {
            int made = i + 1;
            Await.until(WAIT, () -> legs.size() == made, () -> "leg " + made);
            legs.get(i).end("refused " + i);
            RelayStatus s = r.status();
            assertEquals(RelayState.RETRYING, s.state(), s::toString);
            long delay = Duration.between(s.since(), s.retryAt().orElseThrow()).toMillis();
            assertTrue(delay >= expectedMax[i] / 2 && delay <= expectedMax[i], "delay " + i + ": " + delay);
            assertEquals("refused " + i, s.lastError().orElseThrow());
            assertEquals(i + 1, s.attempts());
        }
        r.close();
    }

    @Test
    void bytesAddUpOverLegsAndALiveLegResetsTheDelay() {
        RetryingRelay r = relay(Duration.ofMillis(100), Duration.ofSeconds(10), new AtomicBoolean(true), new AtomicInteger());
        r.start();
        legs.get(0).end("refused");
        Await.until(WAIT, () -> legs.size() == 2, () -> "second leg");
        legs.get(1).end("refused");
        Await.until(WAIT, () -> legs.size() == 3, () -> "third leg");
        legs.get(2).live(1_000);
        assertEquals(RelayState.LIVE, r.status().state());
        assertEquals(1_000, r.status().bytes());
        legs.get(2).bytes = 5_000;
        legs.get(2).end("dropped");
        RelayStatus s = r.status();
        assertEquals(5_000, s.bytes(), "an ended leg's bytes stay counted");
        long delay = Duration.between(s.since(), s.retryAt().orElseThrow()).toMillis();
        assertTrue(delay <= 100, "back to the first delay after a live leg: " + delay);
        r.close();
    }

    @Test
    void aRelayNobodyWantsStopsOnceAndAClosedOneMakesNoMoreLegs() {
        AtomicBoolean keepGoing = new AtomicBoolean(true);
        AtomicInteger stopped = new AtomicInteger();
        RetryingRelay r = relay(Duration.ofMillis(100), Duration.ofMillis(100), keepGoing, stopped);
        r.start();
        keepGoing.set(false);
        legs.get(0).end("remote stream ended");
        assertEquals(RelayState.STOPPED, r.status().state());
        assertEquals(1, stopped.get());
        assertTrue(r.stopped());

        RetryingRelay other = relay(Duration.ofMillis(100), Duration.ofMillis(100), new AtomicBoolean(true), stopped);
        other.start();
        FakeLeg current = legs.get(1);
        other.close();
        assertTrue(current.closed.get());
        assertEquals(RelayState.STOPPED, other.status().state());
        other.close();
        assertEquals(2, legs.size(), "no leg after close");
        assertEquals(1, stopped.get(), "close does not call onStopped");
    }

    @Test
    void aKickStartsTheNextLegAtOnce() {
        RetryingRelay r = relay(Duration.ofSeconds(30), Duration.ofSeconds(60), new AtomicBoolean(true), new AtomicInteger());
        r.start();
        legs.get(0).end("local stream not live");
        assertEquals(RelayState.RETRYING, r.status().state());
        r.kick();
        Await.until(Duration.ofSeconds(2), () -> legs.size() == 2, () -> "the kicked leg, long before 15 s");
        r.close();
    }

    @Test
    void aUrlNoSchemeTakesStopsTheRelayAndIsRethrown() {
        RetryingRelay r = new RetryingRelay("push-2", RelayKind.PUSH, StreamKey.of("live", "a"), "ftp://x/y/z", null,
                n -> {
                    throw new IllegalArgumentException("only rtmp://, rtmps:// URLs are supported");
                }, loop, Duration.ofMillis(100), Duration.ofMillis(100), () -> true, () -> { }, new RelayMetrics());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::start);
        assertTrue(e.getMessage().contains("rtmp://"), e.getMessage());
        assertEquals(RelayState.STOPPED, r.status().state());
    }

    @Test
    void theDisplayedUrlHasNoQueryAndNoUserInfo() {
        assertEquals("rtmp://h/live/a", RetryingRelay.displayed("rtmp://u:p@h/live/a?key=s"));
        assertEquals("rtmps://a.rtmps.youtube.com/live2/k", RetryingRelay.displayed("rtmps://a.rtmps.youtube.com/live2/k"));
        assertEquals("rtmp://h/live/a@b", RetryingRelay.displayed("rtmp://h/live/a@b"));
        assertEquals("rtmp://h/live/a", relay(Duration.ofMillis(100), Duration.ofMillis(100), new AtomicBoolean(), new AtomicInteger())
                .info().url());
    }

    @Test
    void jitterStaysInTheUpperHalf() {
        for (int i = 0; i < 1_000; i++) {
            long d = RetryingRelay.jittered(1_000);
            assertTrue(d >= 500 && d <= 1_000, String.valueOf(d));
        }
    }
}
