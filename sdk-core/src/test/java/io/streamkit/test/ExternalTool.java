package io.streamkit.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs an independent tool (ffmpeg, ffprobe, rtmpdump, ...) for an interop test.
 *
 * <p>Without the tool, a test is skipped with a message naming it on a developer machine,
 * and fails under {@code CI=true}, where {@code .ci/run} installs it: interop tests must run
 * in CI. Every run is bounded in time and its process is destroyed when the time is up.
 */
public final class ExternalTool {
    private ExternalTool() {
    }

    /**
     * Skips (or, in CI, fails) the calling test when {@code tool} is not on the PATH.
     *
     * @param tool the executable's name
     */
    public static void require(String tool) {
        if (installed(tool)) {
            return;
        }
        String message = missingMessage(tool);
        if (ci()) {
            throw new AssertionError(message + " (CI=true: interop tests must run)");
        }
        Assumptions.abort(message);
    }

    /**
     * Tells whether {@code tool} is on the PATH, for a test that runs many tools and reports
     * each missing one in its own row rather than skipping everything.
     *
     * @param tool the executable's name
     * @return whether it can be run
     */
    public static boolean installed(String tool) {
        return find(tool) != null;
    }

    /**
     * Says that {@code tool} is missing and which Debian packages bring it.
     *
     * @param tool the executable's name
     * @return a message for a skipped or failed test
     */
    public static String missingMessage(String tool) {
        return tool + " is not installed; install it (Debian: apt-get install " + debianPackages(tool)
                + ") to run this interop test";
    }

    /**
     * Tells whether the tests run in CI ({@code CI=true}), where a missing tool is a failure.
     *
     * @return whether {@code CI=true}
     */
    public static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    /**
     * Skips (or, in CI, fails) the calling test when a file a tool needs is missing.
     *
     * @param file the file, for example an npm package's script
     * @param hint how to get it
     */
    public static void requireFile(Path file, String hint) {
        if (Files.exists(file)) {
            return;
        }
        String message = file + " is missing; " + hint;
        if (ci()) {
            throw new AssertionError(message + " (CI=true: interop tests must run)");
        }
        Assumptions.abort(message);
    }

    /**
     * Runs a command to completion and returns its standard output.
     *
     * @param timeoutSeconds the bound; the process is destroyed past it
     * @param command the command and its arguments
     * @return what it printed on standard output
     * @throws AssertionError when it exits non-zero or runs too long, with its standard error
     */
    public static String run(int timeoutSeconds, String... command) {
        require(command[0]);
        Path err = null;
        Process p = null;
        try {
            err = Files.createTempFile("streamkit-tool", ".err");
            p = new ProcessBuilder(List.of(command)).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError(command[0] + " did not finish within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ":\n"
                        + Files.readString(err, StandardCharsets.UTF_8) + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("could not run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command[0], e);
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static String debianPackages(String tool) {
        if (tool.startsWith("ff")) {
            return "ffmpeg";
        }
        if (tool.equals("nginx") || tool.startsWith("ngx_rtmp")) {
            return "nginx libnginx-mod-rtmp";
        }
        if (tool.equals("node")) {
            return "nodejs npm";
        }
        if (tool.equals("promtool")) {
            return "prometheus";
        }
        if (tool.startsWith("gst-")) {
            return "gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly";
        }
        if (tool.equals("cvlc") || tool.equals("vlc")) {
            return "vlc-bin vlc-plugin-base";   // the binary, and the access, demux and mux plugins it plays with
        }
        if (tool.equals("promtool")) {
            return "prometheus";   // Debian ships promtool only with the server
        }
        if (tool.equals("setpriv")) {
            return "util-linux";
        }
        return tool;   // rtmpdump, flvmeta, chromium, openssl: the package has the tool's name
    }

    private static Path find(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        List<Path> dirs = new ArrayList<>();
        for (String d : path.split(java.io.File.pathSeparator)) {
            dirs.add(Path.of(d));
        }
        for (Path d : dirs) {
            Path candidate = d.resolve(tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
