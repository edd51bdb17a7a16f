package io.streamkit.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private static AuthResult decide(EngineFixture fx, AuthRequest request) {
        return fx.engine.authorize(request).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }
}
