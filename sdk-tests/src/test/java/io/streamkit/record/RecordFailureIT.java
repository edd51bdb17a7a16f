package io.streamkit.record;

import static io.streamkit.record.RecordTestSupport.FPS;
import static io.streamkit.record.RecordTestSupport.filesEndingIn;
import static io.streamkit.record.RecordTestSupport.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording whose root cannot be written fails with an {@link IOException} through
 * {@link RecordListener#onFailed}, and the stream does not notice: it stays live and an RTMP
 * player of it keeps receiving frames in real time.
 */
class RecordFailureIT {
    private static final Pattern FRAME = Pattern.compile("(?m)^frame=(\\d+)$");
    private static final int PLAYER_SECONDS = 8;

    @TempDir
    Path dir;

    private MediaServer server;
    private Path readOnly;
    private boolean immutable;
    private final List<Process> processes = new ArrayList<>();
    private final List<Object> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void tools() {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("ffprobe");
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (server != null) {
            server.close();
        }
        if (immutable) {   // before @TempDir deletes the directory
            ExternalTool.run(30, "chattr", "-i", readOnly.toString());
        } else if (readOnly != null) {
            readOnly.toFile().setWritable(true, true);
        }
    }

    @Test
    void aRootThatCannotBeWrittenFailsTheRecordingAndNotTheStream() throws Exception {
        Path source = RecordTestSupport.source(dir.resolve("src.flv"), 15);
        readOnly = Files.createDirectory(dir.resolve("read-only"));
        makeReadOnly(readOnly);
        assertThrows(IOException.class, () -> Files.createDirectory(readOnly.resolve("probe")),
                "the root refuses new entries, even to " + System.getProperty("user.name"));

        server = MediaServer.builder().ioThreads(2).rtmp(0)
                .record(r -> r.root(readOnly).recordApp("rec", RecordSpec.mp4()).listener(new RecordListener() {
                    @Override
                    public void onStarted(RecordedFile file) {
                        events.add(file);
                    }

                    @Override
                    public void onFinished(RecordedFile file) {
                        events.add(file);
                    }

                    @Override
                    public void onFailed(RecordFailure failure) {
                        events.add(failure);
                    }
                }))
                .start();
        StreamKey key = StreamKey.of("rec", "x");
        String url = "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/" + key.path();
        Process publisher = start("publisher", "ffmpeg", "-v", "error", "-re", "-i", source.toString(), "-c", "copy",
                "-f", "flv", url);
        Await.until(Duration.ofSeconds(20), () -> server.streams().stream(key).map(s -> s.tracks().size() == 2).orElse(false),
                () -> "stream live with 2 tracks: " + server.streams().stream(key) + "\n" + read(dir.resolve("publisher.log")));
        Path progress = dir.resolve("player.progress");
        long playerStart = System.nanoTime();
        Process player = start("player", "ffmpeg", "-v", "error", "-progress", progress.toString(), "-i", url,
                "-t", String.valueOf(PLAYER_SECONDS), "-f", "null", "-");

        // The recording fails at its first file, with the file system's error.
        Await.until(Duration.ofSeconds(20), () -> events.stream().anyMatch(e -> e instanceof RecordFailure),
                () -> "onFailed: " + events);
        RecordFailure failure = (RecordFailure) events.stream().filter(e -> e instanceof RecordFailure).findFirst().orElseThrow();
        assertEquals(key, failure.stream());
        assertInstanceOf(IOException.class, failure.cause(), failure::toString);
        assertEquals(failure, events.get(events.size() - 1), "onFailed comes last: " + events);
        for (Object e : events) {
            if (e instanceof RecordedFile f && f.end().isPresent()) {
                assertEquals(RecordEnd.FAILURE, f.end().get(), "a file ended by the failure: " + events);
            }
        }
        assertEquals(List.of(), filesEndingIn(readOnly, ""), "nothing was written under the root");
        Await.until(Duration.ofSeconds(10), () -> server.recorder().orElseThrow().recording(key).isEmpty(),
                () -> "the recording ended: " + server.recorder().orElseThrow().active());

        // The stream goes on: still live, and its player gets real time.
        Optional<StreamInfo> info = server.streams().stream(key);
        assertTrue(info.isPresent() && info.get().live(), "the stream is live after the failure: " + info);
        assertTrue(publisher.isAlive(), "the publisher is still sending: " + read(dir.resolve("publisher.log")));
        assertTrue(player.waitFor(PLAYER_SECONDS + 12, TimeUnit.SECONDS), "the player got " + PLAYER_SECONDS + " s");
        double played = (System.nanoTime() - playerStart) / 1e9;
        assertEquals(0, player.exitValue(), read(dir.resolve("player.log")));
        assertTrue(publisher.isAlive(), "the player got its " + PLAYER_SECONDS + " s while the stream was live");
        Matcher m = FRAME.matcher(read(progress));
        long frames = -1;
        while (m.find()) {
            frames = Long.parseLong(m.group(1));
        }
        System.out.printf("failure: %s; the player decoded %d video frames in %.1f s%n", failure, frames, played);
        assertTrue(frames >= (long) ((PLAYER_SECONDS - 2) * FPS * 0.9), "the player decoded " + frames + " video frames in "
                + played + " s:\n" + read(progress));
        assertTrue(played < PLAYER_SECONDS + 4, "the player's " + PLAYER_SECONDS + " s took " + played + " s: real time");
        assertTrue(server.streams().stream(key).map(StreamInfo::live).orElse(false), "still live");
    }

    /** Makes a directory refuse new entries: {@code chattr +i} for root, whom permissions do not stop. */
    private void makeReadOnly(Path directory) throws IOException {
        if ("root".equals(System.getProperty("user.name"))) {
            ExternalTool.require("chattr");
            ExternalTool.run(30, "chattr", "+i", directory.toString());
            immutable = true;
        } else {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
    }

    /** Starts a tool with its output in {@code name}.log in the test's directory; stopped after the test. */
    private Process start(String name, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        return p;
    }
}
