package io.streamkit.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamKeyTest {

    @ParameterizedTest
    @CsvSource({
        "live/cam1,           live,         cam1",
        "a/b,                 a,            b",
        "tenant-1/live/cam_2, tenant-1/live, cam_2",
        "live/my.stream~v2,   live,         my.stream~v2",
    })
    void parsesValidKeys(String path, String app, String name) {
        StreamKey key = StreamKey.parse(path);
        assertEquals(app, key.app());
        assertEquals(name, key.name());
        assertEquals(path, key.path());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "cam1", "/cam1", "live/", "live//cam1", "../etc/passwd", "live/..", "./cam1", "live/a b",
        "live/%2e%2e", "live/cam?token=1", "live/cam\u0000", "live/\u00e9t\u00e9", "live\\x/cam"
    })
    void rejectsUnsafeKeys(String path) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamKey.parse(path));
        assertTrue(e.getMessage().startsWith("stream"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 129})
    void boundsEachPart(int length) {
        String name = "x".repeat(length);
        if (length <= StreamKey.MAX_PART_LENGTH) {
            assertEquals(name, StreamKey.of("live", name).name());
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamKey.of("live", name));
            assertEquals("stream name has 129 characters, more than 128", e.getMessage());
        }
    }
}
