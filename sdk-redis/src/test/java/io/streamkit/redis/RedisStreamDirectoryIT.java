package io.streamkit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisStreamDirectory} against a real {@code redis-server} on a free loopback port: the
 * {@link io.streamkit.relay.StreamDirectory} contract, the key layout, and failure when Redis is
 * gone. Each test uses its own stream keys on the shared server.
 */
class RedisStreamDirectoryIT {
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration HEAR_WITHIN = Duration.ofSeconds(2);
    private static final String A = "rtmp://10.0.0.1:1935";
    private static final String B = "rtmp://10.0.0.2:1935";

    private static RedisServer server;
    private static RedisStreamDirectory directory;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        directory = RedisStreamDirectory.builder(server.uri()).watchPollInterval(POLL).build();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (directory != null) {
            directory.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void claimThenLookupFindsTheNode() throws Exception {
        StreamKey key = StreamKey.of("live", "claimed");
        assertEquals(Optional.empty(), await(directory.lookup(key)));
        await(directory.claim(key, A, LEASE));
        assertEquals(Optional.of(A), await(directory.lookup(key)));
        assertTrue(await(directory.renew(key, A, LEASE)), "the holder renews");
    }

    @Test
    void laterClaimTakesOverAndTheFormerHolderCannotRenew() throws Exception {
        StreamKey key = StreamKey.of("live", "moved");
        await(directory.claim(key, A, LEASE));
        await(directory.claim(key, B, LEASE));
        assertEquals(Optional.of(B), await(directory.lookup(key)));
        assertFalse(await(directory.renew(key, A, LEASE)), "A was taken over");
        assertEquals(Optional.of(B), await(directory.lookup(key)), "A's failed renewal changed nothing");
        assertTrue(await(directory.renew(key, B, LEASE)));
    }

    @Test
    void releaseByAnotherNodeLeavesTheClaim() throws Exception {
        StreamKey key = StreamKey.of("live", "kept");
        await(directory.claim(key, A, LEASE));
        await(directory.release(key, B));
        assertEquals(Optional.of(A), await(directory.lookup(key)));
    }

    @Test
    void releaseByTheHolderEmptiesItAndTellsWatchers() throws Exception {
        StreamKey key = StreamKey.of("live", "released");
        BlockingQueue<Optional<String>> heard = new LinkedBlockingQueue<>();
        StreamKey other = StreamKey.of("live", "released-other");
        BlockingQueue<Optional<String>> otherHeard = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = directory.watch(key, heard::add);
                AutoCloseable otherWatch = directory.watch(other, otherHeard::add)) {
            await(directory.claim(key, A, LEASE));
            assertEquals(Optional.of(A), next(heard, HEAR_WITHIN));
            await(directory.release(key, A));
            assertEquals(Optional.empty(), next(heard, HEAR_WITHIN));
            assertEquals(Optional.empty(), await(directory.lookup(key)));
            assertFalse(await(directory.renew(key, A, LEASE)), "nothing left to renew");
        }
        assertTrue(otherHeard.isEmpty(), "the watcher of another stream heard " + otherHeard);
    }

    @Test
    void shortLeaseExpiresAndWatchersHearIt() throws Exception {
        StreamKey key = StreamKey.of("live", "expiring");
        BlockingQueue<Optional<String>> heard = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = directory.watch(key, heard::add)) {
            long claimed = System.nanoTime();
            await(directory.claim(key, A, Duration.ofSeconds(1)));
            assertEquals(Optional.of(A), next(heard, HEAR_WITHIN));
            Await.until(Duration.ofMillis(2_200), () -> await(directory.lookup(key)).isEmpty(),
                    () -> "the 1 s claim to expire");
            long expiredAfterMillis = (System.nanoTime() - claimed) / 1_000_000;
            assertTrue(expiredAfterMillis >= 900, "expired after only " + expiredAfterMillis + " ms");
            assertEquals(Optional.empty(), next(heard, POLL.plusSeconds(1)), "the watcher hears the expiry");
            assertFalse(await(directory.renew(key, A, LEASE)), "an expired claim cannot be renewed");
        }
    }

    @Test
    void closedWatchHearsNothing() throws Exception {
        StreamKey key = StreamKey.of("live", "unwatched");
        BlockingQueue<Optional<String>> closedHeard = new LinkedBlockingQueue<>();
        BlockingQueue<Optional<String>> openHeard = new LinkedBlockingQueue<>();
        AutoCloseable closed = directory.watch(key, closedHeard::add);
        try (AutoCloseable open = directory.watch(key, openHeard::add)) {
            closed.close();
            closed.close();   // idempotent
            await(directory.claim(key, A, LEASE));
            // Both watchers are told from the same message, in one pass: when the open one has
            // heard, the closed one would have too.
            assertEquals(Optional.of(A), next(openHeard, HEAR_WITHIN));
            await(directory.release(key, A));
            assertEquals(Optional.empty(), next(openHeard, HEAR_WITHIN));
        }
        assertTrue(closedHeard.isEmpty(), "the closed watch heard " + closedHeard);
    }

    @Test
    void keyPrefixIsApplied() throws Exception {
        StreamKey key = StreamKey.of("live/eu", "prefixed");
        RedisClient raw = RedisClient.create(server.uri());
        try (RedisStreamDirectory prefixed = RedisStreamDirectory.builder(server.uri()).keyPrefix("test:dir:").build();
                StatefulRedisConnection<String, String> connection = raw.connect()) {
            await(prefixed.claim(key, A, LEASE));
            await(directory.claim(key, B, LEASE));
            assertEquals(List.of("test:dir:live/eu/prefixed"), connection.sync().keys("test:dir:*"));
            assertEquals(A, connection.sync().get("test:dir:live/eu/prefixed"));
            assertEquals(B, connection.sync().get("streamkit:stream:live/eu/prefixed"));
            long ttl = connection.sync().pttl("test:dir:live/eu/prefixed");
            assertTrue(ttl > 0 && ttl <= LEASE.toMillis(), "the claim carries its lease: " + ttl + " ms");
            assertEquals(Optional.of(A), await(prefixed.lookup(key)), "directories with other prefixes are apart");
            assertTrue(prefixed.toString().contains("test:dir:*"), prefixed.toString());
        } finally {
            raw.shutdown();
        }
    }

    @Test
    void lookupFailsWhenNothingListens() throws Exception {
        Duration timeout = Duration.ofMillis(500);
        String deadUri = "redis://127.0.0.1:" + RedisServer.freePort();
        RedisStreamDirectory dead = RedisStreamDirectory.builder(deadUri).commandTimeout(timeout).build();
        try {
            StreamKey key = StreamKey.of("live", "nowhere");
            assertFailsWithin(dead.lookup(key), timeout.plusSeconds(1));
            assertFailsWithin(dead.claim(key, A, LEASE), timeout.plusSeconds(1));
            assertFailsWithin(dead.lookup(key), timeout.plusSeconds(1));   // and tries again
        } finally {
            dead.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void lookupFailsWithinTheCommandTimeoutOnceRedisStops() throws Exception {
        Duration timeout = Duration.ofMillis(500);
        RedisServer doomed = RedisServer.start();
        RedisStreamDirectory dir = RedisStreamDirectory.builder(doomed.uri()).commandTimeout(timeout).build();
        try {
            StreamKey key = StreamKey.of("live", "doomed");
            await(dir.claim(key, A, LEASE));
            assertEquals(Optional.of(A), await(dir.lookup(key)));
            doomed.close();
            assertFailsWithin(dir.lookup(key), timeout.plusSeconds(1));
        } finally {
            doomed.close();
            dir.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the directory failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Optional<String> next(BlockingQueue<Optional<String>> heard, Duration within)
            throws InterruptedException {
        Optional<String> holder = heard.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(holder, "the watcher heard nothing within " + within);
        return holder;
    }

    private static void assertFailsWithin(CompletionStage<?> stage, Duration within) {
        long start = System.nanoTime();
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS),
                "the stage neither failed nor hung past " + within);
        assertNotNull(failure.getCause());
        assertTrue(System.nanoTime() - start < within.toNanos());
    }
}
