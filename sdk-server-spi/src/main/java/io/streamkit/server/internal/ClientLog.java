package io.streamkit.server.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs clients' mistakes (protocol errors, refusals, timeouts) at a bounded rate, so that a
 * flood of bad clients cannot flood the log: a token bucket admits {@code ratePerSecond} lines
 * a second with bursts of {@code burst}; a line beyond that is counted, not written, and the
 * next line written says how many were suppressed since the last. The count is also a metric
 * ({@code streamkit_log_lines_suppressed_total}).
 *
 * <p>Shared by every listener of a server; thread-safe. A connection logs one line for its
 * mistake and then closes (see the protocols' handlers), so the bucket bounds lines per
 * second, not per connection.
 */
public final class ClientLog {
    private final double ratePerNano;
    private final double burst;
    private final java.util.function.LongSupplier nanoTime;
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong pendingReport = new AtomicLong();
    private static final String REPORT = " ({} similar lines suppressed before this one)";
    private double tokens;
    private long last;

    /**
     * @param ratePerSecond lines per second in the long run; 0 writes none
     * @param burst lines that may be written at once after a quiet time
     */
    public ClientLog(int ratePerSecond, int burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    ClientLog(int ratePerSecond, int burst, java.util.function.LongSupplier nanoTime) {
        if (ratePerSecond < 0 || burst < 0) {
            throw new IllegalArgumentException("log rate and burst must be zero or above");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = Math.max(burst, ratePerSecond == 0 ? 0 : 1);
        this.nanoTime = nanoTime;
        this.tokens = this.burst;
        this.last = nanoTime.getAsLong();
    }

    /** Lines not written since the server started. */
    public long suppressed() {
        return suppressed.get();
    }

    /**
     * Writes a line at INFO if the rate allows, else counts it.
     *
     * @param log the caller's logger
     * @param format an SLF4J format
     * @param args its arguments; no throwable (a client's mistake carries no stack trace)
     */
    public void info(Logger log, String format, Object... args) {
        if (log.isInfoEnabled() && admit()) {
            long report = pendingReport.getAndSet(0);
            log.info(report == 0 ? format : format + REPORT, report == 0 ? args : append(args, report));
        }
    }

    /**
     * Writes a line at WARN if the rate allows, else counts it.
     *
     * @param log the caller's logger
     * @param format an SLF4J format
     * @param args its arguments; no throwable
     */
    public void warn(Logger log, String format, Object... args) {
        if (log.isWarnEnabled() && admit()) {
            long report = pendingReport.getAndSet(0);
            log.warn(report == 0 ? format : format + REPORT, report == 0 ? args : append(args, report));
        }
    }

    /**
     * Takes a token, or counts a suppressed line.
     *
     * @return whether a line may be written now
     */
    public synchronized boolean admit() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        suppressed.incrementAndGet();
        pendingReport.incrementAndGet();
        return false;
    }

    private static Object[] append(Object[] args, long report) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = report;
        return all;
    }
}
