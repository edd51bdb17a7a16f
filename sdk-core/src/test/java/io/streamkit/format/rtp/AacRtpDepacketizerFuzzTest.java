package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.test.FuzzInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link AacRtpDepacketizer} with packets of any bytes, each piece of the input one packet.
 *
 * <p>Properties: nothing throws; every frame is 1 to 8,191 bytes, and a packet's frames never
 * hold more bytes than it carried; the drop counter never exceeds the packets fed; after
 * {@code close} every fed packet is released.
 */
class AacRtpDepacketizerFuzzTest {

    @FuzzTest
    void depacketize(FuzzedDataProvider data) {
        List<byte[]> pieces = FuzzInput.pieces(data);
        AacRtpDepacketizer d = new AacRtpDepacketizer();
        List<ByteBuf> fed = new ArrayList<>();
        for (byte[] piece : pieces) {
            ByteBuf packet = Unpooled.buffer(piece.length).writeBytes(piece);
            fed.add(packet);
            d.feed(packet);
            long bytes = 0;
            for (RtpAccessUnit u; (u = d.next()) != null; ) {
                try {
                    int size = u.content().readableBytes();
                    assertTrue(size >= 1 && size <= AacRtpPacketizer.MAX_FRAME_SIZE, "a frame of " + size);
                    bytes += size;
                } finally {
                    u.release();
                }
            }
            assertTrue(bytes <= piece.length, bytes + " bytes of frames from a " + piece.length + "-byte packet");
        }
        assertTrue(d.droppedPackets() <= pieces.size(), d.droppedPackets() + " dropped of " + pieces.size());
        d.close();
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "the depacketizer kept a packet it was fed");
        }
    }
}
