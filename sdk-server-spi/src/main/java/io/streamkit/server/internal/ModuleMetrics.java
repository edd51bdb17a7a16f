package io.streamkit.server.internal;

import io.streamkit.server.spi.MetricsSource;
import io.streamkit.server.spi.MetricsWriter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The metrics sources modules declared, which the HTTP module's {@code /metrics} writes after its own. Thread-safe. */
public final class ModuleMetrics {
    private static final Logger log = LoggerFactory.getLogger(ModuleMetrics.class);
    private final List<MetricsSource> sources = new CopyOnWriteArrayList<>();

    /** Creates an empty set of sources. */
    public ModuleMetrics() {
    }

    /**
     * Adds a module's source.
     *
     * @param source its metrics
     */
    public void add(MetricsSource source) {
        sources.add(Objects.requireNonNull(source, "source"));
    }

    /**
     * Writes every source; one that throws is left out and logged.
     *
     * @param out where they go
     */
    public void writeTo(MetricsWriter out) {
        for (MetricsSource s : sources) {
            try {
                s.write(out);
            } catch (RuntimeException e) {
                log.warn("metrics source {} threw; left out of this reading", s.getClass().getName(), e);
            }
        }
    }
}
