package io.streamkit.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.stream.StreamKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The {@link StreamDirectory} contract on {@link MemoryStreamDirectory}, with a clock the test
 * moves: claims, takeovers, releases, lease expiry and the watchers' notifications. Its stages
 * complete at once and watchers run on the calling thread, so every assertion is immediate.
 */
class MemoryStreamDirectoryTest {
    private static final StreamKey KEY = StreamKey.of("live", "cam1");
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final String A = "rtmp://10.0.0.1:1935";
    private static final String B = "rtmp://10.0.0.2:1935";

    private final SteppingClock clock = new SteppingClock();
    private final MemoryStreamDirectory directory = new MemoryStreamDirectory(clock);

    @Test
    void claimThenLookupFindsTheNode() {
        assertEquals(Optional.empty(), now(directory.lookup(KEY)));
        now(directory.claim(KEY, A, LEASE));
        assertEquals(Optional.of(A), now(directory.lookup(KEY)));
        assertEquals(Optional.empty(), now(directory.lookup(StreamKey.of("live", "cam2"))), "other streams stay free");
    }

    @Test
    void laterClaimTakesOverAndTheFormerHolderCannotRenew() {
        now(directory.claim(KEY, A, LEASE));
        now(directory.claim(KEY, B, LEASE));
        assertEquals(Optional.of(B), now(directory.lookup(KEY)));
        assertFalse(now(directory.renew(KEY, A, LEASE)), "A was taken over");
        assertTrue(now(directory.renew(KEY, B, LEASE)));
        assertEquals(Optional.of(B), now(directory.lookup(KEY)));
    }

    @Test
    void releaseByAnotherNodeIsIgnored() {
        now(directory.claim(KEY, A, LEASE));
        now(directory.release(KEY, B));
        assertEquals(Optional.of(A), now(directory.lookup(KEY)));
        now(directory.release(KEY, A));
        assertEquals(Optional.empty(), now(directory.lookup(KEY)));
    }

    @Test
    void claimExpiresWhenItsLeaseEnds() {
        now(directory.claim(KEY, A, Duration.ofSeconds(2)));
        clock.advance(Duration.ofMillis(1_999));
        assertEquals(Optional.of(A), now(directory.lookup(KEY)), "still held a millisecond before the end");
        clock.advance(Duration.ofMillis(1));
        assertEquals(Optional.empty(), now(directory.lookup(KEY)), "lapsed at the end of its lease");
        assertFalse(now(directory.renew(KEY, A, LEASE)), "a lapsed claim cannot be renewed");
    }

    @Test
    void renewalExtendsTheLeaseFromNow() {
        now(directory.claim(KEY, A, Duration.ofSeconds(2)));
        clock.advance(Duration.ofMillis(1_500));
        assertTrue(now(directory.renew(KEY, A, Duration.ofSeconds(2))));
        clock.advance(Duration.ofMillis(1_500));
        assertEquals(Optional.of(A), now(directory.lookup(KEY)), "3 s after the claim, 1.5 s after the renewal");
        clock.advance(Duration.ofMillis(500));
        assertEquals(Optional.empty(), now(directory.lookup(KEY)));
    }

    @Test
    void watchersHearClaimsReleasesAndExpiries() throws Exception {
        List<Optional<String>> heard = new ArrayList<>();
        List<Optional<String>> otherStream = new ArrayList<>();
        directory.watch(StreamKey.of("live", "cam2"), otherStream::add);
        try (AutoCloseable watch = directory.watch(KEY, heard::add)) {
            now(directory.claim(KEY, A, LEASE));
            now(directory.claim(KEY, A, LEASE));   // a renewal by claim changes no holder
            now(directory.claim(KEY, B, LEASE));
            now(directory.release(KEY, A));        // not the holder: nothing happens
            now(directory.release(KEY, B));
            assertEquals(List.of(Optional.of(A), Optional.of(B), Optional.empty()), heard);

            heard.clear();
            now(directory.claim(KEY, A, Duration.ofSeconds(1)));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(List.of(Optional.of(A)), heard, "an expiry is heard when it is found, not before");
            directory.expire();
            assertEquals(List.of(Optional.of(A), Optional.empty()), heard);
            directory.expire();
            assertEquals(2, heard.size(), "an expiry is told once");
        }
        assertTrue(otherStream.isEmpty(), "the watcher of another stream heard " + otherStream);
    }

    @Test
    void closedWatchHearsNothing() throws Exception {
        List<Optional<String>> closedHeard = new ArrayList<>();
        List<Optional<String>> openHeard = new ArrayList<>();
        AutoCloseable closed = directory.watch(KEY, closedHeard::add);
        directory.watch(KEY, openHeard::add);
        closed.close();
        closed.close();   // idempotent
        now(directory.claim(KEY, A, LEASE));
        now(directory.release(KEY, A));
        assertEquals(List.of(Optional.of(A), Optional.empty()), openHeard);
        assertTrue(closedHeard.isEmpty(), "the closed watch heard " + closedHeard);
    }

    @Test
    void throwingWatcherDoesNotSilenceTheOthers() {
        List<Optional<String>> heard = new ArrayList<>();
        directory.watch(KEY, holder -> {
            throw new IllegalStateException("a broken watcher");
        });
        directory.watch(KEY, heard::add);
        now(directory.claim(KEY, A, LEASE));
        assertEquals(List.of(Optional.of(A)), heard);
    }

    @Test
    void leasesUnderASecondAreRefused() {
        Duration tooShort = Duration.ofMillis(999);
        assertThrows(IllegalArgumentException.class, () -> directory.claim(KEY, A, tooShort));
        now(directory.claim(KEY, A, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> directory.renew(KEY, A, tooShort));
        assertEquals(Optional.of(A), now(directory.lookup(KEY)), "a refused renewal leaves the claim");
    }

    private static <T> T now(CompletionStage<T> stage) {
        assertTrue(stage.toCompletableFuture().isDone(), "the memory directory completes at once");
        return stage.toCompletableFuture().join();
    }

    /** A clock that stands still until the test moves it. */
    private static final class SteppingClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
