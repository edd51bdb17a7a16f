package io.streamkit.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.EngineStats;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus text format: HELP and TYPE per family, escaping, and the server's metric set. */
class MetricsRenderingTest {

    @Test
    void familiesHaveHelpAndTypeAndLabelValuesAreEscaped() {
        String text = new PrometheusText()
                .family("demo_total", "counter", "Counts things\\stuff,\nacross lines.")
                .sample("demo_total", 3, "path", "C:\\x \"q\"\nnext", "skipped", null)
                .sample("demo_total", 4L)
                .family("demo_ratio", "gauge", "A ratio.")
                .sample("demo_ratio", 0.25)
                .sample("demo_ratio", Double.NaN, "k", "nan")
                .sample("demo_ratio", Double.POSITIVE_INFINITY, "k", "inf")
                .toString();
        assertEquals("""
                # HELP demo_total Counts things\\\\stuff,\\nacross lines.
                # TYPE demo_total counter
                demo_total{path="C:\\\\x \\"q\\"\\nnext"} 3
                demo_total 4
                # HELP demo_ratio A ratio.
                # TYPE demo_ratio gauge
                demo_ratio 0.25
                demo_ratio{k="nan"} NaN
                demo_ratio{k="inf"} +Inf
                """, text);
    }

    @Test
    void badNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().family("9lives", "gauge", "x"));
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().sample("ok", 1, "bad-label", "v"));
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().sample("ok", 1, "odd"));
    }

    @Test
    void theServerMetricsCarryTotalsConnectionsAndPerStreamBitrates() {
        try (StreamEngine engine = Engine.builder().build()) {
            StreamKey key = StreamKey.of("live", "cam-1");
            Publisher pub = engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            pub.write(video, 0, 0, true, TestMedia.payload(0, 100));
            pub.write(video, 0, 0, false, TestMedia.payload(1, 100));   // a repeated timestamp: one repaired frame
            String text = MetricsRoute.render(new EngineStats(1, 2, 300, 500, 7, 1, 2),
                    Map.of("rtmp", 2, "srt", 1), engine.streams());
            for (String line : List.of(
                    "# TYPE streamkit_connections gauge",
                    "streamkit_connections{protocol=\"rtmp\"} 2",
                    "streamkit_connections{protocol=\"http-flv\"} 0",
                    "streamkit_connections{protocol=\"ws-flv\"} 0",
                    "streamkit_connections{protocol=\"srt\"} 1",
                    "# TYPE streamkit_streams gauge",
                    "streamkit_streams 1",
                    "streamkit_subscribers 2",
                    "# TYPE streamkit_bytes_in_total counter",
                    "streamkit_bytes_in_total 300",
                    "streamkit_bytes_out_total 500",
                    "streamkit_frames_skipped_total 7",
                    "# TYPE streamkit_publishes_rejected_total counter",
                    "streamkit_publishes_rejected_total 1",
                    "streamkit_plays_rejected_total 2",
                    "# TYPE streamkit_stream_bytes_per_second gauge",
                    "streamkit_stream_bytes_per_second{app=\"live\",name=\"cam-1\",direction=\"in\",track=\"0\",type=\"video\"} 0",
                    "streamkit_stream_bytes_per_second{app=\"live\",name=\"cam-1\",direction=\"out\"} 0",
                    "# TYPE streamkit_stream_timestamp_corrections_total counter",
                    "streamkit_stream_timestamp_corrections_total{app=\"live\",name=\"cam-1\",track=\"0\",type=\"video\"} 1")) {
                assertTrue(text.lines().anyMatch(line::equals), "missing line: " + line + "\n" + text);
            }
            for (String line : text.lines().toList()) {
                assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.matches("[a-z_]+(\\{.*})? \\S+"),
                        "not exposition format: " + line);
            }
            pub.close();
        }
    }
}
