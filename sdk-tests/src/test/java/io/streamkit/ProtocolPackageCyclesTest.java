package io.streamkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hls.HlsConfig;
import io.streamkit.http.HttpConfig;
import io.streamkit.httpflv.internal.HttpFlvModule;
import io.streamkit.record.RecordConfig;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.rtsp.RtspConfig;
import io.streamkit.server.MediaServer;
import io.streamkit.test.PackageCycles;
import io.streamkit.transport.TlsConfig;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

/**
 * The packages of the protocol modules ({@code streamkit-server-spi}, {@code -rtmp}, {@code -rtsp},
 * {@code -http}, {@code -httpflv}, {@code -hls}, {@code -record}, {@code -webhook}, {@code -cluster} and {@code streamkit-protocols}), read from their
 * classes as one graph: no package depends, directly or not, on a package that depends on it, and
 * a protocol module reaches another only through HTTP's mount SPI. Maven keeps the modules
 * themselves acyclic; this keeps the packages inside them so, and the modules' rule that the build
 * alone would allow to erode (HLS, HTTP-FLV and recording may read all of HTTP's exported packages). A
 * failure names the class-level dependencies.
 */
class ProtocolPackageCyclesTest {
    private static final PackageCycles GRAPH = PackageCycles.ofModulesOf(MediaServer.class, TlsConfig.class,
            RtmpConfig.class, RtspConfig.class, HttpConfig.class, HttpFlvModule.class, HlsConfig.class, RecordConfig.class,
            io.streamkit.webhook.WebhookConfig.class, io.streamkit.cluster.RelayConfig.class);

    @Test
    void protocolPackagesFormNoCycle() {
        assertTrue(GRAPH.packages().containsAll(List.of("io.streamkit.server", "io.streamkit.server.spi",
                "io.streamkit.rtmp.internal", "io.streamkit.rtsp", "io.streamkit.rtsp.internal",
                "io.streamkit.http.spi", "io.streamkit.httpflv.internal",
                "io.streamkit.hls.internal", "io.streamkit.record", "io.streamkit.record.internal",
                "io.streamkit.webhook", "io.streamkit.webhook.internal", "io.streamkit.cluster",
                "io.streamkit.cluster.internal")), "every module read: " + GRAPH.packages());
        assertEquals(List.of(), GRAPH.cycles(), GRAPH.describe());
    }

    @Test
    void mountedModulesReachHttpOnlyThroughItsMountSpi() {
        for (String pkg : GRAPH.packages()) {
            if (!pkg.startsWith("io.streamkit.httpflv") && !pkg.startsWith("io.streamkit.hls")
                    && !pkg.startsWith("io.streamkit.record") && !pkg.startsWith("io.streamkit.cluster")) {
                continue;
            }
            for (Map.Entry<String, SortedSet<String>> dep : GRAPH.dependenciesOf(pkg).entrySet()) {
                String to = dep.getKey();
                boolean http = to.equals("io.streamkit.http") || to.startsWith("io.streamkit.http.");
                assertTrue(!http || to.equals("io.streamkit.http.spi"), pkg + " depends on " + to + ": " + dep.getValue());
            }
        }
    }

    @Test
    void webhooksReachNoProtocol() {
        for (String pkg : GRAPH.packages()) {
            if (!pkg.startsWith("io.streamkit.webhook")) {
                continue;
            }
            for (Map.Entry<String, SortedSet<String>> dep : GRAPH.dependenciesOf(pkg).entrySet()) {
                String to = dep.getKey();
                assertTrue(to.startsWith("io.streamkit.webhook") || to.equals("io.streamkit.server.spi"),
                        pkg + " depends on " + to + ": " + dep.getValue());
            }
        }
    }

    @Test
    void relaysReachOtherProtocolsOnlyThroughRelaySchemes() {
        for (String pkg : GRAPH.packages()) {
            if (!pkg.startsWith("io.streamkit.cluster")) {
                continue;
            }
            for (Map.Entry<String, SortedSet<String>> dep : GRAPH.dependenciesOf(pkg).entrySet()) {
                String to = dep.getKey();
                assertTrue(to.startsWith("io.streamkit.cluster") || to.equals("io.streamkit.server.spi")
                        || to.equals("io.streamkit.http.spi"), pkg + " depends on " + to + ": " + dep.getValue());
            }
        }
    }

    @Test
    void rtmpReachesNoOtherProtocol() {
        reachesNoOtherProtocol("io.streamkit.rtmp");
    }

    @Test
    void rtspReachesNoOtherProtocol() {
        reachesNoOtherProtocol("io.streamkit.rtsp");
    }

    /** A module's packages reach only their own, the server SPI's and the transports. */
    private static void reachesNoOtherProtocol(String module) {
        for (String pkg : GRAPH.packages()) {
            if (!pkg.equals(module) && !pkg.startsWith(module + ".")) {
                continue;
            }
            for (Map.Entry<String, SortedSet<String>> dep : GRAPH.dependenciesOf(pkg).entrySet()) {
                String to = dep.getKey();
                assertTrue(to.equals(module) || to.startsWith(module + ".") || to.startsWith("io.streamkit.server.")
                        || to.equals("io.streamkit.transport"), pkg + " depends on " + to + ": " + dep.getValue());
            }
        }
    }
}
