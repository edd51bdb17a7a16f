package io.streamkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.players.FlvTags;
import io.streamkit.server.players.Players;
import io.streamkit.server.players.Processes;
import io.streamkit.server.players.RawRtmpPublisher;
import io.streamkit.server.players.Timeline;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishers with broken clocks, sent by hand over RTMP with real H.264 and AAC frames, while
 * ffprobe plays the stream over RTMP and HTTP-FLV and the server segments it for HLS: a clock
 * that jumps 5 s back mid-stream, and one that stamps every frame 0. Players must see video
 * dts rise by one frame interval each frame, audio rise, audio and video stay within 100 ms of
 * where the publisher put them; the playlist must have no {@code EXTINF:0} and no segment
 * under half a second but the last; the repairs must show per track in the API and
 * {@code /metrics}.
 *
 * <p>The media is the 2 s fixture ({@code format/flv/h264-aac-160x120-2s.flv}: 25 fps with a
 * keyframe a second, 44.1 kHz AAC) looped with even timing across the loops, so any unevenness
 * a player sees is the server's. Each case runs about 11 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublisherClockIT {
    private static final String FIXTURE = "/format/flv/h264-aac-160x120-2s.flv";
    private static final long VIDEO_FRAME_MILLIS = 40;
    private static final double AAC_FRAME_MILLIS = 1024_000.0 / 44_100;
    /** Players' timestamps are milliseconds: a step may be off the exact interval by the rounding of both ends. */
    private static final long STEP_TOLERANCE_MICROS = 2_000;
    /** How far audio and video may drift apart from where the publisher put them. */
    private static final long MAX_AV_SKEW_MICROS = 100_000;
    /** The shortest segment accepted but the last: a keyframe a second and a 2 s target give 2 s. */
    private static final double MIN_SEGMENT_SECONDS = 0.5;

    @TempDir
    static Path dir;

    private MediaServer server;
    private final Processes processes = new Processes();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService sender = Executors.newCachedThreadPool();
    private List<FlvTags.Tag> fixture;

    @BeforeAll
    void start() throws IOException {
        ExternalTool.require("ffprobe");
        try (InputStream in = PublisherClockIT.class.getResourceAsStream(FIXTURE)) {
            assertTrue(in != null, FIXTURE + " on the test class path");
            fixture = FlvTags.read(in.readAllBytes());
        }
        // No grace: the stream ends as the publisher leaves, so players see the end and HLS its last segment.
        server = MediaServer.builder().ioThreads(2).rtmp(0).http(0).hls(h -> h.playlistSize(10))
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)).start();
    }

    @AfterAll
    void stop() throws InterruptedException {
        sender.shutdownNow();
        sender.awaitTermination(10, TimeUnit.SECONDS);
        processes.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aClockThatJumpsFiveSecondsBackMidStreamPlaysOnEvenly() throws Exception {
        // The publisher's clock starts at 10 s and steps back 5 s at 4 s of media.
        Result r = publishAndPlay("jump", 9_000, t -> 10_000 + t - (t >= 4_000 ? 5_000 : 0));
        for (Map.Entry<String, Long> e : r.corrections.entrySet()) {
            assertTrue(e.getValue() >= 1 && e.getValue() <= 3, e.getKey() + " repaired the jump's first frame: " + r.api);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aClockStuckAtZeroPlaysEvenlyFromFrameRateAndSampleRate() throws Exception {
        Result r = publishAndPlay("zero", 10_000, t -> 0);
        assertTrue(r.corrections.get("video") >= r.sentVideo - 1 - 5,
                "nearly every video frame was timed by the server: " + r.corrections + " of " + r.sentVideo);
        assertTrue(r.corrections.get("audio") >= r.sentAudio - 1 - 5,
                "nearly every audio frame was timed by the server: " + r.corrections + " of " + r.sentAudio);
    }

    /** What a case leaves to check beyond the common checks. */
    private record Result(Map<String, Long> corrections, String api, int sentVideo, int sentAudio) {
    }

    /**
     * Publishes {@code millis} of media stamped by {@code clock}, with ffprobe playing RTMP and
     * HTTP-FLV from before the first frame, and checks the players, the playlist and the metrics.
     */
    private Result publishAndPlay(String name, long millis, LongUnaryOperator clock) throws Exception {
        StreamKey key = StreamKey.of("live", name);
        List<FlvTags.Tag> headers = fixture.stream().filter(t -> t.type() == FlvTags.SCRIPT || t.sequenceHeader())
                .map(t -> new FlvTags.Tag(t.type(), 0, t.body(), 0)).toList();
        List<FlvTags.Tag> frames = looped(millis);
        List<Long> sentVideo = frames.stream().filter(t -> t.type() == FlvTags.VIDEO).map(t -> t.timestamp() * 1_000).toList();
        List<Long> sentAudio = frames.stream().filter(t -> t.type() == FlvTags.AUDIO).map(t -> t.timestamp() * 1_000).toList();

        CompletableFuture<Void> headersSent = new CompletableFuture<>();
        CompletableFuture<Void> playersReady = new CompletableFuture<>();
        CompletableFuture<Void> framesSent = new CompletableFuture<>();
        CompletableFuture<Void> mayLeave = new CompletableFuture<>();
        Future<?> sending = sender.submit(() -> {
            try (RawRtmpPublisher publisher = new RawRtmpPublisher(server.rtmpPort().getAsInt())) {
                int streamId = publisher.publish(key.app(), key.name());
                publisher.send(streamId, headers, clock, () -> false);
                headersSent.complete(null);
                playersReady.get(20, TimeUnit.SECONDS);
                publisher.send(streamId, frames, clock, Thread.currentThread()::isInterrupted);
                framesSent.complete(null);
                mayLeave.get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                headersSent.completeExceptionally(e);
                framesSent.completeExceptionally(e);
            }
            return null;
        });

        headersSent.get(20, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(10), () -> server.streams().stream(key).map(s -> s.tracks().size() == 2).orElse(false),
                () -> key + " with its two tracks");
        Map<String, Process> players = new LinkedHashMap<>();
        for (String protocol : List.of("RTMP", "HTTP-FLV")) {
            players.put(protocol, processes.start(dir.resolve(name + "-" + protocol + ".txt"),
                    dir.resolve(name + "-" + protocol + ".err"), Players.ffprobeLive(url(key, protocol), "%+60")));
        }
        Await.until(Duration.ofSeconds(15), () -> server.streams().stream(key).map(s -> s.subscribersByProtocol()
                        .getOrDefault("rtmp", 0) == 1 && s.subscribersByProtocol().getOrDefault("http-flv", 0) == 1).orElse(false),
                () -> "both players attached: " + server.streams().stream(key).map(s -> s.subscribersByProtocol().toString()));
        playersReady.complete(null);

        framesSent.get(millis + 20_000, TimeUnit.MILLISECONDS);
        String api = get("/api/streams/live/" + name).body();
        String metrics = get("/metrics").body();
        Map<String, Long> corrections = new LinkedHashMap<>();
        for (String type : List.of("video", "audio")) {
            corrections.put(type, number(api, "\"type\":\"" + type + "\".*?\"timestampCorrections\":(\\d+)"));
            long metric = number(metrics, "\nstreamkit_stream_timestamp_corrections_total\\{app=\"live\",name=\"" + name
                    + "\",track=\"\\d+\",type=\"" + type + "\"} (\\d+)");
            assertEquals(corrections.get(type), metric, type + " corrections: the API's and the metric's");
        }
        System.out.println(name + ": corrections " + corrections);
        mayLeave.complete(null);
        sending.get(10, TimeUnit.SECONDS);

        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Process> e : players.entrySet()) {
            String stem = name + "-" + e.getKey();
            Process p = e.getValue();
            if (!Processes.waitFor(p, Duration.ofSeconds(15))) {
                Processes.stop(p);
                problems.add(stem + ": ffprobe did not end with the stream");
            } else if (p.exitValue() != 0) {
                problems.add(stem + ": ffprobe exited " + p.exitValue() + ": " + Processes.tail(dir.resolve(stem + ".err")));
            }
            Timeline t = Timeline.fromFfprobe(Players.read(dir.resolve(stem + ".txt")));
            problems.addAll(playerProblems(stem, t, sentVideo, sentAudio));
        }
        String master = get("/live/" + name + ".m3u8").body();   // a viewer's session: follow its variant
        String playlist = get(io.streamkit.hls.HlsPlaylists.variant("http://127.0.0.1/live/" + name + ".m3u8", master)
                .replace("http://127.0.0.1", "")).body();
        System.out.println(name + " playlist:\n" + playlist);
        problems.addAll(playlistProblems(name, playlist, millis));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        return new Result(corrections, api, sentVideo.size(), sentAudio.size());
    }

    /**
     * What a player got wrong: video not rising by one frame interval per frame; audio not
     * rising; a frame missing; audio and video apart from where the publisher put them. Frames
     * are matched to what was sent from the end, so a player that started a frame late still
     * compares.
     */
    private static List<String> playerProblems(String who, Timeline t, List<Long> sentVideo, List<Long> sentAudio) {
        List<String> problems = new ArrayList<>();
        List<Long> video = t.of("video");
        List<Long> audio = t.of("audio");
        if (video.size() < sentVideo.size() - 1 || video.size() > sentVideo.size()
                || audio.size() < sentAudio.size() - 2 || audio.size() > sentAudio.size()) {
            problems.add(who + ": got " + video.size() + " video and " + audio.size() + " audio frames of "
                    + sentVideo.size() + " and " + sentAudio.size() + "; video " + ends(video) + ", audio " + ends(audio));
        }
        for (int i = 1; i < video.size(); i++) {
            long step = video.get(i) - video.get(i - 1);
            if (Math.abs(step - VIDEO_FRAME_MILLIS * 1_000) > STEP_TOLERANCE_MICROS) {
                problems.add(who + ": video step " + i + " is " + step + " µs, not " + VIDEO_FRAME_MILLIS + " ms; around it "
                        + video.subList(Math.max(0, i - 3), Math.min(video.size(), i + 3)));
            }
        }
        for (int i = 1; i < audio.size(); i++) {
            long step = audio.get(i) - audio.get(i - 1);
            if (step <= 0 || step > 2 * AAC_FRAME_MILLIS * 1_000 + STEP_TOLERANCE_MICROS) {
                problems.add(who + ": audio step " + i + " is " + step + " µs; around it "
                        + audio.subList(Math.max(0, i - 3), Math.min(audio.size(), i + 3)));
                break;
            }
        }
        // Each frame's time on the player minus its time in the media: one constant for both tracks if A/V hold.
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int r = 1; r <= video.size(); r++) {
            long shift = video.get(video.size() - r) - sentVideo.get(sentVideo.size() - r);
            min = Math.min(min, shift);
            max = Math.max(max, shift);
        }
        for (int r = 1; r <= audio.size(); r++) {
            long shift = audio.get(audio.size() - r) - sentAudio.get(sentAudio.size() - r);
            min = Math.min(min, shift);
            max = Math.max(max, shift);
        }
        if (max - min > MAX_AV_SKEW_MICROS) {
            problems.add(who + ": audio and video moved " + (max - min) / 1_000 + " ms against each other ("
                    + t.summary() + ")");
        }
        System.out.println(who + ": " + video.size() + " video, " + audio.size() + " audio frames; A/V spread "
                + (max - min) / 1_000 + " ms; " + t.summary());
        return problems;
    }

    private static String ends(List<Long> times) {
        return times.size() < 6 ? times.toString()
                : times.subList(0, 3) + " ... " + times.subList(times.size() - 3, times.size());
    }

    /** What the playlist got wrong: a zero or short segment (but the last), or a total far from the media. */
    private static List<String> playlistProblems(String name, String playlist, long millis) {
        List<String> problems = new ArrayList<>();
        List<Double> durations = new ArrayList<>();
        Matcher m = Pattern.compile("#EXTINF:([0-9.]+),").matcher(playlist);
        while (m.find()) {
            durations.add(Double.parseDouble(m.group(1)));
        }
        if (durations.size() < 3) {
            problems.add(name + ".m3u8: " + durations.size() + " segments for " + millis + " ms:\n" + playlist);
            return problems;
        }
        for (int i = 0; i < durations.size(); i++) {
            double d = durations.get(i);
            if (d <= 0 || (d < MIN_SEGMENT_SECONDS && i < durations.size() - 1)) {
                problems.add(name + ".m3u8: segment " + i + " of " + d + " s:\n" + playlist);
            }
        }
        double total = durations.stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(total - millis / 1000.0) > 1.0) {
            problems.add(name + ".m3u8: segments add up to " + total + " s for " + millis + " ms of media:\n" + playlist);
        }
        return problems;
    }

    /**
     * The fixture's frames looped to {@code millis} of media, restamped on exact grids so the
     * loops join evenly: video at 23 ms + 40 ms a frame (the fixture's start), audio at 1024
     * samples a frame; in time order, video first on a tie.
     */
    private List<FlvTags.Tag> looped(long millis) {
        // Frames only: AVCPacketType and AACPacketType 1; the fixture ends with an AVC end of sequence (type 2).
        List<FlvTags.Tag> video = fixture.stream().filter(t -> t.type() == FlvTags.VIDEO && t.body()[1] == 1).toList();
        List<FlvTags.Tag> audio = fixture.stream().filter(t -> t.type() == FlvTags.AUDIO && t.body()[1] == 1).toList();
        assertEquals(50, video.size(), "the fixture's video frames");
        assertEquals(88, audio.size(), "the fixture's audio frames");
        List<FlvTags.Tag> out = new ArrayList<>();
        for (int k = 0; ; k++) {
            long ts = 23 + k * VIDEO_FRAME_MILLIS;
            if (ts >= millis) {
                break;
            }
            out.add(new FlvTags.Tag(FlvTags.VIDEO, ts, video.get(k % video.size()).body(), 0));
        }
        for (int j = 0; ; j++) {
            long ts = Math.round(j * AAC_FRAME_MILLIS);
            if (ts >= millis) {
                break;
            }
            out.add(new FlvTags.Tag(FlvTags.AUDIO, ts, audio.get(j % audio.size()).body(), 0));
        }
        out.sort(Comparator.comparingLong(FlvTags.Tag::timestamp).thenComparingInt(t -> t.type() == FlvTags.VIDEO ? 0 : 1));
        return out;
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), regex + " in\n" + text);
        return Long.parseLong(m.group(1));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort().getAsInt() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String url(StreamKey key, String protocol) {
        return protocol.equals("RTMP")
                ? "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/" + key.app() + "/" + key.name()
                : "http://127.0.0.1:" + server.httpPort().getAsInt() + "/" + key.app() + "/" + key.name() + ".flv";
    }
}
