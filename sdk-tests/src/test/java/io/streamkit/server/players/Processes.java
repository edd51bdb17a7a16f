package io.streamkit.server.players;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The external processes one test class starts: each bounded in time, and every one still
 * running destroyed by {@link #close()}.
 *
 * <p>Thread-safe: players run a few at a time from a pool.
 */
public final class Processes implements AutoCloseable {
    /** How long a process stopped with SIGTERM gets to finish its file before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final List<Process> started = new CopyOnWriteArrayList<>();

    /**
     * Starts a process with standard input from {@code /dev/null}.
     *
     * @param stdout where standard output goes
     * @param stderr where standard error goes; the same path as {@code stdout} merges them
     * @param command the command
     * @return the running process, destroyed at the latest by {@link #close()}
     */
    public Process start(Path stdout, Path stderr, List<String> command) {
        return start(stdout, stderr, command, Map.of());
    }

    /**
     * Starts a process with standard input from {@code /dev/null} and extra environment variables.
     *
     * @param stdout where standard output goes
     * @param stderr where standard error goes; the same path as {@code stdout} merges them
     * @param command the command
     * @param environment variables to set on top of this JVM's environment
     * @return the running process, destroyed at the latest by {@link #close()}
     */
    public Process start(Path stdout, Path stderr, List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            b.environment().putAll(environment);
            if (stdout.equals(stderr)) {
                b.redirectErrorStream(true);
            } else {
                b.redirectError(stderr.toFile());
            }
            Process p = b.start();
            started.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command), e);
        }
    }

    /**
     * Runs a process to its end, output and errors both in {@code log}.
     *
     * @param bound the most it may take; past it the process is destroyed and this fails
     * @param log its output
     * @param command the command
     * @return its exit status
     * @throws AssertionError when it runs past the bound, with the end of its log
     */
    public int run(Duration bound, Path log, List<String> command) {
        Process p = start(log, log, command);
        if (!waitFor(p, bound)) {
            stop(p);
            throw new AssertionError(String.join(" ", command) + " did not finish within " + bound + ":\n" + tail(log));
        }
        return p.exitValue();
    }

    /**
     * Waits for a process to end.
     *
     * @param p the process
     * @param bound the most to wait
     * @return whether it ended
     */
    public static boolean waitFor(Process p, Duration bound) {
        try {
            return p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops a process as a user would: SIGTERM, so that it can close its file, then SIGKILL
     * if it is still there after a few seconds.
     *
     * @param p the process
     * @return whether it was still running when asked to stop
     */
    public static boolean stop(Process p) {
        boolean alive = p.isAlive();
        p.destroy();
        if (!waitFor(p, STOP_GRACE)) {
            p.destroyForcibly();
            waitFor(p, STOP_GRACE);
        }
        return alive;
    }

    /**
     * Returns the last lines of a log, for a failure message.
     *
     * @param log the file
     * @return up to its last 15 lines
     */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Destroys every process still running. */
    @Override
    public void close() {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        for (Process p : started) {
            waitFor(p, STOP_GRACE);
        }
    }
}
