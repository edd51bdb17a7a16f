package io.streamkit.server.spi;

/**
 * A module's metrics, written each time {@code /metrics} is read ({@link ModuleContext#metrics}).
 * Called on an HTTP event loop: it reads counters it keeps, fast, without blocking; one that
 * throws is left out of that reading and logged.
 */
@FunctionalInterface
public interface MetricsSource {

    /**
     * Writes the module's families and samples now.
     *
     * @param out where they go
     */
    void write(MetricsWriter out);
}
