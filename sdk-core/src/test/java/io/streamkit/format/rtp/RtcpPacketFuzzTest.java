package io.streamkit.format.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.streamkit.format.rtp.RtcpPacket.SenderReport;
import io.streamkit.test.FuzzInput;
import io.streamkit.test.TrackingAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes what a peer's RTCP and RTP sequence numbers reach: {@link RtcpPacket#senderReports} and
 * {@link RtcpPacket#isRtcp} with datagrams of any bytes (each piece of the input one datagram),
 * and {@link RtpReorderBuffer} with any sequence of sequence numbers, capacity and drains. The
 * input's first number picks which.
 *
 * <p>Properties of the reading: nothing throws; the buffer's indices are unchanged; at most
 * {@value RtcpPacket#MAX_PACKETS} reports, their 32-bit fields within 32 bits; a datagram that
 * gives a report is one {@code isRtcp} accepts; a sender report written from the input's
 * numbers reads back equal, with the datagram's bytes after it or not. Properties of the
 * reordering: nothing throws; every packet offered is given back, dropped as a duplicate, or
 * held ({@code out + duplicates + size = offered}); the packets given back increase, modulo
 * 2^16, except where a sequence restarts, which only the packet just offered may do; after
 * {@code close} every buffer is released.
 */
class RtcpPacketFuzzTest {
    /** Offers per input: enough to wrap the window many times and to reach every distance class. */
    private static final int MAX_OFFERS = 512;

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void readAndReorder(FuzzedDataProvider data) {
        alloc.reset();
        if (data.consumeBoolean()) {
            reorder(data);
        } else {
            read(data);
        }
        alloc.assertAllReleased("RtcpPacket and RtpReorderBuffer");
    }

    private void read(FuzzedDataProvider data) {
        SenderReport written = new SenderReport(data.consumeLong() & 0xFFFF_FFFFL, data.consumeLong(),
                data.consumeLong() & 0xFFFF_FFFFL, data.consumeLong() & 0xFFFF_FFFFL, data.consumeLong() & 0xFFFF_FFFFL);
        String cname = "c".repeat(data.consumeInt(1, RtcpPacket.MAX_CNAME_LENGTH));
        int prefix = data.consumeInt(0, 3);
        for (byte[] piece : FuzzInput.pieces(data)) {
            ByteBuf b = alloc.buffer(prefix + piece.length).writeZero(prefix).writeBytes(piece).readerIndex(prefix);
            try {
                List<SenderReport> reports = RtcpPacket.senderReports(b);
                boolean rtcp = RtcpPacket.isRtcp(b);
                assertEquals(prefix, b.readerIndex());
                assertEquals(prefix + piece.length, b.writerIndex());
                assertTrue(reports.size() <= RtcpPacket.MAX_PACKETS, reports.size() + " reports");
                assertTrue(reports.isEmpty() || rtcp, "reports read from what is not RTCP");
                for (SenderReport r : reports) {
                    assertTrue(unsigned32(r.ssrc()) && unsigned32(r.rtpTime()) && unsigned32(r.packetCount())
                            && unsigned32(r.octetCount()), r.toString());
                }
                b.readerIndex(0).writerIndex(0);
                RtcpPacket.writeSenderReport(b, written.ssrc(), written.ntpTime(), written.rtpTime(),
                        written.packetCount(), written.octetCount(), cname);
                assertTrue(RtcpPacket.isRtcp(b));
                assertEquals(List.of(written), RtcpPacket.senderReports(b));
                b.writeBytes(piece);
                List<SenderReport> after = RtcpPacket.senderReports(b);
                assertTrue(!after.isEmpty() && after.get(0).equals(written), "the written report, then " + after);
            } finally {
                b.release();
            }
        }
    }

    private void reorder(FuzzedDataProvider data) {
        RtpReorderBuffer buffer = new RtpReorderBuffer(data.consumeInt(1, 80));
        List<ByteBuf> out = new ArrayList<>();
        int sequence = data.consumeInt(0, 0xFFFF);
        long offered = 0;
        long given = 0;
        int last = -1;
        try {
            for (int i = 0; i < MAX_OFFERS && data.remainingBytes() > 0; i++) {
                int op = data.consumeInt(0, 15);
                if (op == 0) {
                    buffer.drain(out);
                    given += check(out, last, -1);
                    last = out.isEmpty() ? last : out.get(out.size() - 1).getUnsignedShort(0);
                    release(out);
                    continue;
                }
                if (op == 1) {
                    sequence = data.consumeInt(0, 0xFFFF);   // anywhere: a restart, or a wild packet
                } else if (op == 2) {
                    sequence += data.consumeInt(-4000, 4000);
                } else {
                    sequence += data.consumeInt(-3, 6);   // near the last: reordering, loss, duplicates
                }
                sequence &= 0xFFFF;
                ByteBuf packet = alloc.buffer(2).writeShort(sequence);
                offered++;
                buffer.offer(packet, sequence, out);
                given += check(out, last, sequence);
                last = out.isEmpty() ? last : out.get(out.size() - 1).getUnsignedShort(0);
                release(out);
                assertEquals(offered, given + buffer.duplicates() + buffer.size(), "packets unaccounted for");
                assertTrue(buffer.lost() >= 0 && buffer.size() < 80);
            }
        } finally {
            release(out);
            buffer.close();
        }
    }

    /**
     * Checks that the packets given back increase modulo 2^16 from the last given back, except
     * that the packet just offered may start a new sequence, as the last given.
     */
    private static int check(List<ByteBuf> out, int last, int offered) {
        int previous = last;
        for (int i = 0; i < out.size(); i++) {
            int s = out.get(i).getUnsignedShort(0);
            assertEquals(1, out.get(i).refCnt());
            if (previous >= 0 && (short) (s - previous) <= 0) {
                assertTrue(s == offered && i == out.size() - 1,
                        s + " given after " + previous + " without a restart (offered " + offered + ")");
            }
            previous = s;
        }
        return out.size();
    }

    private static void release(List<ByteBuf> out) {
        out.forEach(ByteBuf::release);
        out.clear();
    }

    private static boolean unsigned32(long v) {
        return v >= 0 && v <= 0xFFFF_FFFFL;
    }
}
