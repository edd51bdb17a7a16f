package io.streamkit.test;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every fuzz target of a module behind one {@code @FuzzTest}, so that {@code ./mvnw verify}
 * fuzzes all of them in one JVM per module: Jazzer fuzzes one test per JVM, and starting a JVM
 * with its agent costs seconds, more than the few seconds each target gets.
 *
 * <p>The targets are the {@code *FuzzTest} classes compiled beside the multiplexer (its own
 * test output directory), sorted by name, each with one method annotated
 * {@code @FuzzTest} that takes a {@code byte[]} or a {@link FuzzedDataProvider}; the
 * multiplexers themselves ({@code *ParsersFuzzTest}) are left out. A new target is picked up
 * without being listed anywhere. The input's last byte picks the target (its index modulo the
 * count); a {@code byte[]} target gets the rest of the input, a provider target the provider.
 * {@code sdk-bench/fuzz-seeds.py} writes the multiplexers' seeds as each target's seeds with
 * that byte appended.
 *
 * <p>Targets are created once and called for every input, as Jazzer itself does; they keep no
 * state from one input to the next.
 */
public final class FuzzTargets {
    private static final String FUZZ_TEST = "com.code_intelligence.jazzer.junit.FuzzTest";

    private final List<Target> targets;

    private record Target(String name, Object instance, Method method, boolean takesProvider) {
    }

    private FuzzTargets(List<Target> targets) {
        this.targets = targets;
    }

    /**
     * Finds the fuzz targets compiled beside a multiplexer.
     *
     * @param multiplexer the {@code *ParsersFuzzTest} class of a module
     * @return the targets, sorted by class name
     * @throws IllegalStateException when a target is not as described in the class comment
     */
    public static FuzzTargets beside(Class<?> multiplexer) {
        Path root;
        try {
            root = Path.of(multiplexer.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.map(p -> root.relativize(p).toString())
                    .filter(n -> n.endsWith("FuzzTest.class") && !n.endsWith("ParsersFuzzTest.class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace(root.getFileSystem().getSeparator(), "."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Target> targets = new ArrayList<>();
        for (String name : names) {
            targets.add(target(name, multiplexer.getClassLoader()));
        }
        if (targets.isEmpty() || targets.size() > 256) {
            throw new IllegalStateException(targets.size() + " fuzz targets beside " + multiplexer.getName()
                    + "; one byte picks one of 1 to 256");
        }
        return new FuzzTargets(List.copyOf(targets));
    }

    private static Target target(String name, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(name, true, loader);
            List<Method> methods = Arrays.stream(type.getDeclaredMethods())
                    .filter(m -> Arrays.stream(m.getAnnotations())
                            .anyMatch(a -> a.annotationType().getName().equals(FUZZ_TEST)))
                    .toList();
            if (methods.size() != 1 || methods.get(0).getParameterCount() != 1) {
                throw new IllegalStateException(name + " needs exactly one @FuzzTest method of one parameter");
            }
            Method method = methods.get(0);
            Class<?> parameter = method.getParameterTypes()[0];
            if (parameter != byte[].class && parameter != FuzzedDataProvider.class) {
                throw new IllegalStateException(name + "." + method.getName() + " takes a " + parameter.getName()
                        + ", not a byte[] or a FuzzedDataProvider");
            }
            method.setAccessible(true);
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return new Target(name, constructor.newInstance(), method, parameter == FuzzedDataProvider.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fuzz target " + name + " cannot be created", e);
        }
    }

    /**
     * Returns the targets' class names, in the order the input's last byte indexes them.
     *
     * @return fully qualified class names
     */
    public List<String> names() {
        return targets.stream().map(Target::name).toList();
    }

    /**
     * Runs the target the input's last byte picks on the rest of the input.
     *
     * @param data the fuzzer's input
     */
    public void run(FuzzedDataProvider data) {
        Target t = targets.get(data.consumeInt(0, targets.size() - 1));
        Object argument = t.takesProvider() ? data : data.consumeRemainingAsBytes();
        try {
            t.method().invoke(t.instance(), argument);
        } catch (InvocationTargetException e) {
            throw FuzzTargets.<RuntimeException>rethrow(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Throws the target's own failure, checked or not, so that the fuzzer reports it as the target threw it. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T rethrow(Throwable t) throws T {
        throw (T) t;
    }
}
