package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamkit.stream.StreamKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzzes {@link RtmpUrls} on the strings a client sends in {@code connect} (the app, the
 * tcUrl) and in {@code publish}/{@code play} (the stream name with its query), and on the URLs
 * an application gives a puller or pusher, decoded from the input as UTF-8 (as the AMF reader
 * decodes them).
 *
 * <p>Properties: splitting, query parsing, {@code appOf}, {@code trimSlashes} and
 * {@code quoted} never throw; a split path holds no {@code ?}; a query holds at most
 * {@value RtmpUrls#MAX_PARAMS} parameters; a trimmed path neither starts nor ends with a slash;
 * a quoted text is at most {@value RtmpUrls#MAX_QUOTED} characters and an ellipsis, with no
 * control character; {@code key} and {@code target} throw nothing but
 * {@link IllegalArgumentException}, and a key they make is a valid {@link StreamKey}. Seeds:
 * the URLs and names of the unit tests, under {@code RtmpUrlsFuzzTestInputs}.
 */
class RtmpUrlsFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        RtmpUrls.Split split = RtmpUrls.splitQuery(text);
        assertFalse(split.path().contains("?"), "a path with its query: " + split.path());
        checkQuery(split.query());
        checkQuery(RtmpUrls.query(text));
        String app = RtmpUrls.appOf(text);
        assertFalse(app.startsWith("/") || app.endsWith("/"), "app " + app);
        String trimmed = RtmpUrls.trimSlashes(text);
        assertFalse(trimmed.startsWith("/") || trimmed.endsWith("/"), "trimmed " + trimmed);
        String quoted = RtmpUrls.quoted(text);
        assertTrue(quoted.length() <= RtmpUrls.MAX_QUOTED + 3, "quoted to " + quoted.length() + " characters");
        assertTrue(quoted.chars().noneMatch(Character::isISOControl), "a control character in " + quoted);
        try {
            StreamKey key = RtmpUrls.key("live", split.path());
            assertTrue(StreamKey.parse(key.toString()).equals(key), "key " + key + " does not parse back");
        } catch (IllegalArgumentException e) {
            // declared: not a valid stream key
        }
        try {
            RtmpUrls.Target target = RtmpUrls.target(text);
            assertTrue(target.port() >= 0 && target.port() <= 65_535, "port " + target.port());
            assertFalse(target.app().isEmpty() || target.name().isEmpty(), "target " + target);
        } catch (IllegalArgumentException e) {
            // declared: not an rtmp:// URL with an app and a name
        }
    }

    private static void checkQuery(Map<String, String> query) {
        assertTrue(query.size() <= RtmpUrls.MAX_PARAMS, query.size() + " parameters");
    }
}
