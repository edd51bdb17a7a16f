package io.streamkit.server.players;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one real player received: for each media type ({@code audio}, {@code video}), the
 * decode times of its frames in microseconds, in the order the player reported them.
 *
 * <p>Built from a player's own report (ffprobe's packets, GStreamer's buffers) or from the file
 * it wrote, probed with ffprobe; {@link #problems} checks it against what was published.
 */
public final class Timeline {
    /** The publishers' 25 fps video. */
    public static final long VIDEO_FRAME_MICROS = 40_000;
    /** RTMP and FLV carry whole milliseconds: a step may be one millisecond off the exact one. */
    public static final long ROUNDING_MICROS = 1_000;
    /** How close to 0 a player's first frame must be on its own timeline. */
    public static final long START_TOLERANCE_MICROS = 100_000;

    /** The name {@link Players#gstreamer} gives flvdemux, whose pads are then {@code d:audio} and {@code d:video}. */
    public static final String GST_DEMUXER = "d";
    /** GStreamer prints an unset time as this. */
    private static final String GST_NONE = "99:99:99.999999999";
    private static final Pattern GST_PUSH = Pattern.compile("do_push_buffer_pre:<" + GST_DEMUXER
            + ":(audio|video)>.*? pts (\\d+:\\d\\d:\\d\\d\\.\\d+), dts (\\d+:\\d\\d:\\d\\d\\.\\d+),.*? offset (\\d+),");

    private final Map<String, List<Long>> dts = new TreeMap<>();
    private final Map<Integer, String> streams = new TreeMap<>();   // declared, by stream index

    /**
     * Records one frame.
     *
     * @param type {@code audio} or {@code video}
     * @param micros its decode time in microseconds
     */
    public void add(String type, long micros) {
        dts.computeIfAbsent(type, t -> new ArrayList<>()).add(micros);
    }

    /**
     * Records a stream the player (or its output file) declared, frames or not.
     *
     * @param index the stream's index; a second declaration of an index is the same stream
     * @param type {@code audio}, {@code video}, {@code data}, ...
     * @param codec the codec's name
     */
    public void declare(int index, String type, String codec) {
        streams.put(index, type + "/" + codec);
    }

    /**
     * Returns the media types with at least one frame, and those declared as streams.
     *
     * @return the types, sorted
     */
    public Set<String> types() {
        Set<String> all = new java.util.TreeSet<>(dts.keySet());
        streams.values().forEach(s -> all.add(s.substring(0, s.indexOf('/'))));
        return all;
    }

    /**
     * Returns the decode times of one type's frames.
     *
     * @param type the media type
     * @return microseconds, in report order; empty when none
     */
    public List<Long> of(String type) {
        return dts.getOrDefault(type, List.of());
    }

    /**
     * Parses ffprobe's {@code -of compact=p=1} output of {@code packet=codec_type,dts_time,pts_time}
     * and {@code stream=codec_type,codec_name}; lines of other sections (side data) are ignored.
     *
     * @param out what ffprobe printed
     * @return the timeline
     */
    public static Timeline fromFfprobe(String out) {
        Timeline t = new Timeline();
        for (String line : out.split("\n")) {
            Map<String, String> fields = fields(line);
            if (line.startsWith("packet|")) {
                String time = fields.getOrDefault("dts_time", "N/A");
                if (time.equals("N/A")) {
                    time = fields.getOrDefault("pts_time", "N/A");
                }
                if (!time.equals("N/A") && fields.containsKey("codec_type")) {
                    t.add(fields.get("codec_type"), new BigDecimal(time).movePointRight(6).longValue());
                }
            } else if (line.startsWith("stream|") && fields.containsKey("codec_type") && fields.containsKey("index")) {
                // an MPEG-TS file lists its streams again under its program: the index tells them apart
                t.declare(Integer.parseInt(fields.get("index")), fields.get("codec_type"), fields.getOrDefault("codec_name", "?"));
            }
        }
        return t;
    }

    /**
     * Parses the {@code log} tracer's lines ({@code GST_TRACERS=log GST_DEBUG=GST_BUFFER:7}) for
     * the buffers that flvdemux, named {@value #GST_DEMUXER}, pushes on its audio and video pads.
     *
     * @param out what gst-launch printed
     * @return the timeline; a buffer without a dts counts at its pts
     * @throws AssertionError when flvdemux's own buffer count (the offset) skips or repeats, which
     *     would mean the log lost lines
     */
    public static Timeline fromGstreamer(String out) {
        Timeline t = new Timeline();
        Map<String, Long> nextOffset = new TreeMap<>();
        Matcher m = GST_PUSH.matcher(out);
        while (m.find()) {
            String type = m.group(1);
            long offset = Long.parseLong(m.group(4));
            long expected = nextOffset.getOrDefault(type, 0L);
            if (offset != expected) {
                throw new AssertionError("flvdemux's " + type + " buffer " + offset + " logged where " + expected + " was next");
            }
            nextOffset.put(type, offset + 1);
            String time = m.group(3).equals(GST_NONE) ? m.group(2) : m.group(3);
            if (!time.equals(GST_NONE)) {
                t.add(type, gstMicros(time));
            }
        }
        return t;
    }

    /**
     * Checks the timeline: exactly the expected types, each with frames; optionally a first
     * frame near 0; steps between consecutive frames of a type that go forward and never by more
     * than two frame intervals (plus the millisecond rounding); a span in {@code [minSpan, maxSpan]}.
     *
     * @param expected the published media types
     * @param startsAtZero whether the first frame of each type must be within
     *     {@value #START_TOLERANCE_MICROS} µs of 0 (false for players that re-base time)
     * @param minSpanMicros the least span from first to last frame of each type
     * @param maxSpanMicros the most
     * @return the problems found, each with the evidence; empty when all is well
     */
    public List<String> problems(Set<String> expected, boolean startsAtZero, long minSpanMicros, long maxSpanMicros) {
        List<String> problems = new ArrayList<>();
        long declaredPerType = streams.values().stream().map(s -> s.substring(0, s.indexOf('/'))).distinct().count();
        if (!types().equals(expected) || declaredPerType != streams.size()) {
            problems.add("tracks " + types() + (streams.isEmpty() ? "" : " streams " + streams) + ", published " + expected);
        }
        for (String type : expected) {
            List<Long> times = of(type);
            if (times.isEmpty()) {
                problems.add(type + ": no frame");
                continue;
            }
            if (startsAtZero && Math.abs(times.get(0)) > START_TOLERANCE_MICROS) {
                problems.add(type + ": first frame at " + ms(times.get(0)) + " ms, not within "
                        + ms(START_TOLERANCE_MICROS) + " ms of 0");
            }
            long limit = twoFrames(type) + ROUNDING_MICROS;
            List<String> jumps = new ArrayList<>();
            for (int i = 1; i < times.size(); i++) {
                long step = times.get(i) - times.get(i - 1);
                if (step <= 0 || step > limit) {
                    jumps.add("#" + i + " " + ms(times.get(i - 1)) + "->" + ms(times.get(i)) + " ms");
                }
            }
            if (!jumps.isEmpty()) {
                problems.add(type + ": " + jumps.size() + " step(s) outside (0, " + ms(limit) + "] ms: "
                        + String.join(", ", jumps.subList(0, Math.min(5, jumps.size()))));
            }
            long span = times.get(times.size() - 1) - times.get(0);
            if (span < minSpanMicros || span > maxSpanMicros) {
                problems.add(type + ": " + times.size() + " frames spanning " + ms(span) + " ms, expected "
                        + ms(minSpanMicros) + " to " + ms(maxSpanMicros) + " ms");
            }
        }
        return problems;
    }

    /**
     * Summarises the timeline for a report: per type, the frame count and the first and last time.
     *
     * @return for example {@code audio 250 [17..5820 ms] video 150 [0..5960 ms]}
     */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<Long>> e : dts.entrySet()) {
            List<Long> v = e.getValue();
            b.append(b.isEmpty() ? "" : " ").append(e.getKey()).append(' ').append(v.size()).append(" [")
                    .append(ms(v.get(0))).append("..").append(ms(v.get(v.size() - 1))).append(" ms]");
        }
        return b.isEmpty() ? "no frames" : b.toString();
    }

    /** Two frame intervals of a type in µs, rounded up: AAC at 44.1 kHz has 1024 samples a frame (46440 for two), 25 fps video 80000. */
    private static long twoFrames(String type) {
        return type.equals("audio") ? (2 * 1024L * 1_000_000 + 44_099) / 44_100 : 2 * VIDEO_FRAME_MICROS;
    }

    private static String ms(long micros) {
        return micros % 1000 == 0 ? Long.toString(micros / 1000) : String.format(java.util.Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new TreeMap<>();
        for (String token : line.split("\\|")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                fields.put(token.substring(0, eq), token.substring(eq + 1).trim());
            }
        }
        return fields;
    }

    /** {@code H:MM:SS.fraction} as GStreamer prints a clock time. */
    private static long gstMicros(String time) {
        String[] hms = time.split(":");
        BigDecimal seconds = new BigDecimal(hms[2]).add(BigDecimal.valueOf(Long.parseLong(hms[1]) * 60))
                .add(BigDecimal.valueOf(Long.parseLong(hms[0]) * 3600));
        return seconds.movePointRight(6).longValue();
    }
}
