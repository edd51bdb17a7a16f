package io.streamkit.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A segment's signed URL must outlive its listing: build() refuses a sessionTtl that would not. */
class HlsConfigTest {

    @ParameterizedTest(name = "{0} s segments, {1} listed + {2} kept: at least {3} s")
    @CsvSource({
        // segment s, listed, kept, min ttl s: max(segment, 10 s) * (listed + kept) + max(30 s, 2 * listed * segment) + 60 s
        "2,   6,   6,    210",
        "0.5, 3,   0,    120",
        "4,   10,  5,    290",
        "30,  20,  10,   2160",
        "60,  100, 100,  24060",
    })
    void theFloorCoversEverySegmentStillListedOrKept(double segmentSeconds, int listed, int kept, long minSeconds) {
        Duration segment = Duration.ofMillis((long) (segmentSeconds * 1000));
        HlsConfig.Builder b = HlsConfig.builder().sessionTtl(Duration.ofDays(2)).segmentDuration(segment)
                .playlistSize(listed).keptSegments(kept);
        assertEquals(Duration.ofSeconds(minSeconds), b.build().minSessionTtl());
        assertEquals(Duration.ofSeconds(minSeconds), b.sessionTtl(Duration.ofSeconds(minSeconds)).build().sessionTtl());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.sessionTtl(Duration.ofSeconds(minSeconds - 1)).build());
        assertTrue(e.getMessage().contains("raise sessionTtl to " + minSeconds + " s"), e.getMessage());
    }

    @Test
    void theDefaultsPassAndSettersDoNotDependOnTheirOrder() {
        HlsConfig defaults = HlsConfig.builder().build();
        assertTrue(defaults.sessionTtl().compareTo(defaults.minSessionTtl()) >= 0);
        assertEquals(Duration.ofSeconds(30), defaults.endedRetention());
        // Long segments first, the ttl that allows them after: only build() checks the combination.
        HlsConfig.Builder b = HlsConfig.builder().segmentDuration(Duration.ofSeconds(60)).playlistSize(100);
        assertThrows(IllegalArgumentException.class, b::build, "an hour is below 100 one-minute segments");
        assertEquals(Duration.ofDays(1), b.sessionTtl(Duration.ofDays(1)).build().sessionTtl());
    }

    @Test
    void settersStillCheckTheirOwnArgumentAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> HlsConfig.builder().sessionTtl(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> HlsConfig.builder().playlistSize(2));
        assertThrows(IllegalArgumentException.class, () -> HlsConfig.builder().segmentDuration(Duration.ofMillis(400)));
    }
}
