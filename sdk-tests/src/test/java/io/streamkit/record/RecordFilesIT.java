package io.streamkit.record;

import static io.streamkit.record.RecordTestSupport.FPS;
import static io.streamkit.record.RecordTestSupport.boxTypes;
import static io.streamkit.record.RecordTestSupport.duration;
import static io.streamkit.record.RecordTestSupport.filesEndingIn;
import static io.streamkit.record.RecordTestSupport.frames;
import static io.streamkit.record.RecordTestSupport.probe;
import static io.streamkit.record.RecordTestSupport.read;
import static io.streamkit.record.RecordTestSupport.recordings;
import static io.streamkit.record.RecordTestSupport.send;
import static io.streamkit.record.RecordTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.Codec;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ffmpeg publishes 12 s of H.264 and AAC to a recorded app that rotates files every 5 s: in
 * MP4, FLV and HLS alike the three files (5 s, 5 s, 2 s) hold every frame of the source exactly
 * once, play in ffprobe and ffmpeg, agree with what the listener was told, and are listed and
 * range-served over HTTP. An MP4 is progressive (ftyp, moov, mdat) with no fragmented file
 * left; an FLV passes {@code flvmeta --check}; an HLS recording is a VOD playlist whose every
 * segment decodes.
 */
class RecordFilesIT {
    private static final int SECONDS = 12;
    private static final Duration ROTATION = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private MediaServer server;
    private Path root;
    private final List<Process> processes = new ArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<RecordFailure> failures = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A callback: a file started or finished. */
    private record Event(boolean started, RecordedFile file) {
        @Override
        public String toString() {
            return (started ? "started " : "finished ") + file;
        }
    }

    @BeforeEach
    void start() {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("ffprobe");
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void mp4FilesAreProgressiveAndHoldEveryFrameOnce() throws Exception {
        List<RecordedFile> files = recordAndCheck(RecordFormat.MP4, "cam-mp4");
        for (RecordedFile f : files) {
            assertTrue(f.path().getFileName().toString().endsWith(".mp4"), f.toString());
            assertEquals(List.of("ftyp", "moov", "mdat"), boxTypes(f.path()), "top-level boxes of " + f.name());
        }
        assertEquals(List.of(), filesEndingIn(root, ".fmp4"), "no fragmented file is left after finalising");
        assertEquals(List.of(), filesEndingIn(root, ".part"), "no partial file is left");
        checkHttp(files);
    }

    @Test
    void flvFilesPassFlvmetaAndHoldEveryFrameOnce() throws Exception {
        List<RecordedFile> files = recordAndCheck(RecordFormat.FLV, "cam-flv");
        for (RecordedFile f : files) {
            assertTrue(f.path().getFileName().toString().endsWith(".flv"), f.toString());
            byte[] head = Arrays.copyOf(Files.readAllBytes(f.path()), 3);
            assertEquals("FLV", new String(head, StandardCharsets.US_ASCII));
            if (ExternalTool.installed("flvmeta")) {
                String check = ExternalTool.run(60, "flvmeta", "--check", f.path().toString());
                assertTrue(check.contains("0 error(s)"), f.name() + ": " + check);
            }
        }
        checkHttp(files);
    }

    @Test
    void hlsRecordingsAreVodPlaylistsWhoseEverySegmentDecodes() throws Exception {
        List<RecordedFile> files = recordAndCheck(RecordFormat.HLS, "cam-hls");
        for (RecordedFile f : files) {
            String m3u8 = Files.readString(f.path());
            assertTrue(m3u8.contains("#EXT-X-PLAYLIST-TYPE:VOD\n"), f.name() + ":\n" + m3u8);
            assertTrue(m3u8.endsWith("#EXT-X-ENDLIST\n"), f.name() + ":\n" + m3u8);
            List<Path> segments = segments(f.path());
            assertFalse(segments.isEmpty(), m3u8);
            for (Path segment : segments) {
                assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", segment.toString(), "-f", "null", "-"),
                        "segment " + segment.getFileName() + " decodes without a message");
            }
        }
        checkHttp(files);
    }

    /**
     * Publishes the source to {@code rec/name}, waits for three files and checks what every
     * format shares on disk and in the callbacks.
     */
    private List<RecordedFile> recordAndCheck(RecordFormat format, String name) throws Exception {
        Path source = RecordTestSupport.source(dir.resolve("src.flv"), SECONDS);
        long sourceVideo = frames(source, "v:0");
        long sourceAudio = frames(source, "a:0");
        root = dir.resolve("recordings");
        server = MediaServer.builder().ioThreads(2).rtmp(0).http(0)
                .record(r -> r.root(root).recordApp("rec", RecordSpec.builder(format).rotateAfter(ROTATION).build())
                        .listener(new RecordListener() {
                            @Override
                            public void onStarted(RecordedFile file) {
                                events.add(new Event(true, file));
                            }

                            @Override
                            public void onFinished(RecordedFile file) {
                                events.add(new Event(false, file));
                            }

                            @Override
                            public void onFailed(RecordFailure failure) {
                                failures.add(failure);
                            }
                        }))
                .start();
        StreamKey key = StreamKey.of("rec", name);
        Process publisher = start("publisher", "ffmpeg", "-v", "error", "-re", "-i", source.toString(), "-c", "copy",
                "-f", "flv", "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/" + key.path());
        Await.until(Duration.ofSeconds(SECONDS + 30), () -> finished().size() >= 3,
                () -> "three finished files: " + events + "\npublisher: " + read(dir.resolve("publisher.log")));
        assertTrue(publisher.waitFor(30, TimeUnit.SECONDS), "publisher finished");
        assertEquals(0, publisher.exitValue(), read(dir.resolve("publisher.log")));
        List<RecordedFile> files = finished();
        assertEquals(List.of(), failures);

        // The callbacks: each file's start before its finish, the files in order, nothing more.
        assertEquals(6, events.size(), events::toString);
        for (int i = 0; i < 3; i++) {
            Event started = events.get(2 * i);
            Event done = events.get(2 * i + 1);
            assertTrue(started.started() && !done.started(), events::toString);
            assertEquals(started.file().path(), done.file().path(), events::toString);
            assertEquals(started.file().start(), done.file().start());
            assertTrue(started.file().end().isEmpty(), "a started file has no end yet: " + started);
            assertEquals(key, done.file().stream());
            assertEquals(format, done.file().format());
        }
        assertEquals(List.of(RecordEnd.ROTATION, RecordEnd.ROTATION),
                files.subList(0, 2).stream().map(f -> f.end().orElseThrow()).toList(), files::toString);
        // ffmpeg's orderly end (FCUnpublish, deleteStream) does not always reach the server before its
        // connection closes: a clean-clone CI run on a loaded machine once saw the last file end as a lost
        // publisher. Either way the file is whole, which the checks below measure
        assertTrue(Set.of(RecordEnd.STREAM_END, RecordEnd.PUBLISHER_LOST).contains(files.get(2).end().orElseThrow()),
                files::toString);

        // Each file: where the listener says, h264 320x240 + aac, the expected length, the counts it reported.
        double[] expected = {5, 5, 2};
        long video = 0;
        long audio = 0;
        StringBuilder measured = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            RecordedFile f = files.get(i);
            assertTrue(Files.isRegularFile(f.path()), f.path() + " exists");
            assertTrue(f.path().startsWith(root), f.path() + " lies below " + root);
            assertEquals(root.relativize(f.path()).toString().replace(File.separatorChar, '/'), f.name());
            assertEquals(List.of(Codec.H264, Codec.AAC), f.codecs(), f.toString());
            Map<String, String> v = probe(f.path(), "v:0");
            Map<String, String> a = probe(f.path(), "a:0");
            assertEquals("h264", v.get("codec_name"), f.name());
            assertEquals("320", v.get("width"), f.name());
            assertEquals("240", v.get("height"), f.name());
            assertEquals("aac", a.get("codec_name"), f.name());
            assertEquals("44100", a.get("sample_rate"), f.name());
            long fileVideo = Long.parseLong(v.get("nb_read_frames"));
            long fileAudio = Long.parseLong(a.get("nb_read_frames"));
            assertEquals(fileVideo, f.videoFrames(), "video frames of " + f.name() + " by ffprobe and by the listener");
            assertEquals(fileAudio, f.audioFrames(), "audio frames of " + f.name() + " by ffprobe and by the listener");
            String firstPacket = ExternalTool.run(60, "ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals",
                    "%+#1", "-show_entries", "packet=flags", "-of", "csv=p=0", f.path().toString()).trim();
            assertTrue(firstPacket.startsWith("K"), f.name() + " starts with a keyframe: " + firstPacket);
            double seconds = duration(f.path());
            assertEquals(expected[i], seconds, 1.0, "ffprobe's duration of " + f.name());
            // each file's timeline starts at 0 (MPEG-TS: its PCR does, the first frame at the 0.7 s mux delay)
            double start = Double.parseDouble(ExternalTool.run(60, "ffprobe", "-v", "error", "-show_entries",
                    "format=start_time", "-of", "csv=p=0", f.path().toString()).trim());
            assertEquals(f.path().toString().endsWith(".m3u8") ? 0.7 : 0.0, start, 0.15, "start time of " + f.name());
            assertEquals(expected[i], f.duration().toMillis() / 1000.0, 1.0, "the listener's duration of " + f.name());
            measured.append(String.format(Locale.ROOT, "%s: %d video + %d audio frames, %.3f s (listener %d ms), "
                    + "%d bytes, ts %d..%d%n", f.name(), fileVideo, fileAudio, seconds, f.duration().toMillis(), f.bytes(),
                    f.firstTimestamp(), f.lastTimestamp()));
            video += fileVideo;
            audio += fileAudio;
        }
        System.out.println(format + " recording of " + sourceVideo + " video + " + sourceAudio + " audio frames:\n" + measured);
        assertEquals(sourceVideo, video, "every video frame of the source, once: " + measured);
        assertEquals(sourceAudio, audio, "every audio frame of the source, once: " + measured);

        // The files follow each other: a file's first frame comes right after the last of the one before.
        for (int i = 1; i < 3; i++) {
            RecordedFile before = files.get(i - 1);
            RecordedFile after = files.get(i);
            long gap = after.firstTimestamp() - before.lastTimestamp();
            assertTrue(gap > 0 && gap <= 1_000_000 / FPS, "file " + i + " starts " + gap + " µs after the last frame of the one "
                    + "before: " + measured);
            assertTrue(after.start().isAfter(before.start()), "starts in order: " + files);
            long wall = Duration.between(before.start(), after.start()).toMillis();
            assertEquals(before.duration().toMillis(), wall, 1500, "the next file started one file's duration later");
        }
        return files;
    }

    /** The list names the three files with their sizes; a file's bytes are served whole and by range. */
    private void checkHttp(List<RecordedFile> files) throws IOException {
        StreamKey key = files.get(0).stream();
        String base = "http://127.0.0.1:" + server.httpPort().getAsInt();
        HttpResponse<byte[]> list = send(http, "GET", base + "/api/recordings?stream=" + key.path());
        assertEquals(200, list.statusCode(), text(list));
        List<Map<String, String>> entries = recordings(text(list));
        assertEquals(3, entries.size(), text(list));
        for (int i = 0; i < 3; i++) {
            Map<String, String> e = entries.get(i);
            RecordedFile f = files.get(i);
            assertEquals(key.path(), e.get("stream"));
            assertEquals(f.name(), e.get("name"));
            assertEquals(f.format().name().toLowerCase(Locale.ROOT), e.get("format"));
            assertEquals(String.valueOf(f.bytes()), e.get("bytes"), "listed bytes of " + f.name());
            assertEquals(onDisk(f), f.bytes(), "bytes of " + f.name() + " on disk");
            assertEquals(f.end().orElseThrow().name().toLowerCase(Locale.ROOT), e.get("end"));
            assertEquals("/recordings/" + f.name(), e.get("url"));
        }

        // A range of the first file (for HLS, of its first segment, which is served beside its playlist).
        RecordedFile first = files.get(0);
        String url = base + entries.get(0).get("url");
        Path file = first.path();
        if (first.format() == RecordFormat.HLS) {
            file = segments(first.path()).get(0);
            url = url.substring(0, url.lastIndexOf('/') + 1) + file.getFileName();
        }
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 1100, file + " has " + bytes.length + " bytes");
        HttpResponse<byte[]> range = send(http, "GET", url, "Range", "bytes=100-1099");
        assertEquals(206, range.statusCode(), text(range));
        assertEquals("bytes 100-1099/" + bytes.length, range.headers().firstValue("content-range").orElse(""));
        assertEquals("bytes", range.headers().firstValue("accept-ranges").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(bytes, 100, 1100), range.body(), "the bytes 100 to 1099 of " + file);
        HttpResponse<byte[]> whole = send(http, "GET", url);
        assertEquals(200, whole.statusCode());
        assertArrayEquals(bytes, whole.body(), "the whole of " + file);
        HttpResponse<byte[]> suffix = send(http, "GET", url, "Range", "bytes=-500");
        assertEquals(206, suffix.statusCode(), text(suffix));
        assertEquals("bytes " + (bytes.length - 500) + "-" + (bytes.length - 1) + "/" + bytes.length,
                suffix.headers().firstValue("content-range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 500, bytes.length), suffix.body(), "the last 500 bytes");
        HttpResponse<byte[]> head = send(http, "HEAD", url);
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(bytes.length), head.headers().firstValue("content-length").orElse(""));
        assertEquals(0, head.body().length);
        HttpResponse<byte[]> past = send(http, "GET", url, "Range", "bytes=" + bytes.length + "-");
        assertEquals(416, past.statusCode(), text(past));
        assertEquals("bytes */" + bytes.length, past.headers().firstValue("content-range").orElse(""));
    }

    /** A recording's size on disk: the file, or an HLS playlist and its segments. */
    private static long onDisk(RecordedFile f) throws IOException {
        long bytes = Files.size(f.path());
        if (f.format() == RecordFormat.HLS) {
            for (Path segment : segments(f.path())) {
                bytes += Files.size(segment);
            }
        }
        return bytes;
    }

    /** The segments a playlist lists, beside it. */
    private static List<Path> segments(Path playlist) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(playlist)) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(playlist.resolveSibling(line));
            }
        }
        return out;
    }

    private List<RecordedFile> finished() {
        return events.stream().filter(e -> !e.started()).map(Event::file).toList();
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
