package io.streamkit.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.relay.RelayState;
import io.streamkit.relay.RelayStatus;
import java.net.ConnectException;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RelayProgressTest {

    @Test
    void aRelayGoesLiveOnceAndStopsForGood() {
        RelayProgress p = new RelayProgress();
        assertEquals(RelayState.IDLE, p.status(0, 0).state());
        assertTrue(p.begin());
        assertFalse(p.begin(), "start() begins once");
        assertEquals(RelayState.CONNECTING, p.status(0, 1).state());
        p.live();
        assertTrue(p.wentLive());
        assertTrue(p.started().toCompletableFuture().isDone());
        assertFalse(p.failStart(new ConnectException("late")), "a started relay's start() stays successful");
        AtomicInteger told = new AtomicInteger();
        assertTrue(p.finish(new ConnectException("reset by peer"), false, told::incrementAndGet));
        assertFalse(p.finish(new ConnectException("again"), false, told::incrementAndGet));
        assertEquals(1, told.get());
        RelayStatus s = p.status(1234, 1);
        assertEquals(RelayState.STOPPED, s.state());
        assertEquals("reset by peer", s.lastError().orElseThrow());
        assertEquals(1234, s.bytes());
        p.state(RelayState.CONNECTING, null);
        assertEquals(RelayState.STOPPED, p.status(0, 1).state(), "STOPPED is final");
        assertTrue(p.done().toCompletableFuture().isDone());
    }

    @Test
    void aFirstAttemptsFailureFailsStartAndAClosingIsNoError() {
        RelayProgress p = new RelayProgress();
        p.begin();
        p.state(RelayState.RETRYING, Instant.parse("2026-12-07T00:00:10Z"));
        assertEquals(Instant.parse("2026-12-07T00:00:10Z"), p.status(0, 1).retryAt().orElseThrow());
        assertTrue(p.failStart(new ConnectException("refused")));
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> p.started().toCompletableFuture().join());
        assertTrue(e.getCause() instanceof ConnectException);
        p.finish(new IllegalStateException("closed"), true, () -> { });
        assertTrue(p.status(0, 1).lastError().isEmpty(), "closing on purpose is no error");
        assertTrue(p.status(0, 1).retryAt().isEmpty());
    }
}
