package io.streamkit.format.mpegts;

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
 * Fuzzes {@link MpegTsDemuxer} on a transport stream (a later SRT or HLS ingest) arriving in
 * pieces of any size.
 *
 * <p>Properties: bad input never throws (the demuxer's rule: it skips and counts); each frame's
 * payload is within the PES limit and its timestamps within 33 bits; the counters never exceed
 * what they count (skipped bytes, the bytes fed); allocations are one packet's carry and PES
 * buffers of at most 4 KiB to start with, never a size read from the stream; after
 * {@code close} every buffer, the fed ones included, is released. Seeds: the first packets of
 * the golden segment, under {@code MpegTsDemuxerFuzzTestInputs}.
 */
class MpegTsDemuxerFuzzTest {
    /** A small PES limit, so that the fuzzer reaches it. */
    private static final int MAX_PES_SIZE = 4 * 188;
    /** What the demuxer allocates when a PES starts: its first buffer, before the PES grows it. */
    private static final int PES_START = 4096;

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void demux(FuzzedDataProvider data) {
        alloc.reset();
        List<byte[]> pieces = FuzzInput.pieces(data);
        MpegTsDemuxer demuxer = new MpegTsDemuxer(alloc, MAX_PES_SIZE);
        List<ByteBuf> fedBuffers = new ArrayList<>();
        long fed = 0;
        for (byte[] piece : pieces) {
            ByteBuf buf = Unpooled.buffer(piece.length).writeBytes(piece);
            fedBuffers.add(buf);
            demuxer.feed(buf);
            fed += piece.length;
            drain(demuxer);
        }
        demuxer.flush();
        drain(demuxer);
        assertTrue(demuxer.skippedBytes() <= fed, demuxer.skippedBytes() + " bytes skipped of " + fed);
        assertTrue(demuxer.malformedPackets() <= fed / 188, demuxer.malformedPackets() + " bad packets in " + fed + " bytes");
        assertTrue(alloc.largestAllocation() <= PES_START, "an allocation of " + alloc.largestAllocation());
        assertTrue(alloc.bytesAllocated() <= (fed / 188 + 1) * (long) PES_START + 189,
                "allocated " + alloc.bytesAllocated() + " bytes for " + fed + " fed");
        demuxer.close();
        alloc.assertAllReleased("MpegTsDemuxer");
        for (ByteBuf buf : fedBuffers) {
            assertEquals(0, buf.refCnt(), "the demuxer kept a buffer it was fed");
        }
    }

    private static void drain(MpegTsDemuxer demuxer) {
        for (MpegTsFrame f; (f = demuxer.next()) != null; ) {
            try {
                ByteBuf payload = f.payload();
                assertTrue(payload.readableBytes() <= MAX_PES_SIZE, "a frame of " + payload.readableBytes());
                assertTrue(f.pts90k() >= 0 && f.pts90k() < 1L << 33, "pts " + f.pts90k());
                assertTrue(f.dts90k() >= 0 && f.dts90k() < 1L << 33, "dts " + f.dts90k());
                assertEquals(1, f.refCnt(), "a frame handed out with extra references");
            } finally {
                f.release();
            }
        }
    }
}
