package io.streamkit.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition by polling with a deadline; never a fixed sleep. */
public final class Await {
    private static final long POLL_NANOS = 500_000;

    private Await() {
    }

    /**
     * Polls until {@code condition} holds or the deadline passes.
     *
     * @param timeout the deadline
     * @param condition what to wait for
     * @param description what the condition means, for the failure message
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + description.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                throw new AssertionError("interrupted while waiting for: " + description.get());
            }
        }
    }
}
