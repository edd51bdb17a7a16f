package io.streamkit.server.players;

import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes and peers the relay tests run against: ffmpeg publishing in real time, nginx
 * with Debian's RTMP module, a self-signed certificate, ffprobe reading a stream back (the relay
 * tests and {@code RtmpNginxIT}). Every
 * process started is stopped by {@link #close()}.
 */
public final class Peers implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    /**
     * Creates the peers of one test, their logs and files in {@code dir}.
     *
     * @param dir the test's temporary directory
     */
    public Peers(Path dir) {
        this.dir = dir;
    }

    /** A free loopback port, for servers whose URL must be known before they start (an origin's own URL). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** ffmpeg sending a synthetic 320x240 25 fps H.264 (1 s GOP) and AAC stream in real time. */
    public Process publish(String url, int seconds) {
        ExternalTool.require("ffmpeg");
        try {
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                    "-t", String.valueOf(seconds),
                    "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "64k", "-f", "flv", url)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg-" + processes.size() + ".log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new AssertionError("could not start ffmpeg", e);
        }
    }

    /**
     * Starts a process that the test stops at its end, its output in a log file of the test.
     *
     * @param command the command
     * @param name the log file's name, without extension
     * @return the process
     */
    public Process start(List<String> command, String name) {
        ExternalTool.require(command.get(0));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new AssertionError("could not start " + command.get(0), e);
        }
    }

    /** ffmpeg playing a stream and throwing it away: a real player that stays until stopped. */
    public Process play(String url) {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", url, "-c", "copy", "-f", "null", "-")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("player-" + processes.size() + ".log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new AssertionError("could not start ffmpeg", e);
        }
    }

    /**
     * Reads a few seconds of a stream with ffmpeg into a file and probes it with ffprobe.
     *
     * @return per stream selector ({@code v:0}, {@code a:0}) the fields codec_name, width, height, sample_rate, nb_read_frames
     */
    public Map<String, Map<String, String>> probe(String url, int seconds) {
        Path out = dir.resolve("probe-" + System.nanoTime() + ".flv");
        String errors = ExternalTool.run(60, "ffmpeg", "-v", "error", "-rw_timeout", "15000000", "-i", url,
                "-t", String.valueOf(seconds), "-c", "copy", "-f", "flv", out.toString());
        Map<String, Map<String, String>> streams = new HashMap<>();
        for (String sel : List.of("v:0", "a:0")) {
            String text = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames", "-select_streams", sel,
                    "-show_entries", "stream=codec_name,width,height,sample_rate,nb_read_frames",
                    "-of", "default=noprint_wrappers=1", out.toString());
            Map<String, String> fields = new HashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
            fields.put("ffmpeg_errors", errors.trim());
            streams.put(sel, fields);
        }
        return streams;
    }

    /** A self-signed certificate for 127.0.0.1 and localhost; returns {certificate, key}. */
    public Path[] certificate() {
        ExternalTool.require("openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        ExternalTool.run(60, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString());
        return new Path[] {cert, key};
    }

    /** Starts nginx with Debian's RTMP module, one {@code live} application; returns its port. */
    public int nginx() throws IOException {
        ExternalTool.require("nginx");
        Path module = List.of(Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so"),
                        Path.of("/usr/share/nginx/modules/ngx_rtmp_module.so")).stream()
                .filter(Files::exists).findFirst().orElse(null);
        if (module == null) {
            ExternalTool.require("ngx_rtmp_module.so");
        }
        int port = freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, String.join("\n",
                "load_module " + module + ";",
                "daemon off;",
                "master_process off;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " info;",
                "events { worker_connections 64; }",
                "rtmp { server { listen 127.0.0.1:" + port + "; application live { live on; } } }",
                ""));
        processes.add(new ProcessBuilder("nginx", "-e", dir.resolve("error.log").toString(), "-c", conf.toString(),
                "-p", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start());
        Await.until(WAIT, () -> accepts(port), () -> "nginx listening on " + port);
        return port;
    }

    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One HTTP call; answers "status body". */
    public static String http(String method, String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    /** Stops one process now and waits for it. */
    public static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            stop(p);
        }
    }
}
