package io.streamkit.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A player is not told a live stream's length or file sizes; everything else passes in order. */
class LiveMetadataTest {

    @Test
    void fileKeysGoAndTheRestKeepsItsOrder() {
        Map<String, Object> published = new LinkedHashMap<>();
        published.put("duration", 6.0);
        published.put("width", 320.0);
        published.put("filesize", 0.0);
        published.put("encoder", "Lavf59.27.100");
        published.put("keyframes", Map.of("times", List.of(0.0)));
        published.put("myKey", "mine");
        Map<String, Object> live = LiveMetadata.of(published);
        assertEquals(List.of("width", "encoder", "myKey"), List.copyOf(live.keySet()));
        assertEquals(6, published.size(), "the stream's own map is not changed");
    }

    @Test
    void metadataWithoutFileKeysIsTheSameMap() {
        Map<String, Object> published = Map.of("width", 320.0, "height", 240.0);
        assertSame(published, LiveMetadata.of(published));
    }
}
