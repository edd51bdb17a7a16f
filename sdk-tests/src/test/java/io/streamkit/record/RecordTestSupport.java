package io.streamkit.record;

import io.streamkit.test.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the recording tests share: the source file ffmpeg makes, ffprobe's codecs and frame
 * counts, MP4 box headers read straight from a file, the entries of {@code /api/recordings},
 * and HTTP requests.
 */
final class RecordTestSupport {
    /** Frames per second of the source's video; its GOP is this many frames, one second. */
    static final int FPS = 25;

    private static final Pattern OBJECT = Pattern.compile("\\{([^{}]*)\\}");
    private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|\\[[^\\]]*\\]|[^,}\\]]+)");

    private RecordTestSupport() {
    }

    /** A top-level box: its type, where it starts, its size, and whether the file holds all of it. */
    record Box(String type, long offset, long size, boolean complete) {
    }

    /**
     * Makes a source with ffmpeg: 320x240 H.264 at 25 fps (with B-frames) and a keyframe every
     * 25 frames, and AAC at 44.1 kHz, in FLV.
     *
     * @param file where to write it
     * @param seconds its length
     * @return the file
     */
    static Path source(Path file, int seconds) {
        ExternalTool.run(120, "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=" + FPS,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-g", String.valueOf(FPS), "-keyint_min", String.valueOf(FPS),
                "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest", file.toString());
        return file;
    }

    /**
     * Reads a stream of a file with {@code ffprobe -count_frames}.
     *
     * @param file the file (or playlist)
     * @param stream {@code v:0} or {@code a:0}
     * @return {@code codec_name}, {@code width}, {@code height}, {@code sample_rate}, {@code nb_read_frames}
     */
    static Map<String, String> probe(Path file, String stream) {
        String out = ExternalTool.run(60, "ffprobe", "-v", "error", "-count_frames", "-select_streams", stream,
                "-show_entries", "stream=codec_name,width,height,sample_rate,nb_read_frames",
                "-of", "default=noprint_wrappers=1", file.toString());
        Map<String, String> fields = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        if (!fields.containsKey("codec_name")) {
            throw new AssertionError("ffprobe found no stream " + stream + " in " + file + ":\n" + out);
        }
        return fields;
    }

    /**
     * Counts a stream's frames with ffprobe.
     *
     * @param file the file
     * @param stream {@code v:0} or {@code a:0}
     * @return the frames ffprobe decoded
     */
    static long frames(Path file, String stream) {
        return Long.parseLong(probe(file, stream).get("nb_read_frames"));
    }

    /**
     * Returns a file's duration as ffprobe reads it from the container.
     *
     * @param file the file
     * @return seconds
     */
    static double duration(Path file) {
        String out = ExternalTool.run(60, "ffprobe", "-v", "error", "-show_entries", "format=duration",
                "-of", "csv=p=0", file.toString()).trim();
        return Double.parseDouble(out);
    }

    /**
     * Reads the headers of an MP4 file's top-level boxes.
     *
     * @param file the file
     * @return the boxes in file order; the last is incomplete when the file ends inside it
     */
    static List<Box> topLevelBoxes(Path file) {
        List<Box> boxes = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            long at = 0;
            ByteBuffer header = ByteBuffer.allocate(16);
            while (at + 8 <= size) {
                header.clear();
                header.limit(16);
                in.read(header, at);
                header.flip();
                long boxSize = header.getInt() & 0xffffffffL;
                byte[] type = new byte[4];
                header.get(type);
                if (boxSize == 1) {
                    if (header.remaining() < 8) {
                        boxes.add(new Box(new String(type, StandardCharsets.ISO_8859_1), at, -1, false));
                        break;
                    }
                    boxSize = header.getLong();
                } else if (boxSize == 0) {
                    boxSize = size - at;
                }
                if (boxSize < 8) {
                    throw new AssertionError(file + ": box of " + boxSize + " bytes at " + at);
                }
                boolean complete = at + boxSize <= size;
                boxes.add(new Box(new String(type, StandardCharsets.ISO_8859_1), at, boxSize, complete));
                at += boxSize;
            }
            if (at < size) {
                boxes.add(new Box("", at, size - at, false));   // a header cut short
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return boxes;
    }

    /**
     * Returns the types of a file's top-level boxes.
     *
     * @param file an MP4 file
     * @return the types, in file order
     */
    static List<String> boxTypes(Path file) {
        return topLevelBoxes(file).stream().map(Box::type).toList();
    }

    /**
     * Lists the files below a directory whose name ends in a suffix.
     *
     * @param root the directory
     * @param suffix such as {@code ".fmp4"}
     * @return the files, sorted
     */
    static List<Path> filesEndingIn(Path root, String suffix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            return List.of();   // a file moved while walking: the caller polls again
        }
    }

    /**
     * Parses the entries of a {@code /api/recordings} answer.
     *
     * @param json the answer
     * @return each recording's fields, strings unquoted, arrays as written
     */
    static List<Map<String, String>> recordings(String json) {
        int at = json.indexOf("\"recordings\":[");
        if (at < 0) {
            throw new AssertionError("no recordings in " + json);
        }
        List<Map<String, String>> out = new ArrayList<>();
        Matcher objects = OBJECT.matcher(json);
        objects.region(at, json.length());
        while (objects.find()) {
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher f = FIELD.matcher(objects.group(1));
            while (f.find()) {
                String value = f.group(2);
                if (value.startsWith("\"")) {
                    value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
                }
                fields.put(f.group(1), value);
            }
            out.add(fields);
        }
        return out;
    }

    /**
     * Sends a request and reads the whole answer.
     *
     * @param http the client
     * @param method {@code GET}, {@code POST}, {@code DELETE}
     * @param url the URL
     * @param headers names and values, alternating
     * @return the answer
     */
    static HttpResponse<byte[]> send(HttpClient http, String method, String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Returns an answer's body as text.
     *
     * @param r the answer
     * @return its body, UTF-8
     */
    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /**
     * Makes a costly condition cheap to poll: it is evaluated at most every {@code every}, and
     * its last value is returned in between.
     *
     * @param every the least time between two evaluations
     * @param condition the condition
     * @return the throttled condition
     */
    static BooleanSupplier every(Duration every, BooleanSupplier condition) {
        long gap = every.toNanos();
        return new BooleanSupplier() {
            private long next = System.nanoTime();
            private boolean last;

            @Override
            public boolean getAsBoolean() {
                long now = System.nanoTime();
                if (now - next >= 0) {
                    last = condition.getAsBoolean();
                    next = now + gap;
                }
                return last;
            }
        };
    }

    /**
     * Reads a file for a failure message.
     *
     * @param file the file
     * @return its text, or why it could not be read
     */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
