package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The client's digest handshake against the server's checks of it (RTMP spec 5.2, the Flash digest form). */
class RtmpHandshakeTest {

    @RepeatedTest(20)
    void theClientsC1CarriesADigestTheServerFindsInTheDigestFirstLayout() {
        byte[] c1 = RtmpHandshake.clientC1();
        assertEquals(RtmpHandshake.PACKET_SIZE, c1.length);
        assertEquals(1, RtmpHandshake.digestLayout(c1));
        assertEquals(0x09, c1[4]);
    }

    @RepeatedTest(20)
    void aDigestServersS2ProvesItReadC1AndTheClientsC2IsKeyedByS1() {
        byte[] c1 = RtmpHandshake.clientC1();
        ByteBuf out = Unpooled.buffer();
        try {
            assertTrue(RtmpHandshake.answer(c1, out));
            byte[] s1 = new byte[RtmpHandshake.PACKET_SIZE];
            byte[] s2 = new byte[RtmpHandshake.PACKET_SIZE];
            out.skipBytes(1).readBytes(s1).readBytes(s2);
            assertTrue(RtmpHandshake.serverProved(c1, s2));
            byte[] c2 = RtmpHandshake.clientC2(s1);
            assertFalse(Arrays.equals(s1, c2), "a digest S1 gets a keyed C2, not its echo");
            assertEquals(RtmpHandshake.PACKET_SIZE, c2.length);
            byte[] other = RtmpHandshake.clientC2(s1);
            assertFalse(Arrays.equals(c2, other), "C2's body is random");
        } finally {
            out.release();
        }
    }

    @Test
    void aSimpleServersS1IsEchoed() {
        byte[] s1 = new byte[RtmpHandshake.PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(s1);
        s1[4] = s1[5] = s1[6] = s1[7] = 0;
        assertArrayEquals(s1, RtmpHandshake.clientC2(s1));
    }

    @Test
    void anEchoIsNoProof() {
        byte[] c1 = RtmpHandshake.clientC1();
        assertFalse(RtmpHandshake.serverProved(c1, c1.clone()));
    }
}
