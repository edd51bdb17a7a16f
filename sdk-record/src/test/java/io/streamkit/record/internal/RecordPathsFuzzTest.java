package io.streamkit.record.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamkit.record.PathTemplate;
import io.streamkit.record.RecordFormat;
import io.streamkit.stream.StreamKey;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Fuzzes where a recording lands: any template the application may give and any stream key a
 * publisher may choose. Properties: a template either parses or is refused with
 * {@link IllegalArgumentException}; a parsed one resolves, for every key the engine accepts,
 * to a path strictly below the root, never the root itself. Input: the app, the name, the
 * template.
 */
class RecordPathsFuzzTest {
    private static final Path ROOT = Path.of("/srv/recordings");

    @FuzzTest
    void resolve(FuzzedDataProvider data) {
        String app = data.consumeString(40);
        String name = data.consumeString(40);
        String template = data.consumeRemainingAsString();
        StreamKey key;
        PathTemplate parsed;
        try {
            key = StreamKey.of(app, name);
            parsed = PathTemplate.parse(template);
        } catch (IllegalArgumentException e) {
            return;
        }
        Path path;
        try {
            path = parsed.resolve(ROOT, key, ZonedDateTime.ofInstant(Instant.ofEpochSecond(1_796_000_000L), ZoneOffset.UTC),
                    RecordFormat.MP4);
        } catch (java.time.DateTimeException e) {
            return;   // a date pattern that asks for a field an instant lacks (an era's name, say) fails when formatted
        }
        assertTrue(path.startsWith(ROOT) && !path.equals(ROOT), template + " for " + key + " gave " + path);
    }
}
