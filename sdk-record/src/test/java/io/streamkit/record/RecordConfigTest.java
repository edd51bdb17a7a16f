package io.streamkit.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.StreamEvent;
import io.streamkit.stream.StreamKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What is recorded: the publish decision's attribute first, then the rules in order; settings checked at once. */
class RecordConfigTest {
    private static StreamEvent publish(String app, Map<String, String> attributes) {
        return new StreamEvent(StreamKey.of(app, "x"), "rtmp", null, 1, attributes);
    }

    @Test
    void theAttributeDecidesBeforeTheRules() {
        RecordSpec flv = RecordSpec.builder(RecordFormat.FLV).rotateAfter(Duration.ofMinutes(5)).build();
        RecordConfig c = RecordConfig.builder().recordApp("rec", flv).build();
        assertEquals(Optional.of(flv), c.select(publish("rec", Map.of())));
        assertEquals(Optional.empty(), c.select(publish("live", Map.of())));
        assertEquals(Optional.empty(), c.select(publish("rec", Map.of("record", "false"))));
        assertEquals(RecordFormat.HLS, c.select(publish("live", Map.of("record", "hls"))).orElseThrow().format());
        assertEquals(RecordFormat.MP4, c.select(publish("live", Map.of("record", "true"))).orElseThrow().format());
        assertEquals(Optional.of(flv), c.select(publish("rec", Map.of("record", "whatever"))));
    }

    @Test
    void settingsAreCheckedWhenSet() {
        assertThrows(IllegalArgumentException.class, () -> RecordSpec.builder(RecordFormat.MP4).rotateAfter(Duration.ofMillis(10)));
        assertThrows(IllegalArgumentException.class, () -> RecordSpec.builder(RecordFormat.MP4).rotateAtBytes(1000));
        assertThrows(IllegalArgumentException.class, () -> RecordSpec.builder(RecordFormat.MP4).template("../x"));
        assertThrows(IllegalArgumentException.class, () -> RecordConfig.builder().maxQueueBytes(10));
        assertThrows(IllegalArgumentException.class, () -> RecordConfig.builder().writerThreads(0));
        assertTrue(RecordSpec.builder(RecordFormat.MP4).rotateAfter(Duration.ZERO).rotateAtBytes(0).build().rotateAfter().isZero());
    }
}
