package io.streamkit.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.stream.StreamKey;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where recordings land: the default template, its fields, and no name that leaves the root. */
class PathTemplateTest {
    private static final Path ROOT = Path.of("/srv/rec");
    private static final ZonedDateTime START = ZonedDateTime.parse("2026-12-06T20:26:21.375Z");

    @Test
    void theDefaultTemplatePutsAFilePerStartTimeInADirectoryPerStreamAndDay() {
        Path p = PathTemplate.parse(RecordSpec.DEFAULT_TEMPLATE).resolve(ROOT, StreamKey.of("rec", "cam1"), START,
                RecordFormat.MP4);
        assertEquals(Path.of("/srv/rec/rec/cam1/2026-12-06/20-26-21.mp4"), p);
        assertEquals(Path.of("/srv/rec/live/a/b/2026-12-06/20-26-21.m3u8"), PathTemplate.parse(RecordSpec.DEFAULT_TEMPLATE)
                .resolve(ROOT, StreamKey.of("live/a", "b"), START, RecordFormat.HLS));
    }

    @Test
    void datePatternsAndTheExtensionAreFields() {
        assertEquals(Path.of("/srv/rec/2026/12/cam1-20261206T202621.flv"), PathTemplate.parse("{yyyy}/{MM}/{name}-{yyyyMMdd}T{HHmmss}.{ext}")
                .resolve(ROOT, StreamKey.of("rec", "cam1"), START, RecordFormat.FLV));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\u0000b/{name}", "x\ty", "/abs/{name}.mp4", "../{name}.mp4", "a/../../{name}", "a//b", "./x", "a\\b", "c:x",
            "{app", "x}", "{nope/x}", "{}", "{ppp}", "{yyyyyyyyyyyy}"})
    void templatesThatCouldLeaveTheRootOrDoNotParseAreRefused(String template) {
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse(template));
    }

    @Test
    void namesOfDotsBecomeUnderscoresAndStayInsideTheRoot() {
        PathTemplate t = PathTemplate.parse("{app}/{name}");
        Path p = t.resolve(ROOT, StreamKey.of("a/...", "..."), START, RecordFormat.MP4);
        assertTrue(p.startsWith(ROOT), p.toString());
        assertEquals(Path.of("/srv/rec/a/___/___"), p);
        assertThrows(IllegalArgumentException.class, () -> StreamKey.of("..", "x"), "the engine refuses these before us");
    }
}
