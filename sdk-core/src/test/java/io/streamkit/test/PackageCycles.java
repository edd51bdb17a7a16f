package io.streamkit.test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package dependency graph of a module's compiled classes, and its cycles.
 *
 * <p>Reads the class files' constant pools (JVMS §4.4): every class a class names (its
 * {@code CONSTANT_Class} entries) and every type in its descriptors and generic signatures
 * ({@code L...;} in its {@code CONSTANT_Utf8} entries) is a dependency. That is what the
 * compiler kept, so a type named only in javadoc or a constant folded away does not count,
 * which is what the architecture cares about: what one package needs of another to load.
 * Only the packages of the scanned directory are nodes; a dependency on another module's
 * package cannot close a cycle, since modules depend on each other in one direction.
 *
 * <p>A cycle is a strongly connected component of more than one package (Tarjan's algorithm),
 * reported with the class-level dependencies that make each of its edges, so the message of a
 * failing check says which import to remove.
 */
public final class PackageCycles {
    private static final String PREFIX = "io/streamkit/";
    private static final Pattern TYPE = Pattern.compile("L(io/streamkit/[\\w/$]+)[;<]");

    /** package -> package it depends on -> "a.B -> c.D" examples, sorted for stable messages. */
    private final SortedMap<String, SortedMap<String, SortedSet<String>>> edges = new TreeMap<>();

    private PackageCycles() {
    }

    /**
     * Reads the classes of the directory (or jar's unpacked root) that holds {@code anchor}.
     *
     * @param anchor any main class of the module to check
     * @return the graph
     */
    public static PackageCycles ofModuleOf(Class<?> anchor) {
        try {
            return of(Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the classes of every module that holds one of the anchors, as one graph: a module's
     * classes are a directory ({@code target/classes}) or a jar (a sibling module's artifact in a
     * reactor build).
     *
     * @param anchors any main class of each module to check
     * @return the graph of all their packages
     */
    public static PackageCycles ofModulesOf(Class<?>... anchors) {
        PackageCycles graph = new PackageCycles();
        for (Class<?> anchor : anchors) {
            Path location;
            try {
                location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
            if (Files.isDirectory(location)) {
                graph.read(location);
            } else {
                try (FileSystem jar = FileSystems.newFileSystem(location)) {
                    graph.read(jar.getPath("/"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return graph.closed();
    }

    /**
     * Reads every class file under a directory.
     *
     * @param classes a class output directory, such as {@code target/classes}
     * @return the graph
     */
    public static PackageCycles of(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalArgumentException(classes + " is not a directory of classes");
        }
        PackageCycles graph = new PackageCycles();
        graph.read(classes);
        return graph.closed();
    }

    private void read(Path classes) {
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                name = name.substring(0, name.length() - ".class".length());
                if (name.endsWith("module-info") || name.endsWith("package-info") || name.startsWith("META-INF/")) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    add(name, referencedTypes(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps only the edges between packages read, so that the graph is the modules' own. */
    private PackageCycles closed() {
        edges.values().forEach(targets -> targets.keySet().retainAll(edges.keySet()));
        return this;
    }

    private void add(String className, Set<String> referenced) {
        String from = packageOf(className);
        SortedMap<String, SortedSet<String>> targets = edges.computeIfAbsent(from, p -> new TreeMap<>());
        for (String type : referenced) {
            String to = packageOf(type);
            if (!to.equals(from) && type.startsWith(PREFIX)) {
                targets.computeIfAbsent(to, p -> new TreeSet<>()).add(simple(className) + " -> " + simple(type));
            }
        }
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return (slash < 0 ? "" : internalName.substring(0, slash)).replace('/', '.');
    }

    private static String simple(String internalName) {
        String dotted = internalName.replace('/', '.');
        return dotted.startsWith("io.streamkit.") ? dotted.substring("io.streamkit.".length()) : dotted;
    }

    /** The classes a class file names, from its constant pool (JVMS §4.4). */
    private static Set<String> referencedTypes(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNames = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNames.add(in.readUnsignedShort());
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                default -> throw new IOException("constant pool tag " + tag + " unknown");
            }
        }
        Set<String> types = new TreeSet<>();
        for (int index : classNames) {
            String name = utf8[index];
            Matcher array = TYPE.matcher(name);
            if (name.startsWith("[")) {
                while (array.find()) {
                    types.add(array.group(1));
                }
            } else {
                types.add(name);
            }
        }
        for (String s : utf8) {
            if (s != null && s.indexOf('L') >= 0) {
                Matcher m = TYPE.matcher(s);
                while (m.find()) {
                    types.add(m.group(1));
                }
            }
        }
        return types;
    }

    /**
     * Returns the packages of the scanned classes.
     *
     * @return package names, sorted
     */
    public SortedSet<String> packages() {
        return new TreeSet<>(edges.keySet());
    }

    /**
     * Returns what a package depends on directly, each with the class-level references that make
     * the dependency ({@code "a.B -> c.D"}).
     *
     * @param pkg a package read, dotted
     * @return the packages it depends on (among those read), each with its references
     */
    public SortedMap<String, SortedSet<String>> dependenciesOf(String pkg) {
        return Collections.unmodifiableSortedMap(edges.getOrDefault(pkg, new TreeMap<>()));
    }

    /**
     * Returns the cycles: each a sorted set of the packages that reach each other.
     *
     * @return the cycles, sorted by their first package; empty when the graph is acyclic
     */
    public List<SortedSet<String>> cycles() {
        List<SortedSet<String>> found = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        for (String start : edges.keySet()) {
            if (!index.containsKey(start)) {
                strongConnect(start, index, low, stack, onStack, found);
            }
        }
        found.sort((a, b) -> a.first().compareTo(b.first()));
        return found;
    }

    private void strongConnect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                               Set<String> onStack, List<SortedSet<String>> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, new TreeMap<>()).keySet()) {
            if (!index.containsKey(w)) {
                strongConnect(w, index, low, stack, onStack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            SortedSet<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }

    /**
     * Describes the cycles for a failure message: each cycle's packages, then every dependency
     * between two of them with up to three of the class-level dependencies behind it.
     *
     * @return the description, or "no cycles"
     */
    public String describe() {
        List<SortedSet<String>> cycles = cycles();
        if (cycles.isEmpty()) {
            return "no cycles";
        }
        StringBuilder out = new StringBuilder();
        for (SortedSet<String> cycle : cycles) {
            out.append("cycle ").append(cycle).append('\n');
            for (String from : cycle) {
                edges.get(from).forEach((to, why) -> {
                    if (cycle.contains(to)) {
                        out.append("  ").append(from).append(" -> ").append(to).append(": ")
                                .append(String.join(", ", why.stream().limit(3).toList()))
                                .append(why.size() > 3 ? ", ... (" + why.size() + ")" : "").append('\n');
                    }
                });
            }
        }
        return out.toString();
    }
}
