package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.h265.H265AccessUnits;
import io.streamkit.test.FuzzInput;
import io.streamkit.test.TrackingAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link H265RtpDepacketizer} with packets of any bytes, each piece of the input one
 * packet (an RTSP camera or a UDP path: a peer's bytes).
 *
 * <p>Properties: nothing throws (loss and garbage are dropped and counted); every access unit is
 * within the size limit and its content is NAL units behind 4-byte lengths that add up exactly,
 * each at least a two-byte header with forbidden_zero_bit 0, nuh_temporal_id_plus1 over 0 and a
 * type under 48 (never an RTP payload type); the keyframe flag is
 * {@link H265AccessUnits#isRandomAccessPoint}'s answer; the drop counters never exceed the packets
 * fed; after {@code close} every buffer, the fed packets included, is released.
 */
class H265RtpDepacketizerFuzzTest {
    /** A small limit, so that the fuzzer reaches it. */
    private static final int MAX_ACCESS_UNIT = 2048;

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void depacketize(FuzzedDataProvider data) {
        alloc.reset();
        List<byte[]> pieces = FuzzInput.pieces(data);
        H265RtpDepacketizer d = new H265RtpDepacketizer(alloc, MAX_ACCESS_UNIT);
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
        alloc.assertAllReleased("H265RtpDepacketizer");
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "the depacketizer kept a packet it was fed");
        }
    }

    private static void drain(H265RtpDepacketizer d) {
        for (RtpAccessUnit u; (u = d.next()) != null; ) {
            try {
                ByteBuf c = u.content();
                assertTrue(c.readableBytes() <= MAX_ACCESS_UNIT, "an access unit of " + c.readableBytes());
                int at = c.readerIndex();
                while (at < c.writerIndex()) {
                    long size = c.getUnsignedInt(at);
                    assertTrue(size >= 2 && at + 4 + size <= c.writerIndex(), "a NAL length of " + size);
                    int header = c.getUnsignedShort(at + 4);
                    assertEquals(0, header & 0x8000, "forbidden_zero_bit");
                    assertTrue((header & 0x7) != 0, "nuh_temporal_id_plus1 of 0");
                    assertTrue((header >> 9 & 0x3F) < 48, "a NAL unit of type " + (header >> 9 & 0x3F));
                    at += 4 + (int) size;
                }
                assertEquals(c.writerIndex(), at, "lengths add up to the access unit");
                assertEquals(H265AccessUnits.isRandomAccessPoint(c, 4), u.keyframe(), "the keyframe flag");
                assertTrue(u.timestamp() >= 0 && u.timestamp() <= 0xFFFF_FFFFL);
            } finally {
                u.release();
            }
        }
    }
}
