package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Track;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enhanced RTMP multitrack and Opus from FFmpeg 8.1, the first FFmpeg whose FLV muxer writes
 * them, through the npm package node-av (its libraries; installed by {@code npm ci} in
 * {@code browser-tests/}). node-av publishes the committed fixtures (written by FFmpeg 8.1,
 * see {@code sdk-core/src/test/resources/format/flv/make-multitrack-fixtures.sh}) over RTMP:
 * track 0 plain, tracks 1 as one-track multitrack messages, Opus as {@code Opus}.
 *
 * <ul>
 *   <li>Every track is ingested, not only track 0.</li>
 *   <li>A player that announced multitrack (capsEx 0x02, which no independent client here
 *       sends, so a raw test client) gets every track, and what it got, written as FLV, is
 *       read and decoded by FFmpeg 8.1: both video tracks at their sizes, both AAC tracks at
 *       their rates, no decode error.</li>
 *   <li>Legacy players (Debian's FFmpeg 5.1 over RTMP and over HTTP-FLV) get the first track of
 *       each media as a plain stream that decodes.</li>
 *   <li>Opus plays back to FFmpeg 8.1 over RTMP and HTTP-FLV.</li>
 * </ul>
 */
class MultitrackAndOpusIT {
    private static final Path BROWSER_TESTS = Path.of("..", "browser-tests").toAbsolutePath().normalize();
    private static final Path FIXTURES = Path.of("..", "sdk-core", "src", "test", "resources", "format", "flv")
            .toAbsolutePath().normalize();
    private static final Pattern STREAM = Pattern.compile("\\{\"index\":(\\d+),\"type\":\"(\\w+)\",\"codec\":\"(\\w+)\","
            + "\"width\":(\\d+),\"height\":(\\d+),\"sampleRate\":(\\d+),\"channels\":(\\d+),\"packets\":(\\d+),"
            + "\"frames\":(\\d+),\"decodeErrors\":(\\d+)");

    @TempDir
    Path dir;

    private MediaServer server;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() {
        ExternalTool.require("node");
        ExternalTool.requireFile(BROWSER_TESTS.resolve("node_modules/node-av/dist/index.js"),
                "run `npm ci --ignore-scripts` in browser-tests/ (it installs node-av with FFmpeg 8.1)");
        server = MediaServer.builder().ioThreads(2).rtmp(0).http(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO).withPlayWait(Duration.ofSeconds(20)))
                .start();
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        server.close();
    }

    @Test
    void everyTrackIsIngestedAndPlaysToMultitrackAndLegacyPlayers() throws Exception {
        ExternalTool.require("ffmpeg");
        StreamKey key = StreamKey.of("live", "mt");
        int rtmpPort = server.rtmpPort().getAsInt();
        String rtmp = "rtmp://127.0.0.1:" + rtmpPort + "/live/mt";
        String http = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/live/mt.flv";
        // Players first: the fixture is 2 s long; they wait for the publish (play wait).
        Path multiFlv = dir.resolve("multitrack.flv");
        CompletableFuture<Integer> multi = CompletableFuture.supplyAsync(() -> {
            try {
                return RawRtmpPlayer.play(rtmpPort, "live", "mt", Map.of("capsEx", 2.0), 25_000, multiFlv);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path legacyRtmp = dir.resolve("legacy-rtmp.mkv");
        Path legacyHttp = dir.resolve("legacy-http.mkv");
        Process rtmpPlayer = start("ffmpeg-rtmp", "ffmpeg", "-v", "error", "-i", rtmp, "-map", "0", "-c", "copy",
                legacyRtmp.toString());
        Process httpPlayer = start("ffmpeg-http", "ffmpeg", "-v", "error", "-i", http, "-map", "0", "-c", "copy",
                legacyHttp.toString());
        Process publisher = publish("h264x2-aacx2-multitrack-2s.flv", rtmp);
        List<Track> ingested = tracksWhile(publisher, key);
        assertEquals(List.of("VIDEO H264 160", "VIDEO H264 128", "AUDIO AAC 44100", "AUDIO AAC 48000"),
                ingested.stream().map(t -> t.type() + " " + t.codec() + " " + (t.type() == MediaType.VIDEO
                        ? t.format().video().orElseThrow().width() : t.format().audio().orElseThrow().sampleRate()))
                        .toList(), "every track of the multitrack publish, in the order announced");

        assertTrue(multi.get(30, TimeUnit.SECONDS) > 100, "media messages to the multitrack player");
        List<Probe> all = probeAv(multiFlv.toString());
        assertEquals(List.of("video h264 160x120", "video h264 128x96", "audio aac 44100/1", "audio aac 48000/1"),
                all.stream().map(Probe::describe).toList(), "FFmpeg 8.1 reads what the multitrack player got");
        for (Probe p : all) {
            assertEquals(0, p.decodeErrors(), p.describe());
            assertTrue(p.frames() > (p.type().equals("video") ? 20 : 40), p.describe() + ": frames " + p.frames());
        }

        for (Process p : List.of(rtmpPlayer, httpPlayer)) {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "a legacy player ended with the stream");
        }
        for (Path legacy : List.of(legacyRtmp, legacyHttp)) {
            String streams = ExternalTool.run(30, "ffprobe", "-v", "error", "-show_entries",
                    "stream=codec_type,codec_name,width,height,sample_rate", "-of", "csv=p=0", legacy.toString());
            assertEquals(List.of("h264,160,120", "aac,44100"), streams.lines().map(l -> l.replaceAll(",video|,audio", "")
                    .replaceAll(",+$", "")).toList(), legacy + ": the first track of each media, and only those");
            assertEquals("", ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", legacy.toString(), "-f", "null", "-"),
                    legacy + " decodes");
        }
    }

    @Test
    void opusPlaysBackToFfmpeg8OverRtmpAndHttpFlv() throws Exception {
        StreamKey key = StreamKey.of("live", "opus");
        String rtmp = "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/opus";
        String http = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/live/opus.flv";
        CompletableFuture<List<Probe>> overRtmp = CompletableFuture.supplyAsync(() -> probeAv(rtmp));
        CompletableFuture<List<Probe>> overHttp = CompletableFuture.supplyAsync(() -> probeAv(http));
        Process publisher = publish("h264-opusx2-multitrack-2s.flv", rtmp);
        List<Track> tracks = tracksWhile(publisher, key);
        assertEquals(List.of("VIDEO H264", "AUDIO OPUS", "AUDIO OPUS"),
                tracks.stream().map(t -> t.type() + " " + t.codec()).toList(), "Opus tracks 0 and 1 ingested");
        for (List<Probe> probes : List.of(overRtmp.get(40, TimeUnit.SECONDS), overHttp.get(40, TimeUnit.SECONDS))) {
            assertEquals(List.of("video h264 160x120", "audio opus 48000/2"),
                    probes.stream().map(Probe::describe).toList(), "track 0 of each media to a legacy player");
            for (Probe p : probes) {
                assertEquals(0, p.decodeErrors(), p.describe());
                assertTrue(p.frames() > 20, p.describe() + ": frames " + p.frames());
            }
        }
    }

    /** The most tracks the stream had while the publisher ran; the publisher must end well. */
    private List<Track> tracksWhile(Process publisher, StreamKey key) throws Exception {
        AtomicReference<List<Track>> tracks = new AtomicReference<>(List.of());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (publisher.isAlive() && System.nanoTime() < deadline) {
            server.streams().stream(key).map(StreamInfo::tracks).filter(t -> t.size() > tracks.get().size())
                    .ifPresent(tracks::set);
            publisher.waitFor(20, TimeUnit.MILLISECONDS);
        }
        assertEquals(0, publisher.waitFor(5, TimeUnit.SECONDS) ? publisher.exitValue() : -1,
                "node-av published: " + Files.readString(dir.resolve("publisher.log")));
        return tracks.get();
    }

    private Process publish(String fixture, String url) throws IOException {
        Process p = new ProcessBuilder("node", FIXTURES.resolve("publish-rtmp.mjs").toString(), BROWSER_TESTS.toString(),
                FIXTURES.resolve(fixture).toString(), url).redirectErrorStream(true)
                .redirectOutput(dir.resolve("publisher.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        return p;
    }

    private Process start(String name, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        return p;
    }

    /** What FFmpeg 8.1 (node-av, browser-tests/probe-av.mjs) found in one stream of an input. */
    private record Probe(String type, String codec, int width, int height, int sampleRate, int channels, int packets,
                         int frames, int decodeErrors) {
        String describe() {
            return type + " " + codec + " " + (type.equals("video") ? width + "x" + height : sampleRate + "/" + channels);
        }
    }

    private List<Probe> probeAv(String input) {
        String out = ExternalTool.run(60, "node", BROWSER_TESTS.resolve("probe-av.mjs").toString(), BROWSER_TESTS.toString(),
                input, "10");
        List<Probe> probes = new ArrayList<>();
        Matcher m = STREAM.matcher(out);
        while (m.find()) {
            probes.add(new Probe(m.group(2), m.group(3), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)), Integer.parseInt(m.group(7)), Integer.parseInt(m.group(8)),
                    Integer.parseInt(m.group(9)), Integer.parseInt(m.group(10))));
        }
        assertTrue(!probes.isEmpty(), "probe-av read nothing from " + input + ": " + out);
        return probes;
    }
}
