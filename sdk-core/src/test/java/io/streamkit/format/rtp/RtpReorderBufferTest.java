package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RTP packets put back in sequence order: gaps waited for, given up, duplicates and restarts. */
class RtpReorderBufferTest {
    private final List<ByteBuf> fed = new ArrayList<>();

    /** A packet that carries its own sequence number, so that what comes out says what it is. */
    private ByteBuf packet(int sequence) {
        ByteBuf p = Unpooled.buffer(2).writeShort(sequence);
        fed.add(p);
        return p;
    }

    /** The sequence numbers of the packets out, which are released. */
    private static List<Integer> sequences(List<ByteBuf> out) {
        List<Integer> s = new ArrayList<>();
        for (ByteBuf b : out) {
            s.add(b.getUnsignedShort(0));
            b.release();
        }
        out.clear();
        return s;
    }

    private void assertAllReleased() {
        for (int i = 0; i < fed.size(); i++) {
            assertEquals(0, fed.get(i).refCnt(), "packet " + i + " offered was not released");
        }
    }

    /**
     * Rows: name, capacity, the sequence numbers offered, those that come out of the offers (in
     * that order), then the counts of lost, duplicates and held at the end.
     */
    static Stream<Arguments> packetsComeOutInSequenceOrder() {
        return Stream.of(
                row("in order", 4, seqs(1, 2, 3), seqs(1, 2, 3), 0, 0, 0),
                row("the first packet starts the sequence anywhere", 4, seqs(40_000, 40_001), seqs(40_000, 40_001), 0, 0, 0),
                row("a swapped pair", 4, seqs(1, 3, 2, 4), seqs(1, 2, 3, 4), 0, 0, 0),
                row("a gap filled late", 8, seqs(10, 12, 13, 14, 11), seqs(10, 11, 12, 13, 14), 0, 0, 0),
                row("a gap still open", 8, seqs(10, 12, 13), seqs(10), 0, 0, 2),
                row("a gap given up when the window is full", 4, seqs(10, 12, 13, 14, 15), seqs(10, 12, 13, 14, 15), 1, 0, 0),
                row("the oldest gap given up first", 4, seqs(1, 3, 5, 6), seqs(1, 3), 1, 0, 2),
                row("then the next one", 4, seqs(1, 3, 5, 6, 7, 8), seqs(1, 3, 5, 6, 7, 8), 2, 0, 0),
                row("a long gap with nothing held", 4, seqs(1, 2_000), seqs(1, 2_000), 1_998, 0, 0),
                row("a duplicate of one held", 4, seqs(1, 3, 3, 2), seqs(1, 2, 3), 0, 1, 0),
                row("a duplicate of one released", 4, seqs(1, 2, 2, 3), seqs(1, 2, 3), 0, 1, 0),
                row("a packet older than the last released", 4, seqs(1, 2, 3, 4, 1), seqs(1, 2, 3, 4), 0, 1, 0),
                row("a packet after its gap was given up", 4, seqs(10, 12, 13, 14, 15, 11), seqs(10, 12, 13, 14, 15), 1, 1, 0),
                row("a wrap at 65535", 4, seqs(65_534, 0, 65_535, 1), seqs(65_534, 65_535, 0, 1), 0, 0, 0),
                row("a gap given up across a wrap", 4, seqs(65_534, 0, 1, 2, 3), seqs(65_534, 0, 1, 2, 3), 1, 0, 0),
                row("a jump far ahead restarts, releasing what was held", 8, seqs(1, 3, 4, 5_000, 5_001),
                        seqs(1, 3, 4, 5_000, 5_001), 1, 0, 0),
                row("3000 ahead of the next expected is still the sequence", 4, seqs(1, 3_002, 3_001), seqs(1, 3_002),
                        3_000, 1, 0),
                row("3001 ahead is a restart", 4, seqs(1, 3_003, 3_002), seqs(1, 3_003), 0, 1, 0),
                row("a jump far behind restarts (a restarted sender)", 8, seqs(1_000, 1_001, 1_003, 5, 6),
                        seqs(1_000, 1_001, 1_003, 5, 6), 1, 0, 0),
                row("100 behind the next expected is a late packet", 4, seqs(200, 101), seqs(200), 0, 1, 0),
                row("101 behind is a restart", 4, seqs(200, 100, 101), seqs(200, 100, 101), 0, 0, 0),
                row("a window of one gives every gap up at once", 1, seqs(1, 3, 2, 4), seqs(1, 3, 4), 1, 1, 0));
    }

    static Arguments row(String name, int capacity, int[] in, int[] out, long lost, long duplicates, int size) {
        return Arguments.of(name, capacity, in, out, lost, duplicates, size);
    }

    static int[] seqs(int... s) {
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void packetsComeOutInSequenceOrder(String name, int capacity, int[] in, int[] expected, long lost, long duplicates,
                                       int size) {
        List<Integer> got = new ArrayList<>();
        try (RtpReorderBuffer b = new RtpReorderBuffer(capacity)) {
            List<ByteBuf> out = new ArrayList<>();
            for (int s : in) {
                b.offer(packet(s), s, out);
                got.addAll(sequences(out));
            }
            assertArrayEquals(expected, got.stream().mapToInt(Integer::intValue).toArray(), "out: " + got);
            assertEquals(lost, b.lost(), "lost");
            assertEquals(duplicates, b.duplicates(), "duplicates");
            assertEquals(size, b.size(), "held");
        }
        assertAllReleased();
    }

    @Test
    void theVeryPacketsOfferedComeOut() {
        try (RtpReorderBuffer b = new RtpReorderBuffer(RtpReorderBuffer.DEFAULT_CAPACITY)) {
            List<ByteBuf> out = new ArrayList<>();
            ByteBuf two = packet(2);
            ByteBuf one = packet(1);
            b.offer(one, 1, out);
            b.offer(two, 2, out);
            assertEquals(List.of(one, two), out);
            assertEquals(1, two.refCnt(), "ownership passed on, not retained");
            sequences(out);
        }
        assertAllReleased();
    }

    @Test
    void drainGivesUpEveryGapAndTheSequenceGoesOn() {
        try (RtpReorderBuffer b = new RtpReorderBuffer(8)) {
            List<ByteBuf> out = new ArrayList<>();
            b.offer(packet(1), 1, out);
            b.offer(packet(3), 3, out);
            b.offer(packet(5), 5, out);
            assertEquals(List.of(1), sequences(out));
            assertEquals(2, b.size());
            b.drain(out);
            assertEquals(List.of(3, 5), sequences(out));
            assertEquals(2, b.lost(), "2 and 4");
            assertEquals(0, b.size());
            b.drain(out);
            assertEquals(List.of(), out);
            b.offer(packet(4), 4, out);
            assertEquals(List.of(), out, "4 was given up");
            assertEquals(1, b.duplicates());
            b.offer(packet(6), 6, out);
            assertEquals(List.of(6), sequences(out));
        }
        assertAllReleased();
    }

    @Test
    void closeReleasesWhatIsHeldAndTheNextPacketStartsAfresh() {
        RtpReorderBuffer b = new RtpReorderBuffer(8);
        List<ByteBuf> out = new ArrayList<>();
        b.offer(packet(1), 1, out);
        ByteBuf three = packet(3);
        b.offer(three, 3, out);
        sequences(out);
        b.close();
        assertEquals(0, three.refCnt());
        assertEquals(0, b.size());
        b.offer(packet(30_000), 30_000, out);
        assertEquals(List.of(30_000), sequences(out));
        b.close();
        assertAllReleased();
    }

    @Test
    void aWindowOfTheDefaultSizeHoldsOneLessThanItAndStaysInOrderOverManyWraps() {
        try (RtpReorderBuffer b = new RtpReorderBuffer(RtpReorderBuffer.DEFAULT_CAPACITY)) {
            List<ByteBuf> out = new ArrayList<>();
            int first = 65_000;
            b.offer(packet(first), first, out);   // then first + 1 is missing for a while
            sequences(out);
            for (int i = 2; i <= RtpReorderBuffer.DEFAULT_CAPACITY; i++) {
                int s = (first + i) & 0xFFFF;
                b.offer(packet(s), s, out);
            }
            assertEquals(List.of(), out);
            assertEquals(RtpReorderBuffer.DEFAULT_CAPACITY - 1, b.size());
            int late = (first + 1) & 0xFFFF;
            b.offer(packet(late), late, out);
            assertEquals(RtpReorderBuffer.DEFAULT_CAPACITY, out.size());
            sequences(out);
            // then 80,000 packets swapped in pairs, wrapping across 65535 more than once
            int next = (first + RtpReorderBuffer.DEFAULT_CAPACITY + 1) & 0xFFFF;
            int expected = next;
            for (int i = 0; i < 40_000; i++) {
                int a = (next + 1) & 0xFFFF;
                b.offer(packet(a), a, out);
                b.offer(packet(next), next, out);
                assertEquals(2, out.size());
                assertSame(fed.get(fed.size() - 1), out.get(0));
                for (int s : sequences(out)) {
                    assertEquals(expected, s);
                    expected = (expected + 1) & 0xFFFF;
                }
                fed.clear();
                next = (next + 2) & 0xFFFF;
            }
            assertEquals(0, b.lost());
            assertEquals(0, b.duplicates());
        }
        assertAllReleased();
    }

    @Test
    void aCapacityOutside1To1024IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RtpReorderBuffer(0));
        assertThrows(IllegalArgumentException.class, () -> new RtpReorderBuffer(RtpReorderBuffer.MAX_CAPACITY + 1));
        new RtpReorderBuffer(RtpReorderBuffer.MAX_CAPACITY).close();
    }
}
