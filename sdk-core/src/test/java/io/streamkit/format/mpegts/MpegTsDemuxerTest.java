package io.streamkit.format.mpegts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MpegTsDemuxerTest {
    private static final byte[] GOLDEN = TsTestSupport.resource("/format/mpegts/" + MpegTsGoldenTest.GOLDEN);
    private static final List<String> EXPECTED = summary(GOLDEN, GOLDEN.length, new byte[0]);

    @ParameterizedTest(name = "feeds of {0} bytes")
    @ValueSource(ints = {1, 7, 100, 187, 188, 189, 1000, 4096})
    void packetsSplitAcrossFeedsGiveTheSameFrames(int chunk) {
        assertEquals(138, EXPECTED.size());
        assertEquals(EXPECTED, summary(GOLDEN, chunk, new byte[0]));
    }

    @Test
    void resyncsAfterGarbageThatContainsSyncBytes() {
        byte[] garbage = new byte[1000];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i % 3 == 0 ? 0x47 : i);
        }
        assertEquals(EXPECTED, summary(GOLDEN, 333, garbage));
    }

    @Test
    void garbageBetweenPacketsIsSkippedAndCounted() {
        ByteBuf ts = Unpooled.buffer();
        ts.writeBytes(GOLDEN, 0, 188 * 10);
        ts.writeBytes(new byte[] {0x47, 1, 2, 3, 0x47});
        ts.writeBytes(GOLDEN, 188 * 10, GOLDEN.length - 188 * 10);
        try (MpegTsDemuxer demuxer = demuxer()) {
            demuxer.feed(ts);
            demuxer.flush();
            assertEquals(138, drain(demuxer).size());
            assertEquals(5, demuxer.skippedBytes());
        }
    }

    @Test
    void aBadPesStartCodeDropsThatPesAndCountsIt() {
        byte[] ts = GOLDEN.clone();
        int packet = firstPesStart(ts, MpegTsMuxer.AUDIO_PID);
        int pes = packet + TsTestSupport.packets(Unpooled.wrappedBuffer(ts, packet, 188)).get(0).payloadOffset();
        ts[pes + 2] = 2; // 00 00 02
        try (MpegTsDemuxer demuxer = demuxer()) {
            demuxer.feed(Unpooled.wrappedBuffer(ts));
            demuxer.flush();
            assertEquals(137, drain(demuxer).size());
            assertEquals(1, demuxer.malformedPes());
        }
    }

    @Test
    void aSectionLongerThanItsPacketIsIgnoredAndCounted() {
        byte[] ts = GOLDEN.clone();
        ts[188 + 6] = (byte) 0xb0; // PMT section_length 0x0FF: past the packet
        ts[188 + 7] = (byte) 0xff;
        try (MpegTsDemuxer demuxer = demuxer()) {
            demuxer.feed(Unpooled.wrappedBuffer(ts));
            demuxer.flush();
            assertEquals(1, demuxer.malformedSections());
            // The next segment's PMT (before the keyframe at 1 s) is good: frames from there are read.
            List<MpegTsFrame> frames = drain(demuxer);
            assertTrue(frames.size() > 50 && frames.size() < 138, frames.size() + " frames");
        }
    }

    @Test
    void aWrongCrcIsIgnoredAndCounted() {
        byte[] ts = GOLDEN.clone();
        ts[5 + 10] ^= 1; // PAT program_number
        try (MpegTsDemuxer demuxer = demuxer()) {
            demuxer.feed(Unpooled.wrappedBuffer(ts));
            demuxer.flush();
            drain(demuxer);
            assertEquals(1, demuxer.malformedSections());
        }
    }

    @Test
    void aPesOverTheLimitIsDroppedAndCounted() {
        try (MpegTsDemuxer demuxer = new MpegTsDemuxer(PooledByteBufAllocator.DEFAULT, 600)) {
            demuxer.feed(Unpooled.wrappedBuffer(GOLDEN));
            demuxer.flush();
            List<MpegTsFrame> frames = drain(demuxer);
            assertTrue(demuxer.malformedPes() > 0);
            assertEquals(138 - demuxer.malformedPes(), frames.size());
        }
    }

    @Test
    void randomCorruptionNeverThrowsAndNeverLeaks() {
        Random random = new Random(5);
        for (int round = 0; round < 150; round++) {
            byte[] ts = Arrays.copyOf(GOLDEN, 188 * 60);
            for (int i = 0; i < 1 + round % 20; i++) {
                ts[random.nextInt(ts.length)] = (byte) random.nextInt(256);
            }
            try (MpegTsDemuxer demuxer = demuxer()) {
                int chunk = 1 + random.nextInt(400);
                for (int i = 0; i < ts.length; i += chunk) {
                    demuxer.feed(Unpooled.wrappedBuffer(ts, i, Math.min(chunk, ts.length - i)));
                    drain(demuxer);
                }
                demuxer.flush();
                drain(demuxer);
            }
        }
    }

    @Test
    void feedingAClosedDemuxerReleasesTheBufferAndThrows() {
        MpegTsDemuxer demuxer = demuxer();
        demuxer.feed(Unpooled.wrappedBuffer(GOLDEN, 0, 1000)); // leaves a partial packet and a PES in progress
        demuxer.close();
        ByteBuf data = PooledByteBufAllocator.DEFAULT.buffer(10).writeZero(10);
        assertThrows(IllegalStateException.class, () -> demuxer.feed(data));
        assertEquals(0, data.refCnt());
    }

    private static MpegTsDemuxer demuxer() {
        return new MpegTsDemuxer(PooledByteBufAllocator.DEFAULT, MpegTsDemuxer.DEFAULT_MAX_PES_SIZE);
    }

    /** Drains and releases the frames, returning how many there were. */
    private static List<MpegTsFrame> drain(MpegTsDemuxer demuxer) {
        List<MpegTsFrame> frames = new ArrayList<>();
        for (MpegTsFrame f; (f = demuxer.next()) != null; ) {
            frames.add(f);
            f.release();
        }
        return frames;
    }

    /** Feeds {@code prefix} then {@code ts} in chunks of pooled buffers; one line per frame. */
    private static List<String> summary(byte[] ts, int chunk, byte[] prefix) {
        byte[] all = new byte[prefix.length + ts.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(ts, 0, all, prefix.length, ts.length);
        List<String> out = new ArrayList<>();
        try (MpegTsDemuxer demuxer = demuxer()) {
            for (int i = 0; i < all.length; i += chunk) {
                int n = Math.min(chunk, all.length - i);
                demuxer.feed(PooledByteBufAllocator.DEFAULT.buffer(n).writeBytes(all, i, n));
                collect(demuxer, out);
            }
            demuxer.flush();
            collect(demuxer, out);
        }
        return out;
    }

    private static void collect(MpegTsDemuxer demuxer, List<String> out) {
        for (MpegTsFrame f; (f = demuxer.next()) != null; ) {
            try {
                out.add(f.pid() + " " + f.codec() + " " + f.pts90k() + " " + f.dts90k() + " " + f.keyframe() + " "
                        + ByteBufUtil.hexDump(f.payload()).hashCode());
            } finally {
                f.release();
            }
        }
    }

    private static int firstPesStart(byte[] ts, int pid) {
        for (TsTestSupport.Packet p : TsTestSupport.packets(Unpooled.wrappedBuffer(ts))) {
            if (p.pid() == pid && p.start()) {
                return p.index() * 188;
            }
        }
        throw new AssertionError("no PES on PID " + pid);
    }
}
