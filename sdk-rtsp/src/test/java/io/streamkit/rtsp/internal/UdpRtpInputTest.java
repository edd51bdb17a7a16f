package io.streamkit.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.streamkit.format.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RTP over UDP on its way to the ingest: put back in order, a gap waited for briefly, RTCP passed on. */
class UdpRtpInputTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final List<InterleavedFrame> out = new ArrayList<>();

    @AfterEach
    void stop() {
        out.forEach(InterleavedFrame::release);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void reorderedPacketsComeOutInSequenceOnTheTracksChannel() throws Exception {
        UdpRtpInput in = new UdpRtpInput(loop, 4, out::add);
        List<ByteBuf> sent = new ArrayList<>();
        on(() -> {
            for (int seq : new int[] {65_534, 0, 65_535, 1}) {   // across the wrap
                ByteBuf p = packet(seq);
                sent.add(p);
                in.rtp(p);
            }
            in.rtcp(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1}));
            return null;
        });
        assertEquals(List.of(65_534, 65_535, 0, 1, -1), sequences());
        assertEquals(List.of(4, 4, 4, 4, 5), out.stream().map(InterleavedFrame::channel).toList());
        assertEquals(4L, (long) on(in::packets));
        assertEquals(0L, (long) on(in::lost));
        on(() -> {
            in.close();
            return null;
        });
        assertTrue(sent.stream().allMatch(p -> p.refCnt() == 1), "each packet is the frame's, released with it");
    }

    @Test
    void aGapIsGivenUpAfterItsWaitAndWhatWaitedForItComesOut() throws Exception {
        UdpRtpInput in = new UdpRtpInput(loop, 0, out::add);
        long start = System.nanoTime();
        on(() -> {
            for (int seq : new int[] {10, 12, 13}) {   // 11 never comes
                in.rtp(packet(seq));
            }
            return null;
        });
        assertEquals(List.of(10), sequences());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (on(out::size) < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(List.of(10, 12, 13), sequences());
        assertTrue(waited >= UdpRtpInput.REORDER_MILLIS, "given up after " + waited + " ms");
        assertEquals(1L, (long) on(in::lost));
    }

    @Test
    void whatWaitsIsReleasedAtTheEndAndLaterPacketsAreDropped() throws Exception {
        UdpRtpInput in = new UdpRtpInput(loop, 0, out::add);
        ByteBuf held = packet(3);
        ByteBuf late = packet(4);
        on(() -> {
            in.rtp(packet(1));
            in.rtp(held);   // waits for 2
            in.close();
            in.rtp(late);
            return null;
        });
        assertEquals(List.of(1), sequences());
        assertEquals(0, held.refCnt());
        assertEquals(0, late.refCnt());
    }

    private List<Integer> sequences() throws Exception {
        return on(() -> out.stream().map(f -> f.channel() % 2 == 1 ? -1
                : RtpPacket.parse(f.content()).sequence()).toList());
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static ByteBuf packet(int sequence) {
        ByteBuf p = Unpooled.buffer();
        RtpPacket.writeHeader(p, 96, false, sequence, 90_000L * sequence, 0x1234);
        return p.writeByte(0x65);
    }
}
