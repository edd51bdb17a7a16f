package io.streamkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.StreamEvent;
import io.streamkit.relay.MemoryStreamDirectory;
import io.streamkit.stream.StreamKey;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayConfigTest {
    private static StreamEvent publish(String app, String name) {
        return new StreamEvent(StreamKey.of(app, name), "rtmp", null, 7, Map.of(), Map.of("token", "t"));
    }

    @Test
    void aBaseUrlRuleKeepsAppAndNameAndIgnoresATrailingSlash() {
        ForwardRule rule = ForwardRule.to("rtmp://10.0.0.2:1935/");
        assertEquals("rtmp://10.0.0.2:1935/live/cam", rule.destination(publish("live", "cam")));
        assertEquals("rtmp://10.0.0.2:1935", rule.name());
    }

    @Test
    void aBaseUrlWithAQueryOrWithoutASchemeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ForwardRule.to("rtmp://h/app?key=x"));
        assertThrows(IllegalArgumentException.class, () -> ForwardRule.to("10.0.0.2:1935"));
        assertThrows(IllegalArgumentException.class, () -> ForwardRule.rewrite(" ", e -> "rtmp://h/a/b"));
    }

    @Test
    void whenNarrowsAndARewriteMaySkipAStream() {
        ForwardRule rule = ForwardRule.rewrite("yt", e -> e.key().name().startsWith("x") ? null : "rtmps://yt/live2/" + e.key().name())
                .when(e -> e.key().app().equals("live"));
        assertEquals("rtmps://yt/live2/cam", rule.destination(publish("live", "cam")));
        assertNull(rule.destination(publish("other", "cam")));
        assertNull(rule.destination(publish("live", "xcam")));
    }

    @Test
    void defaultsAreTheTablesAndSettersCheckAtOnce() {
        RelayConfig c = RelayConfig.builder().build();
        assertTrue(c.isEmpty());
        assertEquals(Duration.ofMillis(RelayConfig.DEFAULT_RETRY_MIN_MILLIS), c.retryMin());
        assertEquals(Duration.ofSeconds(RelayConfig.DEFAULT_RETRY_MAX_SECONDS), c.retryMax());
        assertEquals(Duration.ofSeconds(RelayConfig.DEFAULT_IDLE_TIMEOUT_SECONDS), c.idleTimeout());
        assertEquals(Duration.ofSeconds(RelayConfig.DEFAULT_LEASE_SECONDS), c.lease());
        assertEquals(RelayConfig.DEFAULT_MAX_RELAYS, c.maxRelays());
        RelayConfig.Builder b = RelayConfig.builder();
        assertThrows(IllegalArgumentException.class, () -> b.retryBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> b.lease(Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class, () -> b.idleTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.maxRelays(0));
        assertThrows(IllegalArgumentException.class, () -> b.edge("10.0.0.1:1935"));
        assertThrows(IllegalArgumentException.class, () -> b.origin(new MemoryStreamDirectory(), "host:1935"));
        b.pull("rtmp://cam/live/a", StreamKey.of("cams", "a"));
        assertThrows(IllegalArgumentException.class, () -> b.pull("rtmp://cam/live/b", StreamKey.of("cams", "a")),
                "one pull per local stream");
    }

    @Test
    void edgesAndOriginsAreKeptWithoutTrailingSlashes() {
        MemoryStreamDirectory d = new MemoryStreamDirectory();
        RelayConfig c = RelayConfig.builder().edge("rtmp://o1:1935/", "rtmp://o2:1935").edge(d)
                .origin(d, "rtmp://me:1935/").build();
        assertEquals(java.util.List.of("rtmp://o1:1935", "rtmp://o2:1935"), c.origins());
        assertEquals("rtmp://me:1935", c.selfUrl());
        assertTrue(!c.isEmpty());
    }
}
