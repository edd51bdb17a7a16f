package io.streamkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.AuthHandler;
import io.streamkit.hook.AuthResult;
import io.streamkit.server.players.FlvTags;
import io.streamkit.server.players.Players;
import io.streamkit.server.players.Processes;
import io.streamkit.server.players.RawRtmpPublisher;
import io.streamkit.server.players.Row;
import io.streamkit.server.players.Timeline;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real players against one running server: three ffmpeg publishers (audio+video, audio only,
 * video only) and every independent client we can run here (ffprobe, ffmpeg 5.1 and 7,
 * rtmpdump, GStreamer, VLC, mpegts.js in Chromium) playing RTMP and HTTP-FLV, joining late,
 * and again after the publishers reconnected within the grace. Each must see exactly the
 * published tracks, its first frame at 0 and no step over two frame intervals. Then
 * container copies, timestamp rollovers (2<sup>24</sup> and 2<sup>32</sup> ms) and validators
 * of what the server emits: flvmeta, an HLS playlist parser, promtool.
 *
 * <p>The tests share the server and the publishers and run in order; the HLS playlist is
 * watched in the background from the start, so its 70 s overlap the matrix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPlayersIT {
    /** A player joins this long after its publisher started: past the first GOP, as a viewer arriving later does. */
    private static final Duration JOIN_AFTER = Duration.ofSeconds(5);
    /** How much each player plays: two and a half GOPs. */
    private static final int PLAY_SECONDS = 5;
    /** How long players that play until stopped run. */
    private static final Duration PLAY_WALL = Duration.ofSeconds(PLAY_SECONDS + 1);
    /** Players run this many at a time: they mostly wait for real-time media, so more than the 2 cores. */
    private static final int PARALLEL = 6;
    /** The least span a player's frames must cover to count as having played. */
    private static final long MIN_SPAN_MICROS = 3_000_000;
    /** The most: a join burst of one GOP on top of the time played, with a wide margin. */
    private static final long MAX_SPAN_MICROS = 30_000_000;
    /** How long the HLS playlist is watched. */
    private static final Duration HLS_WATCH = Duration.ofSeconds(70);
    /** The server's reconnect grace: {@link io.streamkit.stream.StreamPolicy#DEFAULT_RECONNECT_GRACE}. */
    private static final Duration GRACE = io.streamkit.stream.StreamPolicy.DEFAULT_RECONNECT_GRACE;

    /** The published streams. */
    enum Kind {
        AV("av", "a/v", Set.of("audio", "video")),
        AUDIO("audio", "audio", Set.of("audio")),
        VIDEO("video", "video", Set.of("video"));

        final String stream;
        final String label;
        final Set<String> tracks;

        Kind(String stream, String label, Set<String> tracks) {
            this.stream = stream;
            this.label = label;
            this.tracks = tracks;
        }

        StreamKey key() {
            return StreamKey.of("live", stream);
        }
    }

    @TempDir
    static Path dir;

    private MediaServer server;
    private final Processes processes = new Processes();
    private final Map<Kind, Process> publishers = new EnumMap<>(Kind.class);
    private final Map<StreamKey, List<String>> playRequests = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);   // playlist polls, capture deadlines
    private final List<String[]> playlists = new CopyOnWriteArrayList<>();   // {seconds since start, status, body}
    private final List<String> masters = new CopyOnWriteArrayList<>();   // multivariant playlists that opened sessions
    private final CompletableFuture<Void> hlsWatched = new CompletableFuture<>();
    private long publishedNanos;

    @BeforeAll
    void start() {
        ExternalTool.require("ffmpeg");
        ExternalTool.require("ffprobe");
        AuthHandler recordPlays = request -> {
            playRequests.computeIfAbsent(request.key(), k -> new CopyOnWriteArrayList<>()).add(request.protocol());
            return CompletableFuture.completedFuture(AuthResult.allow());
        };
        server = MediaServer.builder().ioThreads(2).rtmp(0).http(0).hls().onPlay(recordPlays).start();
        publishAll("first");
        watchHlsPlaylist(Kind.AV);
    }

    @AfterAll
    void stop() {
        scheduler.shutdownNow();
        pool.shutdownNow();
        processes.close();
        if (server != null) {   // null when a missing tool skipped the class
            server.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyPlayerSeesThePublishedTracksFromZeroWithoutJumpsBeforeAndAfterAReconnect() throws Exception {
        joinAfter(publishedNanos, JOIN_AFTER);
        // One ffprobe per protocol, and rtmpdump (librtmp), join now and keep reading across the reconnect.
        List<Across> across = new ArrayList<>();
        for (String protocol : List.of("RTMP", "HTTP-FLV")) {
            String stem = "across-ffprobe-" + protocol;
            across.add(new Across("ffprobe", protocol, processes.start(dir.resolve(stem + ".txt"), dir.resolve(stem + ".err"),
                    Players.ffprobeLive(url(Kind.AV, protocol), "%+600")), dir.resolve(stem + ".err"),
                    () -> Timeline.fromFfprobe(Players.read(dir.resolve(stem + ".txt")))));
        }
        Path dumped = dir.resolve("across-rtmpdump.flv");
        List<Row> rows = new ArrayList<>();
        if (!ExternalTool.installed("rtmpdump")) {
            rows.add(new Row("rtmpdump", "RTMP", Kind.AV.label, "across", ExternalTool.ci() ? Row.FAIL : Row.SKIP,
                    ExternalTool.missingMessage("rtmpdump")));
        } else {
            Path log = dir.resolve("across-rtmpdump.log");
            across.add(new Across("rtmpdump", "RTMP", processes.start(log, log, List.of("rtmpdump", "-q", "--live",
                    "-r", url(Kind.AV, "RTMP"), "-o", dumped.toString())), log, () -> Players.probe(processes, dumped)));
        }
        long acrossJoined = System.nanoTime();

        rows.addAll(runPhase("first"));

        // The encoders drop and come back within the grace; players join 5 s after. SIGKILL, as a
        // crash or a lost network would: a stopped ffmpeg flushes x264's lookahead first, so its
        // video runs on about 100 ms past its audio, and that skew is the publisher's, not the server's.
        for (Kind kind : Kind.values()) {
            publishers.get(kind).destroyForcibly();
        }
        long dropped = System.nanoTime();
        for (Kind kind : Kind.values()) {
            Await.until(GRACE, () -> server.streams().stream(kind.key()).map(s -> !s.live()).orElse(true),
                    () -> kind.stream + " noticed as dropped");
        }
        publishAll("reconnected");
        Duration away = Duration.ofNanos(System.nanoTime() - dropped);
        assertTrue(away.compareTo(GRACE) < 0, "the publishers came back after " + away + ", not within the grace " + GRACE);
        joinAfter(publishedNanos, JOIN_AFTER);
        rows.addAll(runPhase("reconnected"));

        for (Across a : across) {
            rows.add(acrossRow(a, acrossJoined, dropped));
        }

        String table = Row.table(rows);
        System.out.println("Real players (" + rows.size() + " runs):\n" + table);
        List<Row> failed = rows.stream().filter(r -> r.result().equals(Row.FAIL)).toList();
        assertTrue(failed.isEmpty(), failed.size() + " of " + rows.size() + " player runs failed:\n" + Row.table(failed)
                + "\nall runs:\n" + table);
    }

    @Test
    @Order(2)
    void copiesOfEachStreamToMp4AndMatroskaHoldThePublishedTracks() throws Exception {
        List<Future<Row>> futures = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (String container : List.of("mp4", "mkv")) {
                futures.add(pool.submit(() -> {
                    Path file = dir.resolve("copy-" + kind.stream + "." + container);
                    Path log = dir.resolve("copy-" + kind.stream + "-" + container + ".log");
                    int exit = processes.run(Players.BOUND, log, List.of("ffmpeg", "-nostdin", "-v", "error",
                            "-i", url(kind, "RTMP"), "-map", "0", "-c", "copy", "-t", "4", file.toString()));
                    if (exit != 0) {
                        return new Row("ffmpeg", "RTMP", kind.label, "to " + container, Row.FAIL,
                                "exit " + exit + ": " + Processes.tail(log));
                    }
                    Timeline t = Players.probe(processes, file);
                    List<String> problems = t.problems(kind.tracks, false, 2_000_000, MAX_SPAN_MICROS);
                    return new Row("ffmpeg", "RTMP", kind.label, "to " + container, problems.isEmpty() ? Row.PASS : Row.FAIL,
                            problems.isEmpty() ? t.summary() : String.join("; ", problems));
                }));
            }
        }
        assertAllPass("container copies", collect(futures, Duration.ofSeconds(90)));
    }

    @Test
    @Order(3)
    void flvmetaFindsNoErrorAndNoDesyncInALateJoinersHttpFlv() throws Exception {
        ExternalTool.require("flvmeta");
        List<Future<Row>> futures = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            futures.add(pool.submit(() -> {
                Path file = dir.resolve("capture-" + kind.stream + ".flv");
                capture(url(kind, "HTTP-FLV"), file, Duration.ofSeconds(6));
                Path log = dir.resolve("flvmeta-" + kind.stream + ".log");
                processes.run(Players.BOUND, log, List.of("flvmeta", "--check", file.toString()));
                String report = Players.read(log);
                Matcher summary = Pattern.compile("(\\d+) error\\(s\\), (\\d+) warning\\(s\\)").matcher(report);
                List<String> warnings = report.lines().filter(l -> l.contains(": warning ")).toList();
                boolean bad = !summary.find() || !summary.group(1).equals("0") || report.contains(": fatal ")
                        || report.contains("W40024");   // audio and video desynchronized
                return new Row("flvmeta", "HTTP-FLV", kind.label, "late joiner", bad ? Row.FAIL : Row.PASS,
                        bad ? report.trim().replace('\n', ' ') : warnings.size() + " warning(s): " + String.join(" | ", warnings));
            }));
        }
        assertAllPass("flvmeta --check", collect(futures, Duration.ofSeconds(60)));
    }

    @Test
    @Order(4)
    void promtoolAcceptsTheMetrics() throws Exception {
        ExternalTool.require("promtool");
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, metrics.body());
        Path log = dir.resolve("promtool.log");
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), "promtool check metrics exited " + p.exitValue() + ":\n" + Players.read(log));
    }

    @Test
    @Order(5)
    void theHlsPlaylistKeepsEachSegmentUriWhileListedAndParsesStrictly() throws Exception {
        ExternalTool.require("node");
        Path checker = Players.BROWSER_TESTS.resolve("check-m3u8.mjs");
        ExternalTool.requireFile(Players.BROWSER_TESTS.resolve("node_modules/hls-parser/index.js"),
                "run 'npm ci' in " + Players.BROWSER_TESTS);
        hlsWatched.get(HLS_WATCH.plusSeconds(60).toSeconds(), TimeUnit.SECONDS);

        List<String> problems = new ArrayList<>();
        Map<Long, String> uriBySequence = new LinkedHashMap<>();
        Map<String, String> uriByPath = new LinkedHashMap<>();
        Set<String> distinct = new LinkedHashSet<>();
        boolean seen = false;
        for (String[] poll : playlists) {
            if (!poll[1].equals("200")) {
                if (seen) {
                    problems.add("at " + poll[0] + " s the playlist answered " + poll[1]);
                }
                continue;
            }
            seen = true;
            distinct.add(poll[2]);
            Matcher sequence = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(poll[2]);
            if (!sequence.find()) {
                problems.add("at " + poll[0] + " s no EXT-X-MEDIA-SEQUENCE");
                continue;
            }
            long msn = Long.parseLong(sequence.group(1));
            for (String line : poll[2].split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String uri = line.trim();
                String before = uriBySequence.putIfAbsent(msn, uri);
                if (before != null && !before.equals(uri)) {
                    problems.add("at " + poll[0] + " s segment " + msn + " is " + uri + ", was " + before);
                }
                String path = uri.replaceAll("\\?.*", "");
                String samePath = uriByPath.putIfAbsent(path, uri);
                if (samePath != null && !samePath.equals(uri)) {
                    problems.add("at " + poll[0] + " s " + path + " is listed as " + uri + ", was " + samePath);
                }
                msn++;
            }
        }
        assertTrue(seen, "the playlist never answered 200: " + playlists.stream().map(p -> p[1]).toList());
        long polls = playlists.stream().filter(p -> p[1].equals("200")).count();
        System.out.println("HLS: " + polls + " playlists over " + HLS_WATCH.toSeconds() + " s, " + uriBySequence.size()
                + " segments, " + distinct.size() + " distinct playlists");

        List<String> files = new ArrayList<>(List.of("node", checker.toString()));
        int i = 0;
        for (String body : masters) {   // the multivariant playlists that opened sessions, checked as strictly
            Path file = dir.resolve("multivariant-" + (i++) + ".m3u8");
            Files.writeString(file, body);
            files.add(file.toString());
        }
        for (String body : distinct) {
            Path file = dir.resolve("playlist-" + (i++) + ".m3u8");
            Files.writeString(file, body);
            files.add(file.toString());
        }
        Path log = dir.resolve("check-m3u8.log");
        int exit = processes.run(Duration.ofSeconds(60), log, files);
        String report = Players.read(log).trim();
        System.out.println("hls-parser: " + report);
        if (exit != 0) {
            problems.add("hls-parser (strict) refused: " + report);
        }
        assertTrue(polls >= HLS_WATCH.toSeconds() / 2, "only " + polls + " playlists in " + HLS_WATCH);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    @Order(6)
    void playersThatJoinedBeforeTheTimestampsCrossed2To24SeeThemRiseEvenly() throws Exception {
        StreamKey key = StreamKey.of("live", "roll24");
        // Two players wait for the stream first: ffmpeg's first frames are 256 ms before 2^24 ms.
        Map<String, Process> players = new LinkedHashMap<>();
        for (String protocol : List.of("RTMP", "HTTP-FLV")) {
            players.put(protocol, processes.start(dir.resolve("roll24-" + protocol + ".txt"),
                    dir.resolve("roll24-" + protocol + ".err"), Players.ffprobeLive(url(key, protocol), "%+6")));
        }
        Await.until(Duration.ofSeconds(10), () -> playRequests.getOrDefault(key, List.of()).size() == 2,
                () -> "both players asked for " + key + ": " + playRequests.get(key));
        // ffmpeg sends the sequence headers at 0, the first audio frame 16776937 ms later as a type-1
        // delta, then small deltas: the stream's clock crosses 0xFFFFFF about 255 ms in, with no
        // extended timestamp on the wire (checked with a chunk-logging proxy).
        Process publisher = processes.start(dir.resolve("roll24-publisher.log"), dir.resolve("roll24-publisher.log"),
                List.of("ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "12",
                        "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac",
                        "-output_ts_offset", "16776.96", "-f", "flv", url(key, "RTMP")));
        try {
            List<Row> rows = new ArrayList<>();
            for (Map.Entry<String, Process> e : players.entrySet()) {
                rows.add(rolloverRow("2^24", e.getKey(), e.getValue(), Long.MIN_VALUE, Long.MAX_VALUE));
            }
            assertAllPass("rollover past 2^24 ms", rows);
        } finally {
            Processes.stop(publisher);
        }
    }

    @Test
    @Order(7)
    void playersThatJoinedBeforeTheTimestampsWrappedPast2To32SeeThemRiseEvenly() throws Exception {
        StreamKey key = StreamKey.of("live", "roll32");
        Path source = dir.resolve("roll32-source.flv");
        int made = processes.run(Duration.ofSeconds(60), dir.resolve("roll32-source.log"), List.of("ffmpeg", "-nostdin",
                "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi",
                "-i", "sine=frequency=440:sample_rate=44100", "-t", "18", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", source.toString()));
        assertEquals(0, made, Processes.tail(dir.resolve("roll32-source.log")));
        List<FlvTags.Tag> tags = FlvTags.read(Files.readAllBytes(source));
        long wrapAfterMillis = 10_000;
        long first = (1L << 32) - wrapAfterMillis;

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        CompletableFuture<Void> published = new CompletableFuture<>();
        long[] started = new long[1];
        Future<?> sending = sender.submit(() -> {
            try (RawRtmpPublisher publisher = new RawRtmpPublisher(server.rtmpPort().getAsInt())) {
                int streamId = publisher.publish("live", key.name());
                started[0] = System.nanoTime();
                published.complete(null);
                publisher.send(streamId, tags, first, stop::get);
            } catch (Exception e) {
                published.completeExceptionally(e);
            }
            return null;
        });
        try {
            published.get(20, TimeUnit.SECONDS);
            Await.until(Duration.ofSeconds(10), () -> server.streams().stream(key).map(s -> s.live() && s.tracks().size() == 2)
                    .orElse(false), () -> key + " live with 2 tracks");
            long startedNanos = started[0];
            joinAfter(startedNanos, JOIN_AFTER);
            long wrapNanos = startedNanos + TimeUnit.MILLISECONDS.toNanos(wrapAfterMillis);
            List<Row> rows = new ArrayList<>();
            Map<String, Process> players = new LinkedHashMap<>();
            for (String protocol : List.of("RTMP", "HTTP-FLV")) {
                players.put(protocol, processes.start(dir.resolve("roll32-" + protocol + ".txt"),
                        dir.resolve("roll32-" + protocol + ".err"), Players.ffprobeLive(url(key, protocol), "%+8")));
            }
            long joined = System.nanoTime();
            for (Map.Entry<String, Process> e : players.entrySet()) {
                rows.add(rolloverRow("2^32", e.getKey(), e.getValue(), joined, wrapNanos));
            }
            assertAllPass("wrap past 2^32 ms", rows);
        } finally {
            stop.set(true);
            sending.cancel(true);
            sender.shutdownNow();
            assertTrue(sender.awaitTermination(10, TimeUnit.SECONDS), "the raw publisher stopped");
        }
    }

    // ---- the matrix ----

    /** Runs every client on every stream and protocol it can play, a few at a time. */
    private List<Row> runPhase(String phase) throws Exception {
        List<Future<List<Row>>> futures = new ArrayList<>();
        futures.add(pool.submit(() -> mpegtsJs(phase)));   // the slowest to start: first
        for (Kind kind : Kind.values()) {
            for (String protocol : List.of("RTMP", "HTTP-FLV")) {
                String url = url(kind, protocol);
                String stem = phase + "-" + kind.stream + "-" + protocol;
                futures.add(submit("ffprobe", protocol, kind, phase, List.of("ffprobe"), true,
                        () -> Players.ffprobe(processes, dir, "ffprobe-" + stem, url, PLAY_SECONDS)));
                futures.add(submit("ffmpeg 5.1", protocol, kind, phase, List.of("ffmpeg"), true,
                        () -> Players.ffmpeg(processes, dir, "ffmpeg5-" + stem, "ffmpeg", url, PLAY_SECONDS)));
                futures.add(submit("ffmpeg 7", protocol, kind, phase, List.of(Players.FFMPEG7.toString()), true,
                        () -> Players.ffmpeg(processes, dir, "ffmpeg7-" + stem, Players.FFMPEG7.toString(), url, PLAY_SECONDS)));
                if (protocol.equals("RTMP")) {
                    futures.add(submit("rtmpdump", protocol, kind, phase, List.of("rtmpdump"), true,
                            () -> Players.rtmpdump(processes, dir, "rtmpdump-" + stem, url, PLAY_WALL)));
                }
                futures.add(submit("GStreamer", protocol, kind, phase, List.of("gst-launch-1.0"), true,
                        () -> Players.gstreamer(processes, dir, "gst-" + stem, url, PLAY_WALL)));
                List<String> vlcTools = Players.runningAsRoot() ? List.of("cvlc", "setpriv") : List.of("cvlc");
                futures.add(submit("VLC", protocol, kind, phase, vlcTools, false,
                        () -> Players.vlc(processes, dir, "vlc-" + stem, url, PLAY_SECONDS + 1)));
            }
        }
        List<Row> rows = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        for (Future<List<Row>> f : futures) {
            rows.addAll(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        return rows;
    }

    /** One player run as a pool task; its timeline is checked against the published tracks. */
    private Future<List<Row>> submit(String client, String protocol, Kind kind, String phase, List<String> tools,
                                     boolean startsAtZero, Supplier<Timeline> play) {
        return pool.submit(() -> {
            for (String tool : tools) {
                boolean there = tool.startsWith("/") ? Files.isExecutable(Path.of(tool)) : ExternalTool.installed(tool);
                if (!there) {
                    String why = tool.startsWith("/") ? tool + " is missing; run 'npm ci' in " + Players.BROWSER_TESTS
                            : ExternalTool.missingMessage(tool);
                    return List.of(new Row(client, protocol, kind.label, phase, ExternalTool.ci() ? Row.FAIL : Row.SKIP, why));
                }
            }
            try {
                Timeline t = play.get();
                List<String> problems = t.problems(kind.tracks, startsAtZero, MIN_SPAN_MICROS, MAX_SPAN_MICROS);
                return List.of(new Row(client, protocol, kind.label, phase, problems.isEmpty() ? Row.PASS : Row.FAIL,
                        problems.isEmpty() ? t.summary() : String.join("; ", problems) + " (" + t.summary() + ")"));
            } catch (AssertionError | RuntimeException e) {
                return List.of(new Row(client, protocol, kind.label, phase, Row.FAIL, String.valueOf(e.getMessage())
                        .replace('\n', ' ')));
            }
        });
    }

    /** mpegts.js in one Chromium, one tab per stream: the tracks it found and how far each played. */
    private List<Row> mpegtsJs(String phase) {
        Path script = Players.BROWSER_TESTS.resolve("tracks.mjs");
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("node", "chromium")) {
            if (!ExternalTool.installed(tool)) {
                missing.add(ExternalTool.missingMessage(tool));
            }
        }
        if (!Files.exists(Players.BROWSER_TESTS.resolve("node_modules/mpegts.js/dist/mpegts.js"))) {
            missing.add("mpegts.js is missing; run 'npm ci' in " + Players.BROWSER_TESTS);
        }
        List<Row> rows = new ArrayList<>();
        if (!missing.isEmpty()) {
            for (Kind kind : Kind.values()) {
                rows.add(new Row("mpegts.js", "HTTP-FLV", kind.label, phase, ExternalTool.ci() ? Row.FAIL : Row.SKIP,
                        String.join("; ", missing)));
            }
            return rows;
        }
        List<String> cmd = new ArrayList<>(List.of("node", script.toString(), "3", "40"));
        for (Kind kind : Kind.values()) {
            cmd.add(url(kind, "HTTP-FLV"));
        }
        Path out = dir.resolve("mpegts-" + phase + ".json");
        Path err = dir.resolve("mpegts-" + phase + ".err");
        Process p = processes.start(out, err, cmd);
        boolean ended = Processes.waitFor(p, Duration.ofSeconds(70));
        if (!ended) {
            Processes.stop(p);
        }
        String json = Players.read(out);
        for (Kind kind : Kind.values()) {
            int at = json.indexOf("{\"url\":\"" + url(kind, "HTTP-FLV") + "\"");
            if (at < 0) {
                rows.add(new Row("mpegts.js", "HTTP-FLV", kind.label, phase, Row.FAIL,
                        (ended ? "no result" : "did not finish") + ": " + json + Processes.tail(err)));
                continue;
            }
            int end = json.indexOf("{\"url\":", at + 1);
            String result = json.substring(at, end < 0 ? json.length() : end);
            Set<String> tracks = new java.util.TreeSet<>();
            if (result.contains("\"hasAudio\":true")) {
                tracks.add("audio");
            }
            if (result.contains("\"hasVideo\":true")) {
                tracks.add("video");
            }
            Matcher time = Pattern.compile("\"currentTime\":([0-9.eE+-]+)").matcher(result);
            String currentTime = time.find() ? time.group(1) : "?";
            List<String> problems = new ArrayList<>();
            if (!result.contains("\"ok\":true")) {
                problems.add("playback reached " + currentTime + " s, not 3 s");
            }
            if (!tracks.equals(kind.tracks)) {
                problems.add("MEDIA_INFO tracks " + tracks + ", published " + kind.tracks);
            }
            Matcher errors = Pattern.compile("\"errors\":\\[(.*?)\\]\\}").matcher(result);
            String errorList = errors.find() ? errors.group(1) : "";
            if (errorList.contains("\"") && !errorList.replaceAll("\"console: [^\"]*\",?", "").isBlank()) {
                problems.add("player errors: " + errorList);
            }
            rows.add(new Row("mpegts.js", "HTTP-FLV", kind.label, phase, problems.isEmpty() ? Row.PASS : Row.FAIL,
                    problems.isEmpty() ? "tracks " + tracks + ", currentTime " + currentTime + " s"
                            + (errorList.isBlank() ? "" : ", console: " + errorList)
                            : String.join("; ", problems) + " (" + result + ")"));
        }
        return rows;
    }

    /** A player that joined before the drop, with what it needs to be judged after the reconnect. */
    private record Across(String client, String protocol, Process process, Path log, Supplier<Timeline> result) {
        Across {
            process.onExit().thenRun(() -> ENDED.put(process, System.nanoTime()));
        }
    }

    /** When each across player's process ended, for the evidence. */
    private static final Map<Process, Long> ENDED = new ConcurrentHashMap<>();

    /** A player that joined before the drop: still reading after the reconnect, without a jump. */
    private Row acrossRow(Across a, long joinedNanos, long droppedNanos) {
        boolean wasReading = Processes.stop(a.process());
        List<String> problems = new ArrayList<>();
        Timeline t = new Timeline();
        try {
            t = a.result().get();
            problems.addAll(t.problems(Kind.AV.tracks, true, 0, Long.MAX_VALUE));
        } catch (AssertionError | RuntimeException e) {
            problems.add(String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        if (!wasReading) {
            long endedAfterDrop = (ENDED.getOrDefault(a.process(), System.nanoTime()) - droppedNanos) / 1_000_000;
            problems.add(a.client() + " ended by itself (exit " + a.process().exitValue() + ") " + endedAfterDrop
                    + " ms after the publishers dropped" + (endedAfterDrop < GRACE.toMillis() ? ", within the grace" : "")
                    + "; its output: [" + Processes.tail(a.log()).replace('\n', ' ') + "]");
        }
        // The timeline skips the time the publisher was away; the rest must be there.
        long beforeDrop = droppedNanos - joinedNanos;
        List<Long> video = t.of("video");
        long played = video.isEmpty() ? 0 : video.get(video.size() - 1) - video.get(0);
        long needed = TimeUnit.NANOSECONDS.toMicros(beforeDrop) + TimeUnit.SECONDS.toMicros(5);
        if (played < needed) {
            problems.add("video covers " + played / 1000 + " ms; it joined " + beforeDrop / 1_000_000
                    + " ms before the drop and should have read at least 5 s after the reconnect");
        }
        return new Row(a.client(), a.protocol(), Kind.AV.label, "across", problems.isEmpty() ? Row.PASS : Row.FAIL,
                problems.isEmpty() ? t.summary() : String.join("; ", problems) + " (" + t.summary() + ")");
    }

    /** A rollover player: waits for its end, then checks its timeline and, when given, that it spanned the wrap. */
    private Row rolloverRow(String what, String protocol, Process p, long joinedNanos, long wrapNanos) {
        String stem = "roll" + what.substring(2) + "-" + protocol;
        boolean ended = Processes.waitFor(p, Players.BOUND);
        long endedNanos = System.nanoTime();
        if (!ended) {
            Processes.stop(p);
        }
        Timeline t = Timeline.fromFfprobe(Players.read(dir.resolve(stem + ".txt")));
        List<String> problems = new ArrayList<>(t.problems(Kind.AV.tracks, true, 5_000_000, MAX_SPAN_MICROS));
        if (!ended || p.exitValue() != 0) {
            problems.add("ffprobe " + (ended ? "exited " + p.exitValue() : "did not finish") + ": "
                    + Processes.tail(dir.resolve(stem + ".err")).replace('\n', ' '));
        }
        if (joinedNanos != Long.MIN_VALUE && (joinedNanos > wrapNanos - TimeUnit.SECONDS.toNanos(1)
                || endedNanos < wrapNanos + TimeUnit.SECONDS.toNanos(1))) {
            problems.add("the player did not span the wrap: joined " + (wrapNanos - joinedNanos) / 1_000_000
                    + " ms before it, ended " + (endedNanos - wrapNanos) / 1_000_000 + " ms after");
        }
        return new Row("ffprobe", protocol, "a/v", "over " + what, problems.isEmpty() ? Row.PASS : Row.FAIL,
                problems.isEmpty() ? t.summary() : String.join("; ", problems) + " (" + t.summary() + ")");
    }

    // ---- publishers, HLS, helpers ----

    /** Starts the three ffmpeg publishers and waits until each stream has its tracks. */
    private void publishAll(String phase) {
        for (Kind kind : Kind.values()) {
            List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-re"));
            if (kind.tracks.contains("video")) {
                cmd.addAll(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25"));
            }
            if (kind.tracks.contains("audio")) {
                cmd.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
            }
            cmd.addAll(List.of("-t", "600"));   // bounded; stopped long before
            if (kind.tracks.contains("video")) {
                cmd.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p"));
            }
            if (kind.tracks.contains("audio")) {
                cmd.addAll(List.of("-c:a", "aac"));
            }
            cmd.addAll(List.of("-f", "flv", url(kind, "RTMP")));
            Path log = dir.resolve("publisher-" + kind.stream + "-" + phase + ".log");
            publishers.put(kind, processes.start(log, log, cmd));
        }
        publishedNanos = System.nanoTime();
        for (Kind kind : Kind.values()) {
            Await.until(Duration.ofSeconds(20), () -> server.streams().stream(kind.key())
                    .map(s -> s.live() && s.tracks().size() == kind.tracks.size()).orElse(false),
                    () -> kind.stream + " live with " + kind.tracks + ": " + server.streams().stream(kind.key())
                            .map(StreamInfo::toString).orElse("absent") + "\n"
                            + Processes.tail(dir.resolve("publisher-" + kind.stream + "-" + phase + ".log")));
        }
    }

    /** Polls the playlist every second for {@link #HLS_WATCH} from its first 200, in the background. */
    private void watchHlsPlaylist(Kind kind) {
        long start = System.nanoTime();
        long[] firstOk = {-1};
        String path = "/live/" + kind.stream + ".m3u8";
        String[] media = {null};
        scheduler.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            String at = String.format(java.util.Locale.ROOT, "%.1f", (now - start) / 1e9);
            try {
                HttpResponse<String> r = get(media[0] != null ? media[0] : path);
                if (r.statusCode() == 200 && media[0] == null) {   // the viewer's session: reload its variant from now on
                    masters.add(r.body());
                    media[0] = io.streamkit.hls.HlsPlaylists.variant("http://127.0.0.1" + path, r.body())
                            .replace("http://127.0.0.1", "");
                    r = get(media[0]);
                }
                playlists.add(new String[] {at, Integer.toString(r.statusCode()), r.body()});
                if (r.statusCode() == 200 && firstOk[0] < 0) {
                    firstOk[0] = now;
                }
            } catch (IOException e) {
                playlists.add(new String[] {at, "error " + e, ""});
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if ((firstOk[0] >= 0 && now - firstOk[0] >= HLS_WATCH.toNanos()) || now - start > HLS_WATCH.plusSeconds(30).toNanos()) {
                hlsWatched.complete(null);
                throw new IllegalStateException("done");   // ends the schedule
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    /** Reads an HTTP-FLV stream into a file for {@code wall}, then cuts it after its last whole tag. */
    private void capture(String url, Path file, Duration wall) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), url);
        long end = System.nanoTime() + wall.toNanos();
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(file)) {
            scheduler.schedule(() -> {
                try {
                    in.close();   // unblocks the read below
                } catch (IOException ignored) {
                    // closing a finished stream
                }
            }, wall.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            byte[] buf = new byte[65_536];
            int n;
            while (System.nanoTime() < end && (n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // closed by the schedule: what was read is the capture
        }
        byte[] bytes = Files.readAllBytes(file);
        List<FlvTags.Tag> tags = FlvTags.read(bytes);
        int whole = tags.isEmpty() ? 13 : tags.get(tags.size() - 1).end();
        Files.write(file, java.util.Arrays.copyOf(bytes, whole));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort().getAsInt() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String url(Kind kind, String protocol) {
        return url(kind.key(), protocol);
    }

    private String url(StreamKey key, String protocol) {
        return protocol.equals("RTMP")
                ? "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/" + key.app() + "/" + key.name()
                : "http://127.0.0.1:" + server.httpPort().getAsInt() + "/" + key.app() + "/" + key.name() + ".flv";
    }

    /** Waits until {@code after} has passed since {@code startNanos}: a viewer who arrives that much later. */
    private static void joinAfter(long startNanos, Duration after) {
        long wait;
        while ((wait = startNanos + after.toNanos() - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static <T> List<T> collect(List<Future<T>> futures, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        List<T> all = new ArrayList<>();
        for (Future<T> f : futures) {
            all.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        return all;
    }

    private static void assertAllPass(String what, List<Row> rows) {
        String table = Row.table(rows);
        System.out.println(what + ":\n" + table);
        assertTrue(rows.stream().noneMatch(r -> r.result().equals(Row.FAIL)), what + " failed:\n" + table);
    }
}
