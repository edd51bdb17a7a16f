package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.httpflv.HttpFlvClientConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a puller makes of its URL, and the URLs and settings it refuses. */
class HttpFlvTargetTest {

    @Test
    void urlsAsTheyAreSent() {
        Object[][] table = {
            // url, host, port, tls, request target, Host header, display
            {"http://origin/live/cam1.flv", "origin", 80, false, "/live/cam1.flv", "origin", "http://origin:80/live/cam1.flv"},
            {"https://cdn.example/a.flv?token=x&t=1", "cdn.example", 443, true, "/a.flv?token=x&t=1", "cdn.example",
                "https://cdn.example:443/a.flv"},
            {"HTTP://Origin:8080", "Origin", 8080, false, "/", "Origin:8080", "http://Origin:8080/"},
            {"http://origin:80/a.flv", "origin", 80, false, "/a.flv", "origin", "http://origin:80/a.flv"},
            {"http://[::1]:8080/a.flv", "::1", 8080, false, "/a.flv", "[::1]:8080", "http://[::1]:8080/a.flv"},
            {"http://127.0.0.1/a%20b.flv?k=%2F#frag", "127.0.0.1", 80, false, "/a%20b.flv?k=%2F", "127.0.0.1",
                "http://127.0.0.1:80/a%20b.flv"},
        };
        for (Object[] row : table) {
            HttpFlvTarget t = HttpFlvTarget.parse((String) row[0]);
            assertEquals(new HttpFlvTarget((String) row[1], (int) row[2], (boolean) row[3], (String) row[4], (String) row[5],
                    (String) row[6]), t, (String) row[0]);
        }
    }

    @Test
    void urlsThatCannotBePulled() {
        String[][] table = {
            {"rtmp://origin/live/cam1", "must be http:// or https://, got scheme 'rtmp'"},
            {"origin/live/cam1.flv", "must be http:// or https://, got scheme ''"},
            {"http:///a.flv", "has no host"},
            {"http://user:secret@origin/a.flv", "carries credentials"},
            {"http://user:secret@bad_host/a.flv", "has no host, or one that is not a valid host name"},
            {"http://origin:0/a.flv", "names port 0, outside 1 to 65535"},
            {"http://origin:70000/a.flv", "names port 70000, outside 1 to 65535"},
            {"http://origin/a b.flv", "malformed HTTP-FLV URL"},
            {"http://origin/a\r\nX-Injected: 1", "malformed HTTP-FLV URL"},
        };
        for (String[] row : table) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpFlvTarget.parse(row[0]), row[0]);
            assertTrue(e.getMessage().contains(row[1]), row[0] + ": " + e.getMessage());
            assertTrue(!e.getMessage().contains("secret"), "a password is never repeated: " + e.getMessage());
        }
    }

    @Test
    void settingsDefaultsAndRefusals() {
        HttpFlvClientConfig d = HttpFlvClientConfig.defaults();
        assertEquals(HttpFlvClientConfig.builder().connectTimeout(Duration.ofSeconds(10)).startTimeout(Duration.ofSeconds(15)).idleTimeout(Duration.ofSeconds(30)).maxTagSize(8 << 20).maxHeaderSize(16 << 10).build(), d);
        Duration s = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> HttpFlvClientConfig.builder().connectTimeout(Duration.ZERO).startTimeout(s).idleTimeout(s).maxTagSize(1).maxHeaderSize(1024).build());
        assertThrows(IllegalArgumentException.class, () -> HttpFlvClientConfig.builder().connectTimeout(s).startTimeout(Duration.ofMillis(-1)).idleTimeout(s).maxTagSize(1).maxHeaderSize(1024).build());
        assertThrows(NullPointerException.class, () -> HttpFlvClientConfig.builder().connectTimeout(s).startTimeout(s).idleTimeout(null).maxTagSize(1).maxHeaderSize(1024).build());
        assertThrows(IllegalArgumentException.class, () -> HttpFlvClientConfig.builder().connectTimeout(s).startTimeout(s).idleTimeout(s).maxTagSize(0).maxHeaderSize(1024).build());
        assertThrows(IllegalArgumentException.class, () -> HttpFlvClientConfig.builder().connectTimeout(s).startTimeout(s).idleTimeout(s).maxTagSize(1 << 24).maxHeaderSize(1024).build());
        assertThrows(IllegalArgumentException.class, () -> HttpFlvClientConfig.builder().connectTimeout(s).startTimeout(s).idleTimeout(s).maxTagSize(1).maxHeaderSize(1023).build());
        assertThrows(IllegalArgumentException.class, () -> HttpFlvClientConfig.builder().connectTimeout(s).startTimeout(s).idleTimeout(s).maxTagSize(1).maxHeaderSize((1 << 20) + 1).build());
        HttpFlvClientConfig.builder().connectTimeout(s).startTimeout(s).idleTimeout(s).maxTagSize((1 << 24) - 1).maxHeaderSize(1 << 20).build();
    }
}
