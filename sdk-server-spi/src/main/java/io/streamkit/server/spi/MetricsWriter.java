package io.streamkit.server.spi;

/**
 * Where a module writes its metrics for the server's {@code /metrics} (Prometheus text format
 * 0.0.4): a family's HELP and TYPE, then its samples. Names follow Prometheus' rules
 * ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}, base units, {@code _total} for counters) and start with
 * {@code streamkit_} for Streamkit's modules; {@code promtool check metrics} must accept them.
 */
public interface MetricsWriter {

    /**
     * Starts a family.
     *
     * @param name the metric's name
     * @param type {@code counter} or {@code gauge}
     * @param help one line saying what it measures
     * @return this writer
     */
    MetricsWriter family(String name, String type, String help);

    /**
     * Writes a sample of the family last started.
     *
     * @param name the metric's name
     * @param value the value
     * @param labels label names and values, alternating
     * @return this writer
     */
    MetricsWriter sample(String name, long value, String... labels);
}
