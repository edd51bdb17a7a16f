package io.streamkit.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.stream.StreamKey;
import io.streamkit.test.EngineFixture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The application's checks decide; a broken check denies and never escapes. */
class AuthHandlerTest {
    private static final AuthRequest PUBLISH = AuthRequest.builder(AuthRequest.Action.PUBLISH, StreamKey.of("live", "cam1")).query(Map.of("token", "s3cret")).remoteAddress(new InetSocketAddress("127.0.0.1", 50_000)).protocol("rtmp").build();

    @Test
    void theHandlerSeesTheRequestAndDecides() {
        AuthHandler tokens = r -> CompletableFuture.completedFuture(
                "s3cret".equals(r.param("token")) ? AuthResult.allow() : AuthResult.deny("bad token"));
        try (EngineFixture fx = new EngineFixture(b -> b.onPublish(tokens))) {
            assertTrue(decide(fx, PUBLISH).allowed());
            AuthRequest wrong = AuthRequest.builder(AuthRequest.Action.PUBLISH, PUBLISH.key()).query(Map.of("token", "nope")).protocol("rtmp").build();
            assertEquals(AuthResult.deny("bad token"), decide(fx, wrong));
            AuthRequest play = AuthRequest.builder(AuthRequest.Action.PLAY, PUBLISH.key()).protocol("http-flv").build();
            assertTrue(decide(fx, play).allowed(), "play has its own handler, allow-all by default");
        }
    }

    @Test
    void aThrowingHandlerDenies() {
        try (EngineFixture fx = new EngineFixture(b -> b.onPublish(r -> {
            throw new IllegalStateException("database down");
        }))) {
            assertEquals(AuthResult.deny("authorization failed"), decide(fx, PUBLISH));
        }
    }

    @Test
    void aNullOrFailedStageDenies() {
        try (EngineFixture fx = new EngineFixture(b -> b.onPublish(r -> null))) {
            assertFalse(decide(fx, PUBLISH).allowed());
        }
        try (EngineFixture fx = new EngineFixture(b -> b.onPublish(r -> CompletableFuture.failedFuture(new Exception("503"))))) {
            assertEquals(AuthResult.deny("authorization failed"), decide(fx, PUBLISH));
        }
        try (EngineFixture fx = new EngineFixture(b -> b.onPublish(r -> CompletableFuture.completedFuture(null)))) {
            assertFalse(decide(fx, PUBLISH).allowed());
        }
    }

    @Test
    void aHandlerThatNeverAnswersDeniesAfterTheTimeout() {
        try (EngineFixture fx = new EngineFixture(b -> b.onPublish(r -> new CompletableFuture<>())
                .authTimeout(Duration.ofMillis(100)))) {
            long start = System.nanoTime();
            assertEquals(AuthResult.deny("authorization timed out"), decide(fx, PUBLISH));
            assertTrue(System.nanoTime() - start >= 100_000_000L);
        }
    }

    @Test
    void aBlockingCheckRunsOnTheApplicationsExecutor() {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-auth"));
        try (EngineFixture fx = new EngineFixture(b -> b.onPublish(AuthHandler.blocking(r -> {
            assertEquals("app-auth", Thread.currentThread().getName());
            return AuthResult.allow();
        }, pool)))) {
            assertTrue(decide(fx, PUBLISH).allowed());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void andThenAllowsWhenBothAllowWithBothAttributes() {
        AuthHandler identity = r -> CompletableFuture.completedFuture(AuthResult.allow(Map.of("user", "alice", "record", "true")));
        AuthHandler plan = r -> CompletableFuture.completedFuture(AuthResult.allow(Map.of("record", "false", "tier", "gold")));
        assertEquals(AuthResult.allow(Map.of("user", "alice", "record", "false", "tier", "gold")),
                decide(identity.andThen(plan), PUBLISH), "next's attribute wins on a clash");
        assertEquals(AuthResult.allow(Map.of("record", "false", "tier", "gold")), decide(AuthHandler.allowAll().andThen(plan), PUBLISH));
        assertEquals(AuthResult.allow(Map.of("user", "alice", "record", "true")), decide(identity.andThen(AuthHandler.allowAll()), PUBLISH));
        assertEquals(AuthResult.allow(), decide(AuthHandler.allowAll().andThen(AuthHandler.allowAll()), PUBLISH));
    }

    @Test
    void andThenStopsAtTheFirstDenial() {
        AtomicInteger asked = new AtomicInteger();
        AuthHandler next = r -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(AuthResult.allow(Map.of("user", "bob")));
        };
        AuthHandler denies = r -> CompletableFuture.completedFuture(AuthResult.deny("banned"));
        assertEquals(AuthResult.deny("banned"), decide(denies.andThen(next), PUBLISH));
        assertEquals(0, asked.get(), "next is not asked after a denial");
        assertEquals(AuthResult.allow(Map.of("user", "bob")), decide(AuthHandler.allowAll().andThen(next), PUBLISH));
        assertEquals(1, asked.get());
    }

    @Test
    void andThenDeniesWithTheSecondReason() {
        AuthHandler identity = r -> CompletableFuture.completedFuture(AuthResult.allow(Map.of("user", "alice")));
        AuthHandler quota = r -> CompletableFuture.completedFuture(AuthResult.deny("over quota"));
        assertEquals(AuthResult.deny("over quota"), decide(identity.andThen(quota), PUBLISH), "no attributes on a denial");
        assertEquals(AuthResult.deny("over quota"), decide(identity.andThen(identity).andThen(quota), PUBLISH));
    }

    @Test
    void andThenAsksTheSecondOnlyOnceTheFirstAnswered() {
        CompletableFuture<AuthResult> first = new CompletableFuture<>();
        AtomicInteger asked = new AtomicInteger();
        AuthHandler later = r -> first;
        AuthHandler next = r -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(AuthResult.deny("second says no"));
        };
        CompletableFuture<AuthResult> answer = later.andThen(next).authorize(PUBLISH).toCompletableFuture();
        assertFalse(answer.isDone());
        assertEquals(0, asked.get());
        first.complete(AuthResult.allow());
        assertEquals(AuthResult.deny("second says no"), answer.orTimeout(5, TimeUnit.SECONDS).join());
        assertEquals(1, asked.get());
    }

    @Test
    void andThenDeniesOnANullStage() {
        AtomicInteger asked = new AtomicInteger();
        AuthHandler next = r -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(AuthResult.allow());
        };
        AuthHandler nullStage = r -> null;
        AuthHandler nullResult = r -> CompletableFuture.completedFuture(null);
        assertEquals(AuthResult.deny("authorization failed"), decide(nullStage.andThen(next), PUBLISH));
        assertEquals(AuthResult.deny("authorization failed"), decide(nullResult.andThen(next), PUBLISH));
        assertEquals(0, asked.get(), "next is not asked after a null");
        assertEquals(AuthResult.deny("authorization failed"), decide(AuthHandler.allowAll().andThen(nullStage), PUBLISH));
        assertThrows(NullPointerException.class, () -> AuthHandler.allowAll().andThen(null));
    }

    @Test
    void aCombinedHandlerDecidesInTheEngine() {
        AuthHandler needsToken = r -> CompletableFuture.completedFuture(
                "s3cret".equals(r.param("token")) ? AuthResult.allow() : AuthResult.deny("bad token"));
        AuthHandler rtmpOnly = r -> CompletableFuture.completedFuture(
                "rtmp".equals(r.protocol()) ? AuthResult.allow() : AuthResult.deny("rtmp only"));
        try (EngineFixture fx = new EngineFixture(b -> b.onPublish(needsToken.andThen(rtmpOnly)))) {
            assertTrue(decide(fx, PUBLISH).allowed());
            AuthRequest srt = AuthRequest.builder(AuthRequest.Action.PUBLISH, PUBLISH.key()).query(Map.of("token", "s3cret")).protocol("srt").build();
            assertEquals(AuthResult.deny("rtmp only"), decide(fx, srt));
            AuthRequest noToken = AuthRequest.builder(AuthRequest.Action.PUBLISH, PUBLISH.key()).protocol("srt").build();
            assertEquals(AuthResult.deny("bad token"), decide(fx, noToken));
        }
    }

    private static AuthResult decide(AuthHandler handler, AuthRequest request) {
        return handler.authorize(request).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static AuthResult decide(EngineFixture fx, AuthRequest request) {
        return fx.engine.authorize(request).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }
}
