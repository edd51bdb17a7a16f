package io.streamkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamkit.server.MediaServer;
import io.streamkit.test.PackageCycles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No package of {@code streamkit-protocols} depends, directly or not, on a package that
 * depends on it. A failure names the class-level dependencies of each cycle.
 */
class ProtocolPackageCyclesTest {

    @Test
    void protocolPackagesFormNoCycle() {
        PackageCycles graph = PackageCycles.ofModuleOf(MediaServer.class);
        assertEquals(List.of(), graph.cycles(), graph.describe());
    }
}
