package io.streamkit.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} on a free loopback port, without persistence, for the tests
 * of the Redis stream directory and the clusters on it. Without the server the test is skipped, or fails under
 * {@code CI=true} (see {@link ExternalTool#require}).
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final int PING_TIMEOUT_MILLIS = 200;

    private final Process process;
    private final int port;
    private final Path log;

    private RedisServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a server and waits until it answers {@code PING}.
     *
     * @return the running server
     */
    public static RedisServer start() {
        ExternalTool.require("redis-server");
        try {
            int port = freePort();
            Path log = Files.createTempFile("streamkit-redis", ".log");
            Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", System.getProperty("java.io.tmpdir"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            RedisServer server = new RedisServer(process, port, log);
            try {
                Await.until(START_TIMEOUT, server::answersPing, () -> "redis-server on port " + port
                        + " to answer PING; its log:\n" + server.logText());
            } catch (AssertionError e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new AssertionError("cannot start redis-server", e);
        }
    }

    /**
     * A loopback port that nothing listens on (taken and released at once).
     *
     * @return the port
     */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * The server's URI.
     *
     * @return {@code redis://127.0.0.1:port}
     */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server and waits until its process has exited; idempotent. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }

    private boolean answersPing() {
        if (!process.isAlive()) {
            throw new AssertionError("redis-server exited " + process.exitValue() + ":\n" + logText());
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), PING_TIMEOUT_MILLIS);
            s.setSoTimeout(PING_TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
