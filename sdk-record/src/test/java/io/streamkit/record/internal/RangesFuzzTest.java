package io.streamkit.record.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link Ranges#first} on any {@code Range} header a client sends against any file size.
 * Properties: no exception; a range returned lies inside the file and is not empty.
 * Input: a long for the size, then the header's text.
 */
class RangesFuzzTest {
    @FuzzTest
    void first(FuzzedDataProvider data) {
        long size = data.consumeLong(0, 1L << 40);
        String header = data.consumeRemainingAsString();
        long[] range = Ranges.first(header, size);
        if (range != null) {
            assertTrue(range[0] >= 0 && range[1] > 0 && range[0] + range[1] <= size,
                    header + " on " + size + " gave " + range[0] + " + " + range[1]);
        }
    }
}
