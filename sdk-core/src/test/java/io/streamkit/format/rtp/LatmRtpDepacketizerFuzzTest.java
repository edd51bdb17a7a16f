package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.aac.StreamMuxConfig;
import io.streamkit.test.FuzzInput;
import io.streamkit.test.TrackingAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link LatmRtpDepacketizer} with packets of any bytes, each piece of the input one
 * packet (an RTSP camera or a GStreamer publisher: a peer's bytes), for a configuration of 1 to 64
 * frames an element chosen by the input's last byte.
 *
 * <p>Properties: nothing throws (loss and garbage are dropped and counted); a packet gives at most
 * one element's frames, each 1 byte to the size limit, and the frames never hold more bytes than
 * the packets fed; the drop counters never exceed the packets fed; after {@code close} every
 * buffer, the fed packets included, is released. Seeds: a byte for numSubFrames last, before it
 * {@link FuzzInput}'s cuts, under {@code LatmRtpDepacketizerFuzzTestInputs}.
 */
class LatmRtpDepacketizerFuzzTest {
    /** A small limit, so that the fuzzer reaches it. */
    private static final int MAX_ELEMENT = 2048;

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void depacketize(FuzzedDataProvider data) {
        alloc.reset();
        int numSubFrames = data.consumeInt(0, StreamMuxConfig.MAX_FRAMES_PER_ELEMENT - 1);
        StreamMuxConfig config = StreamMuxConfig.parseHex(String.format("%02x0024203fc0", 0x40 | numSubFrames));
        assertEquals(numSubFrames, config.numSubFrames());
        List<byte[]> pieces = FuzzInput.pieces(data);
        LatmRtpDepacketizer d = new LatmRtpDepacketizer(alloc, MAX_ELEMENT, config, 44_100);
        List<ByteBuf> fed = new ArrayList<>();
        long bytesIn = 0;
        long bytesOut = 0;
        for (byte[] piece : pieces) {
            ByteBuf packet = Unpooled.buffer(piece.length).writeBytes(piece);
            fed.add(packet);
            bytesIn += piece.length;
            d.feed(packet);
            int frames = 0;
            for (RtpAccessUnit u; (u = d.next()) != null; ) {
                try {
                    int size = u.content().readableBytes();
                    assertTrue(size >= 1 && size <= MAX_ELEMENT, "a frame of " + size);
                    assertTrue(u.timestamp() >= 0 && u.timestamp() <= 0xFFFF_FFFFL, "timestamp " + u.timestamp());
                    bytesOut += size;
                    frames++;
                } finally {
                    u.release();
                }
            }
            assertTrue(frames <= numSubFrames + 1, frames + " frames from one packet, elements of " + (numSubFrames + 1));
            assertTrue(bytesOut <= bytesIn, bytesOut + " bytes of frames from " + bytesIn + " bytes of packets");
        }
        assertTrue(d.droppedPackets() <= pieces.size(), d.droppedPackets() + " dropped of " + pieces.size());
        assertTrue(d.droppedElements() <= pieces.size(), d.droppedElements() + " elements dropped");
        d.close();
        alloc.assertAllReleased("LatmRtpDepacketizer");
        for (ByteBuf b : fed) {
            assertEquals(0, b.refCnt(), "the depacketizer kept a packet it was fed");
        }
    }
}
