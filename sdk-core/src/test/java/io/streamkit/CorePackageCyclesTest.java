package io.streamkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamkit.stream.StreamKey;
import io.streamkit.test.PackageCycles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No package of {@code streamkit-core} depends, directly or not, on a package that depends on
 * it: the layers of the architecture (values and roles, codecs, formats, the engine behind
 * them) stay layers. A failure names the class-level dependencies of each cycle.
 */
class CorePackageCyclesTest {

    @Test
    void corePackagesFormNoCycle() {
        PackageCycles graph = PackageCycles.ofModuleOf(StreamKey.class);
        assertEquals(List.of(), graph.cycles(), graph.describe());
    }
}
