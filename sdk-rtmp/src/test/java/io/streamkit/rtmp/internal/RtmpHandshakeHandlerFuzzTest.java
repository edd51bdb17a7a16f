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
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the server side of the RTMP handshake, {@link RtmpHandshakeHandler} with
 * {@link RtmpHandshake}, on what a client sends first (C0, C1, C2 and what follows), arriving in
 * pieces of any size.
 *
 * <p>Properties: the only failure is an {@code RtmpProtocolException}, for a version byte other
 * than 3, and then nothing is answered; otherwise S0, S1 and S2 (3,073 bytes) are answered once
 * C0 and C1 are in, S2 echoes C1 in the simple form and carries a digest keyed by C1's in the
 * digest form; once C2 is in, the handshake completes once, and every byte after C2 reaches the
 * next handler unchanged and in order; every buffer is released. Seeds: simple and digest
 * handshakes followed by a connect, under {@code RtmpHandshakeHandlerFuzzTestInputs}.
 */
class RtmpHandshakeHandlerFuzzTest {
    private static final int N = RtmpHandshake.PACKET_SIZE;

    @FuzzTest
    void handshake(FuzzedDataProvider data) {
        List<byte[]> pieces = FuzzInput.pieces(data);
        byte[] all = join(pieces);
        FuzzChannels.Sink sink = new FuzzChannels.Sink();
        RtmpHandshakeHandler handler = new RtmpHandshakeHandler(10_000);
        EmbeddedChannel ch = new EmbeddedChannel(handler, sink);
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
            assertTrue(failed, "version " + all[0] + " was accepted");
            assertEquals(0, out.length, "a bad version was answered");
            return;
        }
        assertFalse(failed, "a handshake with version 3 failed");
        if (all.length < 1 + N) {
            assertEquals(0, out.length, "answered before C1 was whole");
            assertTrue(sink.events.isEmpty(), "completed before C1 was whole");
            return;
        }
        assertEquals(1 + 2 * N, out.length, "S0, S1 and S2");
        assertEquals(RtmpHandshake.VERSION, out[0], "S0");
        byte[] c1 = Arrays.copyOfRange(all, 1, 1 + N);
        byte[] s2 = Arrays.copyOfRange(out, 1 + N, 1 + 2 * N);
        int layout = RtmpHandshake.digestLayout(c1);
        assertEquals(layout >= 0, handler.digest(), "digest form");
        if (layout < 0) {
            assertArrayEquals(c1, s2, "S2 of the simple form echoes C1");
        } else {
            int at = RtmpHandshake.digestOffset(c1, layout);
            byte[] clientDigest = Arrays.copyOfRange(c1, at, at + 32);
            byte[] key = RtmpHandshake.hmac(serverKeyFull(), clientDigest, 0, 32);
            assertArrayEquals(RtmpHandshake.hmac(key, s2, 0, N - 32), Arrays.copyOfRange(s2, N - 32, N),
                    "S2's digest");
        }
        if (all.length < 1 + 2 * N) {
            assertTrue(sink.events.isEmpty(), "completed before C2 was whole");
            return;
        }
        assertEquals(List.of(RtmpHandshakeHandler.COMPLETE), sink.events, "completion events");
        assertArrayEquals(Arrays.copyOfRange(all, 1 + 2 * N, all.length), sink.bytes.toByteArray(),
                "the bytes after C2");
    }

    /** The key S2's digest is made with: the server key and its 32-byte tail, as the handshake keeps it. */
    private static byte[] serverKeyFull() {
        byte[] tail = {
            (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
            (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
            (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
            (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE,
        };
        byte[] key = Arrays.copyOf(RtmpHandshake.SERVER_KEY, RtmpHandshake.SERVER_KEY.length + tail.length);
        System.arraycopy(tail, 0, key, RtmpHandshake.SERVER_KEY.length, tail.length);
        return key;
    }

    static byte[] join(List<byte[]> pieces) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        pieces.forEach(all::writeBytes);
        return all.toByteArray();
    }
}
