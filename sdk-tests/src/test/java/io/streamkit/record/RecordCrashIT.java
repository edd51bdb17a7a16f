package io.streamkit.record;

import static io.streamkit.record.RecordTestSupport.FPS;
import static io.streamkit.record.RecordTestSupport.boxTypes;
import static io.streamkit.record.RecordTestSupport.every;
import static io.streamkit.record.RecordTestSupport.filesEndingIn;
import static io.streamkit.record.RecordTestSupport.probe;
import static io.streamkit.record.RecordTestSupport.read;
import static io.streamkit.record.RecordTestSupport.recordings;
import static io.streamkit.record.RecordTestSupport.send;
import static io.streamkit.record.RecordTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.record.RecordTestSupport.Box;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording server in its own JVM and its publisher are killed with SIGKILL in the middle of
 * an MP4 file: the fragmented file left on disk plays as it is, and when a server starts again
 * on the same root it finalises that file into a progressive MP4 (ftyp, moov, mdat) that holds
 * the same whole fragments' frames, deletes the fragmented one, and lists it as recovered. A
 * last fragment cut short, as a crash during its write leaves it, is left out and the whole
 * ones before it are kept.
 */
class RecordCrashIT {
    private static final Pattern READY = Pattern.compile("READY rtmp=(\\d+) http=(\\d+)");
    /** Fragments that must be complete on disk before the kill: about seven seconds published. */
    private static final int FRAGMENTS_BEFORE_KILL = 6;
    /** The longest fragment, the default: what a crash may cut. */
    private static final long FRAGMENT_SECONDS = RecordSpec.DEFAULT_FRAGMENT_DURATION.toSeconds();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void tools() {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("ffprobe");
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aKilledServerLeavesAPlayableFragmentedFileThatTheNextStartFinalises() throws Exception {
        Path root = dir.resolve("recordings");
        Crash crash = crash(root, "crash");
        Path fmp4 = crash.fmp4();
        List<Box> left = RecordTestSupport.topLevelBoxes(fmp4);
        boolean cut = !left.get(left.size() - 1).complete();
        long least = (long) ((crash.published() - FRAGMENT_SECONDS - 1) * FPS);
        System.out.printf("killed %.1f s after the .fmp4 appeared: %d bytes, %d whole fragments%s, %d video + %d audio frames%n",
                crash.published(), Files.size(fmp4), wholeFragments(fmp4), cut ? " and a cut one" : "", crash.video(),
                crash.audio());
        assertTrue(crash.video() >= least, "the .fmp4 holds " + crash.video() + " video frames of " + crash.published()
                + " s published; at most a fragment and a second may be missing: at least " + least);
        if (!cut) {
            assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", fmp4.toString(), "-f", "null", "-"),
                    "the .fmp4 of whole fragments decodes without a message");
        }

        Recovered recovered = recover(root, "server2", crash);
        if (cut) {
            // ffprobe may read part of the cut fragment that recovery leaves out: at most one fragment.
            assertTrue(recovered.video() <= crash.video() && crash.video() - recovered.video() <= FRAGMENT_SECONDS * FPS,
                    "recovered " + recovered.video() + " video frames of the " + crash.video() + " in the cut .fmp4");
            assertTrue(recovered.audio() <= crash.audio(),
                    "recovered " + recovered.audio() + " audio frames of the " + crash.audio() + " in the cut .fmp4");
        } else {
            assertEquals(crash.video(), recovered.video(), "recovery keeps every whole fragment's video frames");
            assertEquals(crash.audio(), recovered.audio(), "recovery keeps every whole fragment's audio frames");
        }
        terminate(recovered.server());
    }

    @Test
    void aFragmentTheCrashCutShortIsLeftOutAndTheWholeOnesKept() throws Exception {
        Path root = dir.resolve("recordings");
        Crash crash = crash(root, "cut");
        Path fmp4 = crash.fmp4();

        // What a crash during a fragment's write leaves: the last mdat cut in half. Its frames
        // are lost; those of the fragments before it, counted in a copy that ends before it, are not.
        List<Box> boxes = RecordTestSupport.topLevelBoxes(fmp4);
        Box lastMdat = boxes.get(boxes.size() - 1);
        Box lastMoof = boxes.get(boxes.size() - 2);
        assertEquals("mdat", lastMdat.type(), boxes::toString);
        assertEquals("moof", lastMoof.type(), boxes::toString);
        Path whole = dir.resolve("whole-fragments.fmp4");
        try (FileChannel in = FileChannel.open(fmp4, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(whole, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertEquals(lastMoof.offset(), in.transferTo(0, lastMoof.offset(), out));
        }
        long wholeVideo = RecordTestSupport.frames(whole, "v:0");
        long wholeAudio = RecordTestSupport.frames(whole, "a:0");
        if (lastMdat.complete()) {   // else the kill itself cut it, which is as good
            assertEquals(FPS, crash.video() - wholeVideo, "the last fragment holds one GOP of video");
            try (FileChannel f = FileChannel.open(fmp4, StandardOpenOption.WRITE)) {
                f.truncate(lastMdat.offset() + lastMdat.size() / 2);
            }
        }
        assertEquals("h264", probe(fmp4, "v:0").get("codec_name"), "the cut file still plays");
        System.out.printf("cut the last fragment of %s (%d video + %d audio frames) to %d bytes; the whole fragments hold %d + %d%n",
                fmp4.getFileName(), crash.video(), crash.audio(), Files.size(fmp4), wholeVideo, wholeAudio);

        Recovered recovered = recover(root, "server2", crash);
        assertEquals(wholeVideo, recovered.video(), "recovery keeps the whole fragments' video frames, not the cut one's");
        assertEquals(wholeAudio, recovered.audio(), "recovery keeps the whole fragments' audio frames, not the cut one's");
        terminate(recovered.server());
    }

    /** What a crash left: the fragmented file and what ffprobe counts in it, and the seconds published into it. */
    private record Crash(Path fmp4, long video, long audio, double published) {
    }

    /** What recovery made: the MP4, what ffprobe counts in it, and the server that made it. */
    private record Recovered(Path mp4, long video, long audio, Process server) {
    }

    /**
     * Records {@code rec/name} in a server JVM while ffmpeg publishes, kills both with SIGKILL
     * once the fragmented file has {@value #FRAGMENTS_BEFORE_KILL} whole fragments, and checks
     * what is left: that file, playable, and no MP4.
     */
    private Crash crash(Path root, String name) throws Exception {
        Path source = RecordTestSupport.source(dir.resolve("src.flv"), 30);
        Process first = server("server1", root);
        int[] ports = ready(first, "server1");
        Process publisher = start(dir.resolve("publisher.log"), dir.resolve("publisher.log"), List.of("ffmpeg", "-v", "error",
                "-re", "-i", source.toString(), "-c", "copy", "-f", "flv", "rtmp://127.0.0.1:" + ports[0] + "/rec/" + name));

        // Wait for the fragmented file, then for whole fragments in it: seconds of media on disk.
        Await.until(Duration.ofSeconds(20), every(Duration.ofMillis(50), () -> filesEndingIn(root, ".fmp4").size() == 1),
                () -> "a .fmp4 under " + root + "\nserver: " + read(dir.resolve("server1.out")) + read(dir.resolve("server1.err"))
                        + "\npublisher: " + read(dir.resolve("publisher.log")));
        long appeared = System.nanoTime();
        Path fmp4 = filesEndingIn(root, ".fmp4").get(0);
        Await.until(Duration.ofSeconds(20), every(Duration.ofMillis(100), () -> wholeFragments(fmp4) >= FRAGMENTS_BEFORE_KILL),
                () -> FRAGMENTS_BEFORE_KILL + " whole fragments in " + fmp4 + ": " + RecordTestSupport.topLevelBoxes(fmp4));
        assertTrue(publisher.isAlive(), "the publisher is still sending");

        // SIGKILL both: no shutdown hook, no finalising.
        first.destroyForcibly();
        publisher.destroyForcibly();
        double published = (System.nanoTime() - appeared) / 1e9;
        assertTrue(first.waitFor(10, TimeUnit.SECONDS), "the server JVM died");
        assertTrue(publisher.waitFor(10, TimeUnit.SECONDS), "the publisher died");
        assertEquals(137, first.exitValue(), "killed by SIGKILL");

        assertEquals(List.of(fmp4), filesEndingIn(root, ".fmp4"));
        assertEquals(List.of(), filesEndingIn(root, ".mp4"), "no MP4 before recovery");
        Map<String, String> v = probe(fmp4, "v:0");
        Map<String, String> a = probe(fmp4, "a:0");
        assertEquals("h264", v.get("codec_name"));
        assertEquals("320", v.get("width"));
        assertEquals("240", v.get("height"));
        assertEquals("aac", a.get("codec_name"));
        return new Crash(fmp4, Long.parseLong(v.get("nb_read_frames")), Long.parseLong(a.get("nb_read_frames")), published);
    }

    /**
     * Starts a server JVM on the same root and checks what it made of the crash: the MP4 in
     * place of the fragmented file, progressive, decoding, and listed as recovered.
     */
    private Recovered recover(Path root, String name, Crash crash) throws Exception {
        Process second = server(name, root);
        int[] ports = ready(second, name);
        Await.until(Duration.ofSeconds(30), every(Duration.ofMillis(50),
                        () -> filesEndingIn(root, ".mp4").size() == 1 && filesEndingIn(root, ".fmp4").isEmpty()),
                () -> "the .mp4 in place of the .fmp4: " + filesEndingIn(root, "") + "\nserver: " + read(dir.resolve(name + ".out"))
                        + read(dir.resolve(name + ".err")));
        Path mp4 = filesEndingIn(root, ".mp4").get(0);
        Path fmp4 = crash.fmp4();
        assertEquals(fmp4.resolveSibling(fmp4.getFileName().toString().replace(".fmp4", ".mp4")), mp4);
        assertEquals(List.of("ftyp", "moov", "mdat"), boxTypes(mp4));
        Map<String, String> rv = probe(mp4, "v:0");
        Map<String, String> ra = probe(mp4, "a:0");
        assertEquals("h264", rv.get("codec_name"));
        assertEquals("aac", ra.get("codec_name"));
        assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", mp4.toString(), "-f", "null", "-"),
                "the recovered MP4 decodes without a message");
        double seconds = RecordTestSupport.duration(mp4);
        long video = Long.parseLong(rv.get("nb_read_frames"));
        long audio = Long.parseLong(ra.get("nb_read_frames"));
        System.out.printf("recovered %s: %d bytes, %.3f s, %d video + %d audio frames%n", mp4.getFileName(), Files.size(mp4),
                seconds, video, audio);
        assertEquals((double) video / FPS, seconds, 0.5, "the recovered MP4 lasts as long as its video frames");

        // The index lists it as recovered, with its size and counts; the listener heard of it.
        String stream = root.relativize(mp4).getName(0) + "/" + root.relativize(mp4).getName(1);
        HttpResponse<byte[]> list = send(http, "GET", "http://127.0.0.1:" + ports[1] + "/api/recordings?stream=" + stream);
        assertEquals(200, list.statusCode(), text(list));
        List<Map<String, String>> entries = recordings(text(list));
        assertEquals(1, entries.size(), text(list));
        Map<String, String> e = entries.get(0);
        assertEquals("recovered", e.get("end"), text(list));
        assertEquals(root.relativize(mp4).toString().replace(File.separatorChar, '/'), e.get("name"));
        assertEquals(String.valueOf(Files.size(mp4)), e.get("bytes"), text(list));
        assertEquals(String.valueOf(video), e.get("videoFrames"), text(list));
        assertEquals(String.valueOf(audio), e.get("audioFrames"), text(list));
        assertTrue(read(dir.resolve(name + ".out")).contains("FINISHED " + e.get("name") + " RECOVERED"),
                "the listener heard of the recovery: " + read(dir.resolve(name + ".out")));
        return new Recovered(mp4, video, audio, second);
    }

    /** Stops a server JVM with SIGTERM, which closes the server, and with SIGKILL if it does not exit in time. */
    private static void terminate(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(15, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            assertTrue(server.waitFor(10, TimeUnit.SECONDS), "the server JVM stopped");
        }
        assertFalse(server.isAlive());
    }

    /** Counts the moof boxes of a fragmented file followed by a whole mdat. */
    private static int wholeFragments(Path fmp4) {
        List<Box> boxes = RecordTestSupport.topLevelBoxes(fmp4);
        int n = 0;
        for (int i = 0; i + 1 < boxes.size(); i++) {
            if (boxes.get(i).type().equals("moof") && boxes.get(i + 1).type().equals("mdat") && boxes.get(i + 1).complete()) {
                n++;
            }
        }
        return n;
    }

    /** Starts {@link RecordingServerMain} in a JVM of its own, on any free ports. */
    private Process server(String name, Path root) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return start(dir.resolve(name + ".out"), dir.resolve(name + ".err"), List.of(java, "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), RecordingServerMain.class.getName(), "0", "0", root.toString()));
    }

    /** Waits for a server JVM's READY line and returns its RTMP and HTTP ports. */
    private int[] ready(Process server, String name) {
        Path out = dir.resolve(name + ".out");
        Await.until(Duration.ofSeconds(30), every(Duration.ofMillis(20), () -> READY.matcher(read(out)).find() || !server.isAlive()),
                () -> name + " READY: " + read(out) + read(dir.resolve(name + ".err")));
        Matcher m = READY.matcher(read(out));
        assertTrue(m.find(), name + " exited before READY: " + read(out) + read(dir.resolve(name + ".err")));
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private Process start(Path stdout, Path stderr, List<String> command) {
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (stdout.equals(stderr)) {
                b.redirectErrorStream(true);
            } else {
                b.redirectError(stderr.toFile());
            }
            Process p = b.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new AssertionError("could not start " + command, e);
        }
    }
}
