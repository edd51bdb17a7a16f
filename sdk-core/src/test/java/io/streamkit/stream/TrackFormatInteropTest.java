package io.streamkit.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.AudioParameters;
import io.streamkit.codec.VideoParameters;
import io.streamkit.test.ExternalTool;
import io.streamkit.test.Mp4Boxes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our reading of decoder configurations agrees with ffprobe's, on streams ffmpeg encodes
 * fresh at sizes and rates a fixture set might miss.
 */
class TrackFormatInteropTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} {2}x{3} @{4}")
    @CsvSource({
        "libx264,    baseline, 426, 240, 30",
        "libx264,    main,     1280, 720, 25",
        "libx264,    high,     642, 362, 50",
        "libx265,    main,     640, 360, 30",
        "libx265,    main10,   1920, 1080, 24",
        "libaom-av1, main,     352, 288, 25",
    })
    void videoParametersMatchFfprobe(String encoder, String profile, int width, int height, int fps) throws IOException {
        Path mp4 = dir.resolve("v.mp4");
        String pixFmt = profile.equals("main10") ? "yuv420p10le" : "yuv420p";
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("ffmpeg", "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=" + width + "x" + height + ":rate=" + fps,
                "-frames:v", "3", "-pix_fmt", pixFmt, "-c:v", encoder));
        switch (encoder) {
            case "libx264" -> cmd.addAll(java.util.List.of("-profile:v", profile, "-preset", "ultrafast"));
            case "libx265" -> cmd.addAll(java.util.List.of("-profile:v", profile, "-preset", "ultrafast", "-x265-params", "log-level=error"));
            default -> cmd.addAll(java.util.List.of("-cpu-used", "8", "-usage", "realtime"));
        }
        cmd.add(mp4.toString());
        ExternalTool.run(120, cmd.toArray(new String[0]));
        Map<String, String> probe = probe(mp4);

        Codec codec = switch (encoder) {
            case "libx264" -> Codec.H264;
            case "libx265" -> Codec.H265;
            default -> Codec.AV1;
        };
        String box = switch (codec) {
            case H264 -> "avcC";
            case H265 -> "hvcC";
            default -> "av1C";
        };
        byte[] config = Mp4Boxes.find(Files.readAllBytes(mp4), box);
        assertNotNull(config, box + " in ffmpeg's mp4");
        VideoParameters v = TrackFormat.of(codec, Unpooled.wrappedBuffer(config)).video().orElseThrow();

        assertEquals(Integer.parseInt(probe.get("width")), v.width(), "width");
        assertEquals(Integer.parseInt(probe.get("height")), v.height(), "height");
        assertEquals(width, v.width());
        assertEquals(height, v.height());
        if (codec != Codec.AV1) {
            assertEquals(normalise(probe.get("profile")), normalise(v.profile()), "profile");
            assertEquals(fps, v.frameRate(), 0.001, "frame rate from VUI timing");
        }
        if (codec == Codec.H264) {
            assertEquals(Integer.parseInt(probe.get("level")), Math.round(Double.parseDouble(v.level()) * 10), "level");
        }
        if (profile.equals("main10")) {
            assertEquals(10, v.bitDepth());
        }
    }

    @ParameterizedTest(name = "{0} {1} Hz {2} ch")
    @CsvSource({
        "aac,     44100, 1",
        "aac,     48000, 2",
        "aac,     22050, 6",
        "libopus, 48000, 2",
    })
    void audioParametersMatchFfprobe(String encoder, int rate, int channels) throws IOException {
        Path mp4 = dir.resolve("a.mp4");
        ExternalTool.run(60, "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + rate,
                "-t", "0.2", "-ac", String.valueOf(channels), "-c:a", encoder, mp4.toString());
        Map<String, String> probe = probe(mp4);
        byte[] file = Files.readAllBytes(mp4);
        TrackFormat format;
        if (encoder.equals("aac")) {
            format = TrackFormat.of(Codec.AAC, Unpooled.wrappedBuffer(decoderSpecificInfo(Mp4Boxes.find(file, "esds"))));
        } else {
            format = TrackFormat.of(Codec.OPUS, opusHeadFromDops(Mp4Boxes.find(file, "dOps")));
        }
        AudioParameters a = format.audio().orElseThrow();
        assertEquals(Integer.parseInt(probe.get("sample_rate")), a.sampleRate(), "sample rate");
        assertEquals(Integer.parseInt(probe.get("channels")), a.channels(), "channels");
        assertEquals(rate, a.sampleRate());
        assertEquals(channels, a.channels());
        if (encoder.equals("aac")) {
            assertTrue(a.profile().endsWith(probe.get("profile")), a.profile() + " vs ffprobe " + probe.get("profile"));
        }
    }

    private static Map<String, String> probe(Path file) {
        String out = ExternalTool.run(30, "ffprobe", "-v", "error", "-select_streams", "0", "-show_streams",
                "-of", "default=noprint_wrappers=1", file.toString());
        Map<String, String> fields = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return fields;
    }

    private static String normalise(String profile) {
        return profile.toLowerCase(java.util.Locale.ROOT).replace(" ", "");
    }

    /** The DecoderSpecificInfo (tag 5) inside an esds payload: ISO/IEC 14496-1 7.2.6. */
    private static byte[] decoderSpecificInfo(byte[] esds) {
        int i = 4;   // version and flags
        while (i < esds.length) {
            int tag = esds[i++] & 0xff;
            int len = 0;
            int b;
            do {
                b = esds[i++] & 0xff;
                len = (len << 7) | (b & 0x7f);
            } while ((b & 0x80) != 0);
            switch (tag) {
                case 3 -> i += 3;          // ES_ID, flags; then nested descriptors
                case 4 -> i += 13;         // objectType .. avgBitrate; then nested
                case 5 -> {
                    return java.util.Arrays.copyOfRange(esds, i, i + len);
                }
                default -> i += len;
            }
        }
        throw new AssertionError("no DecoderSpecificInfo in esds");
    }

    /** dOps (big-endian, no magic) rewritten as the OpusHead of RFC 7845 (little-endian). */
    private static ByteBuf opusHeadFromDops(byte[] d) {
        ByteBuf head = Unpooled.buffer();
        head.writeBytes("OpusHead".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        head.writeByte(1);
        head.writeByte(d[1]);
        head.writeShortLE(((d[2] & 0xff) << 8) | (d[3] & 0xff));
        head.writeIntLE(((d[4] & 0xff) << 24) | ((d[5] & 0xff) << 16) | ((d[6] & 0xff) << 8) | (d[7] & 0xff));
        head.writeShortLE(((d[8] & 0xff) << 8) | (d[9] & 0xff));
        head.writeBytes(d, 10, d.length - 10);
        ByteBuf out = Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.getBytes(head));
        head.release();
        return out;
    }
}
