package io.streamkit.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.test.cycle.a.Ping;
import io.streamkit.test.cycle.b.Pong;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cycle check finds a cycle made of a class reference one way and a generic signature the other. */
class PackageCyclesTest {

    @Test
    void findsACycleThroughAClassReferenceAndASignature(@TempDir Path dir) throws Exception {
        copy(Ping.class, dir);
        copy(Pong.class, dir);
        PackageCycles graph = PackageCycles.of(dir);
        assertEquals(Set.of("io.streamkit.test.cycle.a", "io.streamkit.test.cycle.b"), graph.packages());
        assertEquals(List.of(new TreeSet<>(graph.packages())), graph.cycles());
        String described = graph.describe();
        assertTrue(described.contains("test.cycle.a -> io.streamkit.test.cycle.b: test.cycle.a.Ping -> test.cycle.b.Pong"),
                described);
        assertTrue(described.contains("test.cycle.b.Pong -> test.cycle.a.Ping"), described);
    }

    @Test
    void aOneWayDependencyIsNoCycle(@TempDir Path dir) throws Exception {
        copy(Ping.class, dir);
        copy(PackageCyclesTest.class, dir);
        PackageCycles graph = PackageCycles.of(dir);
        assertEquals(List.of(), graph.cycles(), graph.describe());
        assertEquals("no cycles", graph.describe());
    }

    private static void copy(Class<?> type, Path root) throws Exception {
        String name = type.getName().replace('.', '/') + ".class";
        Path from = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(name);
        Path to = root.resolve(name);
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }
}
