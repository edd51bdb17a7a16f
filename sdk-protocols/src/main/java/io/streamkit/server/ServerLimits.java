package io.streamkit.server;

/**
 * Limits that hold for the whole server, across its protocols: the memory budget of unfinished
 * input, and the rate at which clients' mistakes are logged. Each protocol's own limits are in
 * its config ({@code RtmpConfig}, {@code HttpConfig}).
 *
 * <table>
 *   <caption>Limits and why the defaults are what they are</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code memoryBudget}</td><td>a quarter of the JVM's direct memory limit, at least
 *       {@value #MIN_DEFAULT_MEMORY_BUDGET} bytes</td><td>bytes of inbound messages begun but
 *       not complete (RTMP messages over many chunks, HTTP bodies), all connections together;
 *       the rest of direct memory is for the GOP caches, player backlogs and the pool's own
 *       caches, so a flood of partial messages can never take the memory live streams need</td></tr>
 *   <tr><td>{@code memoryPerAddress}</td><td>{@value #DEFAULT_MEMORY_PER_ADDRESS} bytes</td><td>the
 *       same, for the connections of one client address: several publishers' keyframes in flight
 *       at once, while one attacker's address cannot take the whole budget</td></tr>
 *   <tr><td>{@code logLinesPerSecond}</td><td>{@value #DEFAULT_LOG_LINES_PER_SECOND}</td><td>lines
 *       about clients' mistakes (refusals, protocol errors, timeouts) in the long run; beyond it
 *       lines are counted ({@code streamkit_log_lines_suppressed_total}), not written</td></tr>
 *   <tr><td>{@code logBurst}</td><td>{@value #DEFAULT_LOG_BURST}</td><td>lines that may come at
 *       once after a quiet time</td></tr>
 * </table>
 */
public final class ServerLimits {
    /** The least default budget: a few keyframes of several publishers on a small heap. */
    public static final long MIN_DEFAULT_MEMORY_BUDGET = 64L << 20;
    /** Per address: four 8 MiB messages (RTMP's default message limit) of two connections each. */
    public static final long DEFAULT_MEMORY_PER_ADDRESS = 64L << 20;
    /** Lines per second: enough to see what happens, too few to fill a disk. */
    public static final int DEFAULT_LOG_LINES_PER_SECOND = 20;
    /** Burst: a scan's first lines are all shown. */
    public static final int DEFAULT_LOG_BURST = 100;

    private final long memoryBudget;
    private final long memoryPerAddress;
    private final int logLinesPerSecond;
    private final int logBurst;

    private ServerLimits(Builder b) {
        this.memoryBudget = b.memoryBudget;
        this.memoryPerAddress = b.memoryPerAddress;
        this.logLinesPerSecond = b.logLinesPerSecond;
        this.logBurst = b.logBurst;
    }

    /**
     * The defaults.
     *
     * @return limits with every default
     */
    public static ServerLimits defaults() {
        return builder().build();
    }

    /**
     * Starts limits from the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return bytes of unfinished input all connections may hold together */
    public long memoryBudget() {
        return memoryBudget;
    }

    /** @return bytes of unfinished input the connections of one address may hold together */
    public long memoryPerAddress() {
        return memoryPerAddress;
    }

    /** @return lines about clients' mistakes written per second in the long run */
    public int logLinesPerSecond() {
        return logLinesPerSecond;
    }

    /** @return lines about clients' mistakes that may be written at once */
    public int logBurst() {
        return logBurst;
    }

    /** The default budget: a quarter of the direct memory limit, at least 64 MiB. */
    static long defaultMemoryBudget() {
        return Math.max(MIN_DEFAULT_MEMORY_BUDGET, io.netty.util.internal.PlatformDependent.maxDirectMemory() / 4);
    }

    /** Builds {@link ServerLimits}; each setter checks its argument at once. */
    public static final class Builder {
        private long memoryBudget = defaultMemoryBudget();
        private long memoryPerAddress = DEFAULT_MEMORY_PER_ADDRESS;
        private int logLinesPerSecond = DEFAULT_LOG_LINES_PER_SECOND;
        private int logBurst = DEFAULT_LOG_BURST;

        private Builder() {
        }

        /**
         * Sets the bytes of unfinished input that all connections may hold together.
         *
         * @param bytes at least 1 MiB
         * @return this builder
         */
        public Builder memoryBudget(long bytes) {
            if (bytes < (1 << 20)) {
                throw new IllegalArgumentException("memoryBudget " + bytes + " is below 1 MiB");
            }
            this.memoryBudget = bytes;
            return this;
        }

        /**
         * Sets the bytes of unfinished input that the connections of one client address may hold.
         *
         * @param bytes at least 64 KiB
         * @return this builder
         */
        public Builder memoryPerAddress(long bytes) {
            if (bytes < (64 << 10)) {
                throw new IllegalArgumentException("memoryPerAddress " + bytes + " is below 64 KiB");
            }
            this.memoryPerAddress = bytes;
            return this;
        }

        /**
         * Sets how many lines about clients' mistakes are written per second in the long run.
         *
         * @param lines zero or more; 0 writes none and counts them all
         * @return this builder
         */
        public Builder logLinesPerSecond(int lines) {
            if (lines < 0) {
                throw new IllegalArgumentException("logLinesPerSecond " + lines + " is below 0");
            }
            this.logLinesPerSecond = lines;
            return this;
        }

        /**
         * Sets how many lines about clients' mistakes may be written at once.
         *
         * @param lines zero or more
         * @return this builder
         */
        public Builder logBurst(int lines) {
            if (lines < 0) {
                throw new IllegalArgumentException("logBurst " + lines + " is below 0");
            }
            this.logBurst = lines;
            return this;
        }

        /**
         * Builds the limits.
         *
         * @return the limits
         * @throws IllegalArgumentException when the per-address share exceeds the whole budget
         */
        public ServerLimits build() {
            if (memoryPerAddress > memoryBudget) {
                throw new IllegalArgumentException("memoryPerAddress " + memoryPerAddress + " exceeds memoryBudget "
                        + memoryBudget + "; lower the first or raise the second");
            }
            return new ServerLimits(this);
        }
    }
}
