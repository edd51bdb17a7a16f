package io.streamkit.bench.load;

import java.util.Arrays;

/**
 * Latencies counted in fixed log-linear buckets of microseconds: exact below
 * {@value #EXACT_BELOW} µs, then {@value #BUCKETS_PER_OCTAVE} buckets per power of two, so a
 * bucket is at most 1/{@value #BUCKETS_PER_OCTAVE} (1.6%) of its value wide. Recording
 * allocates nothing; the table is {@value #BUCKETS} longs (16 KB).
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>what</th><th>value</th><th>beyond it</th></tr>
 *   <tr><td>largest bucketed value</td><td>2<sup>36</sup> µs (19 h)</td>
 *       <td>counted in the last bucket; {@link #maxNanos()} stays exact</td></tr>
 *   <tr><td>negative latency</td><td>0</td><td>counted as 0</td></tr>
 * </table>
 *
 * <p>Threads: one writer, the event loop whose players record here. Other threads may read
 * racily (a periodic summary tolerates a count that is one behind) and read exactly once the
 * writer's loop has shut down.
 */
final class LatencyHistogram {
    /** Values below this many µs have a bucket each. */
    static final int EXACT_BELOW = 128;
    /** Buckets per power of two above {@link #EXACT_BELOW}: 1.6% resolution is finer than any jitter we measure. */
    static final int BUCKETS_PER_OCTAVE = 64;
    /** The highest power of two bucketed, 2^35 µs (9.5 h): far above any latency worth telling apart. */
    static final int TOP_EXPONENT = 35;
    static final int BUCKETS = EXACT_BELOW + (TOP_EXPONENT - 6) * BUCKETS_PER_OCTAVE;

    private static final int FIRST_EXPONENT = 7;   // log2(EXACT_BELOW)
    private static final int SUB_BITS = 6;         // log2(BUCKETS_PER_OCTAVE)

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long maxNanos;

    /** Counts one latency. */
    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v / 1000)]++;
        total++;
        if (v > maxNanos) {
            maxNanos = v;
        }
    }

    /** How many latencies were counted. */
    long count() {
        return total;
    }

    /** The largest latency counted, exact, or 0 when none. */
    long maxNanos() {
        return maxNanos;
    }

    /** Sets this to {@code a}'s counts minus {@code b}'s (what was counted between two copies); the max becomes the top bucket's. */
    void setToDifference(LatencyHistogram a, LatencyHistogram b) {
        total = 0;
        maxNanos = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long c = Math.max(0, a.counts[i] - b.counts[i]);
            counts[i] = c;
            total += c;
            if (c > 0) {
                maxNanos = Math.min(a.maxNanos, upperMicros(i) * 1000);
            }
        }
    }

    /** Adds {@code other}'s counts into this; {@code other} may be being written (a racy copy is off by the latest few). */
    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            long c = other.counts[i];
            counts[i] += c;
            total += c;   // not other.total: read racily, the sum of the counts is what percentiles walk
        }
        maxNanos = Math.max(maxNanos, other.maxNanos);
    }

    void clear() {
        Arrays.fill(counts, 0);
        total = 0;
        maxNanos = 0;
    }

    /**
     * The value at quantile {@code q} (nearest rank) in milliseconds: the upper edge of its
     * bucket, never above the max; NaN when empty.
     */
    double percentileMillis(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperMicros(i) * 1000, maxNanos) / 1e6;
            }
        }
        return maxNanos / 1e6;
    }

    static int index(long micros) {
        if (micros < EXACT_BELOW) {
            return (int) micros;
        }
        int exponent = Math.min(63 - Long.numberOfLeadingZeros(micros), TOP_EXPONENT);
        if (exponent == TOP_EXPONENT && micros >= 2L << TOP_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (micros >>> (exponent - SUB_BITS)) - BUCKETS_PER_OCTAVE;
        return EXACT_BELOW + (exponent - FIRST_EXPONENT) * BUCKETS_PER_OCTAVE + sub;
    }

    /** The largest value, in µs, that falls in bucket {@code i}. */
    static long upperMicros(int i) {
        if (i < EXACT_BELOW) {
            return i;
        }
        int exponent = FIRST_EXPONENT + (i - EXACT_BELOW) / BUCKETS_PER_OCTAVE;
        long sub = BUCKETS_PER_OCTAVE + (i - EXACT_BELOW) % BUCKETS_PER_OCTAVE;
        int shift = exponent - SUB_BITS;
        return ((sub + 1) << shift) - 1;
    }
}
