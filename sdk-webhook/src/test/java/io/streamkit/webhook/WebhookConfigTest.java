package io.streamkit.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook builder: its defaults, what each setter refuses at once, what build() refuses, and the events each dialect's target takes. */
class WebhookConfigTest {
    private static final String URL = "http://127.0.0.1:8085/api/v1/hooks";

    @Test
    void defaultsAreTheConstants() {
        WebhookConfig config = WebhookConfig.builder().srs(URL).build();
        assertEquals(Duration.ofMillis(WebhookConfig.DEFAULT_TIMEOUT_MILLIS), config.timeout());
        assertEquals(WebhookConfig.DEFAULT_RETRIES, config.retries());
        assertEquals(Duration.ofMillis(WebhookConfig.DEFAULT_RETRY_DELAY_MILLIS), config.retryDelay());
        assertEquals(WebhookConfig.DEFAULT_MAX_CONCURRENT, config.maxConcurrent());
        assertEquals(WebhookConfig.DEFAULT_MAX_QUEUED, config.maxQueued());
        assertEquals(WebhookConfig.FailurePolicy.DENY, config.onFailure());
        assertEquals(Map.of(), config.headers());
        assertEquals("streamkit", config.serverId());
    }

    @Test
    void noTargetIsRefusedOnBuild() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> WebhookConfig.builder().build());
        assertTrue(e.getMessage().contains("srs(url) or plain(url)"), e.getMessage());
    }

    @Test
    void srsTakesEveryEvent() {
        WebhookConfig.Target target = WebhookConfig.builder().srs(URL).build().targets().get(0);
        assertEquals(WebhookConfig.Dialect.SRS, target.dialect());
        assertEquals(URI.create(URL), target.url());
        assertEquals(EnumSet.allOf(HookEvent.class), target.events());
        assertEquals(7, target.events().size());
    }

    @Test
    void srsTakesTheEventsNamed() {
        WebhookConfig.Target target = WebhookConfig.builder().srs(URL, HookEvent.DVR, HookEvent.PUBLISH, HookEvent.DVR)
                .build().targets().get(0);
        assertEquals(EnumSet.of(HookEvent.PUBLISH, HookEvent.DVR), target.events());
        assertThrows(IllegalArgumentException.class, () -> WebhookConfig.builder().srs(URL, new HookEvent[0]));
        assertThrows(NullPointerException.class, () -> WebhookConfig.builder().srs(URL, HookEvent.PLAY, null));
    }

    @Test
    void plainTakesTheDecisionsOnly() {
        WebhookConfig.Target target = WebhookConfig.builder().plain("https://auth.example/check?x=1").build().targets().get(0);
        assertEquals(WebhookConfig.Dialect.PLAIN, target.dialect());
        assertEquals(EnumSet.of(HookEvent.PUBLISH, HookEvent.PLAY), target.events());
        assertTrue(target.events().stream().allMatch(HookEvent::decision));
    }

    @Test
    void targetsKeepTheirOrder() {
        WebhookConfig config = WebhookConfig.builder().plain("http://a.example/").srs("http://b.example/", HookEvent.DVR).build();
        assertEquals(List.of(URI.create("http://a.example/"), URI.create("http://b.example/")),
                config.targets().stream().map(WebhookConfig.Target::url).toList());
        assertThrows(UnsupportedOperationException.class, () -> config.targets().clear());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://backend/hooks", "file:///etc/passwd", "backend:8085/hooks", "/api/hooks", "http:///nohost",
        "http://bad host/", "mailto:ops@example.com"})
    void aUrlThatIsNotHttpIsRefused(String url) {
        assertThrows(IllegalArgumentException.class, () -> WebhookConfig.builder().srs(url));
        assertThrows(IllegalArgumentException.class, () -> WebhookConfig.builder().plain(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://backend/hooks", "HTTPS://backend:8443/hooks?k=v", "http://[::1]:8085/"})
    void httpAndHttpsUrlsAreTaken(String url) {
        assertEquals(URI.create(url), WebhookConfig.builder().srs(url).build().targets().get(0).url());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "timeout 50 ms; timeout",
        "timeout 99 ms; timeout",
        "timeout 31 s; timeout",
        "11 retries; retries",
        "-1 retries; retries",
        "retry delay 9 ms; retry delay",
        "retry delay 61 s; retry delay",
        "maxConcurrent 0; maxConcurrent",
        "maxConcurrent 1025; maxConcurrent",
        "maxQueued 0; maxQueued",
        "maxQueued 1000001; maxQueued",
        "header with CR; header",
        "header with LF; header",
        "header name with a space; header",
        "empty header name; header"})
    void aSetterRefusesAnOutOfRangeValueAtOnce(String setting, String messageWord) {
        Consumer<WebhookConfig.Builder> set = switch (setting) {
            case "timeout 50 ms" -> b -> b.timeout(Duration.ofMillis(50));
            case "timeout 99 ms" -> b -> b.timeout(Duration.ofMillis(99));
            case "timeout 31 s" -> b -> b.timeout(Duration.ofSeconds(31));
            case "11 retries" -> b -> b.retries(11, Duration.ofMillis(500));
            case "-1 retries" -> b -> b.retries(-1, Duration.ofMillis(500));
            case "retry delay 9 ms" -> b -> b.retries(3, Duration.ofMillis(9));
            case "retry delay 61 s" -> b -> b.retries(3, Duration.ofSeconds(61));
            case "maxConcurrent 0" -> b -> b.maxConcurrent(0);
            case "maxConcurrent 1025" -> b -> b.maxConcurrent(1025);
            case "maxQueued 0" -> b -> b.maxQueued(0);
            case "maxQueued 1000001" -> b -> b.maxQueued(1_000_001);
            case "header with CR" -> b -> b.header("Authorization", "Bearer k\rX-Evil: 1");
            case "header with LF" -> b -> b.header("Authorization", "Bearer k\nX-Evil: 1");
            case "header name with a space" -> b -> b.header("X Token", "k");
            case "empty header name" -> b -> b.header("", "k");
            default -> throw new AssertionError(setting);
        };
        WebhookConfig.Builder builder = WebhookConfig.builder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> set.accept(builder));
        assertTrue(e.getMessage().contains(messageWord), e.getMessage());
    }

    @Test
    void settingsInRangeAreKept() {
        WebhookConfig config = WebhookConfig.builder().srs(URL)
                .timeout(Duration.ofMillis(100))
                .retries(10, Duration.ofMillis(10))
                .maxConcurrent(1024)
                .maxQueued(1_000_000)
                .onFailure(WebhookConfig.FailurePolicy.ALLOW)
                .header("Authorization", "Bearer k")
                .header("X-Tenant", "t1")
                .serverId("edge-1")
                .build();
        assertEquals(Duration.ofMillis(100), config.timeout());
        assertEquals(10, config.retries());
        assertEquals(Duration.ofMillis(10), config.retryDelay());
        assertEquals(1024, config.maxConcurrent());
        assertEquals(1_000_000, config.maxQueued());
        assertEquals(WebhookConfig.FailurePolicy.ALLOW, config.onFailure());
        assertEquals(Map.of("Authorization", "Bearer k", "X-Tenant", "t1"), config.headers());
        assertEquals("edge-1", config.serverId());
        assertEquals(Duration.ofSeconds(30), WebhookConfig.builder().timeout(Duration.ofSeconds(30)).srs(URL).build().timeout());
        assertEquals(0, WebhookConfig.builder().retries(0, Duration.ofMinutes(1)).srs(URL).build().retries());
    }

    @Test
    void toStringNamesTheHeadersButNotTheirValues() {
        String text = WebhookConfig.builder().srs(URL).header("Authorization", "Bearer s3cret").build().toString();
        assertTrue(text.contains("Authorization"), text);
        assertFalse(text.contains("s3cret"), text);
    }
}
