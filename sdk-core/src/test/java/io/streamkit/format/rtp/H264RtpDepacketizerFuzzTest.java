package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.test.FuzzInput;
import io.streamkit.test.TrackingAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link H264RtpDepacketizer} with packets of any bytes, each piece of the input one
 * packet (an RTSP camera or a UDP path: a peer's bytes).
 *
 * <p>Properties: nothing throws (loss and garbage are dropped and counted); every access unit is
 * within the size limit and its content is NAL units behind 4-byte lengths that add up exactly;
 * the drop counters never exceed the packets fed; after {@code close} every buffer, the fed
 * packets included, is released.
 */
class H264RtpDepacketizerFuzzTest {
    /** A small limit, so that the fuzzer reaches it. */
    private static final int MAX_ACCESS_UNIT = 2048;

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void depacketize(FuzzedDataProvider data) {
        alloc.reset();
        List<byte[]> pieces = FuzzInput.pieces(data);
        H264RtpDepacketizer d = new H264RtpDepacketizer(alloc, MAX_ACCESS_UNIT);
        List<ByteBuf> fed = new ArrayList<>();
        for (byte[] piece : pieces) {
            ByteBuf packet = Unpooled.buffer(piece.length).writeBytes(piece);
            fed.add(packet);
            d.feed(packet);
            drain(d);
        }
        d.flush();
        drain(d);
        assertTrue(d.droppedPackets() <= 2L * pieces.size(), d.droppedPackets() + " dropped of " + pieces.size());
        assertTrue(d.droppedAccessUnits() <= pieces.size(), d.droppedAccessUnits() + " units dropped");
        d.close();
        alloc.assertAllReleased("H264RtpDepacketizer");
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "the depacketizer kept a packet it was fed");
        }
    }

    private static void drain(H264RtpDepacketizer d) {
        for (RtpAccessUnit u; (u = d.next()) != null; ) {
            try {
                ByteBuf c = u.content();
                assertTrue(c.readableBytes() <= MAX_ACCESS_UNIT, "an access unit of " + c.readableBytes());
                int at = c.readerIndex();
                while (at < c.writerIndex()) {
                    long size = c.getUnsignedInt(at);
                    assertTrue(size > 0 && at + 4 + size <= c.writerIndex(), "a NAL length of " + size);
                    at += 4 + (int) size;
                }
                assertEquals(c.writerIndex(), at, "lengths add up to the access unit");
                assertTrue(u.timestamp() >= 0 && u.timestamp() <= 0xFFFF_FFFFL);
            } finally {
                u.release();
            }
        }
    }
}
