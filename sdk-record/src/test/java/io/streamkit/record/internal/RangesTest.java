package io.streamkit.record.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code Range} header against a 1000-byte file (RFC 9110 14.1.2): what is served, and what is refused (416). */
class RangesTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "bytes=0-; 0; 1000",
        "bytes=100-1099; 100; 900",
        "bytes=100-199; 100; 100",
        "bytes=-100; 900; 100",
        "bytes=-5000; 0; 1000",
        "bytes=999-999; 999; 1",
        "BYTES=0-0, 5-9; 0; 1",
        "bytes= 10 - 19 ; 10; 10"})
    void servedRanges(String header, long offset, long length) {
        assertArrayEquals(new long[] {offset, length}, Ranges.first(header, 1000));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"bytes=1000-", "bytes=5-4", "bytes=-0", "bytes=x-1", "items=0-1", "bytes=0",
        "bytes=-", "bytes=99999999999999999999-"})
    void refusedRanges(String header) {
        assertNull(Ranges.first(header, 1000));
    }
}
