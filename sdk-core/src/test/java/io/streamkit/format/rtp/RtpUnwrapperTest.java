package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** 16-bit sequence numbers and 32-bit timestamps extended to 64 bits (RFC 3550, A.1). */
class RtpUnwrapperTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void valuesComeBackNearestThePreviousOne(String name, Supplier<RtpUnwrapper> kind, long[] in, long[] expected) {
        RtpUnwrapper u = kind.get();
        long[] out = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = u.unwrap(in[i]);
        }
        assertArrayEquals(expected, out);
    }

    static Stream<Arguments> valuesComeBackNearestThePreviousOne() {
        Supplier<RtpUnwrapper> seq = RtpUnwrapper::sequence;
        Supplier<RtpUnwrapper> ts = RtpUnwrapper::timestamp;
        return Stream.of(
                Arguments.of("the first value as it is", seq, new long[] {40_000}, new long[] {40_000}),
                Arguments.of("in order", seq, new long[] {1, 2, 3}, new long[] {1, 2, 3}),
                Arguments.of("wraps forward", seq, new long[] {65_534, 65_535, 0, 1}, new long[] {65_534, 65_535, 65_536, 65_537}),
                Arguments.of("a second wrap", seq, new long[] {65_535, 0, 30_000, 60_000, 65_535, 0},
                        new long[] {65_535, 65_536, 95_536, 125_536, 131_071, 131_072}),
                Arguments.of("reordered across a wrap", seq, new long[] {65_535, 1, 0, 2, 65_534},
                        new long[] {65_535, 65_537, 65_536, 65_538, 65_534}),
                Arguments.of("behind the first, across a wrap", seq, new long[] {1, 65_535, 0, 2}, new long[] {1, -1, 0, 2}),
                Arguments.of("a packet a little late", seq, new long[] {100, 103, 101, 104}, new long[] {100, 103, 101, 104}),
                Arguments.of("exactly half the range counts as ahead", seq, new long[] {0, 32_768}, new long[] {0, 32_768}),
                Arguments.of("one more is behind", seq, new long[] {0, 32_769}, new long[] {0, -32_767}),
                Arguments.of("only the low 16 bits are read", seq, new long[] {70_000, 65_536 + 4_465}, new long[] {4_464, 4_465}),
                Arguments.of("timestamps wrap forward", ts, new long[] {0xFFFF_FF00L, 0xFFFF_FFFFL, 0x100},
                        new long[] {0xFFFF_FF00L, 0xFFFF_FFFFL, 0x1_0000_0100L}),
                Arguments.of("timestamps reordered (B-frames) across a wrap", ts, new long[] {0xFFFF_FFF0L, 0x2000, 0x10, 0x5000},
                        new long[] {0xFFFF_FFF0L, 0x1_0000_2000L, 0x1_0000_0010L, 0x1_0000_5000L}),
                Arguments.of("a timestamp behind the first", ts, new long[] {0x10, 0xFFFF_FFF0L}, new long[] {0x10, -0x10}),
                Arguments.of("a 16-bit wrap is no timestamp wrap", ts, new long[] {65_535, 0}, new long[] {65_535, 0}),
                Arguments.of("big timestamp steps", ts, new long[] {0, 0x7FFF_FFFFL, 0xFFFF_FFFEL, 0x7FFF_FFFDL},
                        new long[] {0, 0x7FFF_FFFFL, 0xFFFF_FFFEL, 0x1_7FFF_FFFDL}));
    }

    @Test
    void aLongRunOfSequenceNumbersKeepsCounting() {
        RtpUnwrapper u = RtpUnwrapper.sequence();
        long start = 60_000;
        for (long i = 0; i < 300_000; i++) {
            assertEquals(start + i, u.unwrap((start + i) & 0xFFFF));
        }
    }

    @Test
    void resetStartsAfresh() {
        RtpUnwrapper u = RtpUnwrapper.timestamp();
        assertFalse(u.started());
        u.unwrap(0xFFFF_FFFFL);
        assertEquals(0x1_0000_0005L, u.unwrap(5));
        assertTrue(u.started());
        u.reset();
        assertFalse(u.started());
        assertEquals(5, u.unwrap(5));
    }
}
