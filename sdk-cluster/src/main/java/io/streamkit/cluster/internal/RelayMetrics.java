package io.streamkit.cluster.internal;

import io.streamkit.cluster.RelayInfo;
import io.streamkit.cluster.RelayKind;
import io.streamkit.relay.RelayState;
import io.streamkit.server.spi.MetricsWriter;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/** The relay module's numbers in {@code /metrics}: relays by kind and state, bytes and retries by kind. */
final class RelayMetrics {
    private final LongAdder[] bytesOfRemoved = adders();
    private final LongAdder[] retries = adders();
    private final LongAdder[] claimsLost = adders();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[RelayKind.values().length];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    void retried(RelayKind kind) {
        retries[kind.ordinal()].increment();
    }

    void removed(RelayInfo info) {
        bytesOfRemoved[info.kind().ordinal()].add(info.status().bytes());
    }

    void claimLost() {
        claimsLost[0].increment();
    }

    void write(MetricsWriter out, Collection<RelayInfo> relays, int claims) {
        long[][] byState = new long[RelayKind.values().length][RelayState.values().length];
        long[] bytes = new long[RelayKind.values().length];
        for (RelayInfo r : relays) {
            byState[r.kind().ordinal()][r.status().state().ordinal()]++;
            bytes[r.kind().ordinal()] += r.status().bytes();
        }
        out.family("streamkit_relays", "gauge", "Relays now, by kind (forward, push, pull, on_demand) and state.");
        for (RelayKind k : RelayKind.values()) {
            for (RelayState s : RelayState.values()) {
                if (s != RelayState.IDLE) {
                    out.sample("streamkit_relays", byState[k.ordinal()][s.ordinal()], "kind", name(k), "state", name(s));
                }
            }
        }
        out.family("streamkit_relay_bytes_total", "counter", "Media payload bytes relays moved, by kind.");
        for (RelayKind k : RelayKind.values()) {
            out.sample("streamkit_relay_bytes_total", bytesOfRemoved[k.ordinal()].sum() + bytes[k.ordinal()], "kind", name(k));
        }
        out.family("streamkit_relay_retries_total", "counter", "Relay attempts scheduled after a failed or ended one, by kind.");
        for (RelayKind k : RelayKind.values()) {
            out.sample("streamkit_relay_retries_total", retries[k.ordinal()].sum(), "kind", name(k));
        }
        out.family("streamkit_directory_claims", "gauge", "Streams this origin holds in the stream directory now.");
        out.sample("streamkit_directory_claims", claims);
        out.family("streamkit_directory_claims_lost_total", "counter",
                "Claims another node took over, or that expired before their renewal.");
        out.sample("streamkit_directory_claims_lost_total", claimsLost[0].sum());
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
