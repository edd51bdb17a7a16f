package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamkit.test.FuzzInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the client side of the RTMP handshake, {@link RtmpClientHandshakeHandler}, on what a
 * remote server answers a puller or pusher (S0, S1, S2 and what follows), arriving in pieces of
 * any size.
 *
 * <p>Properties: C0 and C1 (1,537 bytes, version 3, the digest form: Flash Player's version and a
 * digest the server's check finds) go out at once; the only failure is an
 * {@code RtmpProtocolException}, for an S0 other than 3; C2 (the echo of an S1 without a digest,
 * as a fuzzed S1 nearly always is) goes out once S0 and S1 are in; once S2 is in, the handshake completes once
 * and every byte after S2 reaches the next handler unchanged; every buffer is released.
 * Seeds: a server's answer followed by its first control messages, under
 * {@code RtmpClientHandshakeHandlerFuzzTestInputs}.
 */
class RtmpClientHandshakeHandlerFuzzTest {
    private static final int N = RtmpHandshake.PACKET_SIZE;

    @FuzzTest
    void handshake(FuzzedDataProvider data) {
        List<byte[]> pieces = FuzzInput.pieces(data);
        byte[] all = RtmpHandshakeHandlerFuzzTest.join(pieces);
        FuzzChannels.Sink sink = new FuzzChannels.Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpClientHandshakeHandler(10_000), sink);
        byte[] c0c1 = FuzzChannels.outbound(ch);
        assertEquals(1 + N, c0c1.length, "C0 and C1");
        assertEquals(RtmpHandshake.VERSION, c0c1[0], "C0");
        assertArrayEquals(new byte[] {9, 0, 0x7C, 2}, Arrays.copyOfRange(c0c1, 5, 9), "C1's version field of the digest form");
        assertEquals(1, RtmpHandshake.digestLayout(Arrays.copyOfRange(c0c1, 1, 1 + N)), "C1's digest");
        List<ByteBuf> fed = new ArrayList<>();
        boolean failed = false;
        for (byte[] piece : pieces) {
            if (!FuzzChannels.feed(ch, piece, fed)) {
                failed = true;
                break;
            }
        }
        byte[] out = FuzzChannels.outbound(ch);
        ch.finishAndReleaseAll();
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "a fed buffer was kept");
        }
        if (all.length > 0 && all[0] != RtmpHandshake.VERSION) {
            assertTrue(failed, "S0 " + all[0] + " was accepted");
            assertEquals(0, out.length, "C2 sent after a bad S0");
            return;
        }
        assertFalse(failed, "a handshake with version 3 failed");
        if (all.length < 1 + N) {
            assertEquals(0, out.length, "C2 before S1 was whole");
            return;
        }
        byte[] s1 = Arrays.copyOfRange(all, 1, 1 + N);
        assertEquals(N, out.length, "C2");
        if (Arrays.equals(RtmpHandshake.clientC2(s1), s1)) {
            assertArrayEquals(s1, out, "C2 echoes an S1 without a digest");
        }
        if (all.length < 1 + 2 * N) {
            assertTrue(sink.events.isEmpty(), "completed before S2 was whole");
            return;
        }
        assertEquals(List.of(RtmpHandshakeHandler.COMPLETE), sink.events, "completion events");
        assertArrayEquals(Arrays.copyOfRange(all, 1 + 2 * N, all.length), sink.bytes.toByteArray(),
                "the bytes after S2");
    }
}
