package io.streamkit.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.rtp.RtpPacket;
import io.streamkit.format.rtp.RtpReorderBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One track's RTP and RTCP that came over UDP, on their way to an {@link RtspIngest}: RTP through
 * a {@link RtpReorderBuffer} (UDP reorders; the depacketizers read a gap as a loss), a gap waited
 * for at most {@value #REORDER_MILLIS} ms; then each packet as an {@link InterleavedFrame} of the
 * track's channel pair, as if it had come interleaved in an RTSP connection. Used by the client
 * pulling over UDP ({@link RtspClientUdp}) and by the server taking a RECORD over UDP.
 *
 * <p>Confined to one event loop, the ingest's: every method runs on it.
 */
final class UdpRtpInput implements AutoCloseable {
    /** How long a gap in the sequence is waited for: a few frames of reordering, far less than a player's jitter buffer. */
    static final int REORDER_MILLIS = 100;

    private final EventExecutor loop;
    private final int channel;
    private final Consumer<InterleavedFrame> sink;
    private final RtpReorderBuffer reorder = new RtpReorderBuffer(RtpReorderBuffer.DEFAULT_CAPACITY);
    private final List<ByteBuf> ready = new ArrayList<>();
    private ScheduledFuture<?> drain;
    private long packets;
    private long sourceSsrc;
    private boolean closed;

    /**
     * Creates the input of a track.
     *
     * @param loop the ingest's event loop, where the packets are taken and the waits run out
     * @param channel the track's RTP channel (its RTCP is the next) as the ingest knows the track
     * @param sink takes each packet, in order, as a frame it owns
     */
    UdpRtpInput(EventExecutor loop, int channel, Consumer<InterleavedFrame> sink) {
        this.loop = loop;
        this.channel = channel;
        this.sink = sink;
    }

    /**
     * Takes an RTP packet. Ownership passes.
     *
     * @param packet the packet
     */
    void rtp(ByteBuf packet) {
        if (closed) {
            packet.release();
            return;
        }
        int sequence;
        try {
            RtpPacket header = RtpPacket.parse(packet);
            sequence = header.sequence();
            sourceSsrc = header.ssrc();
        } catch (MediaFormatException e) {
            sink.accept(new InterleavedFrame(channel, packet));   // the ingest drops it and counts it
            return;
        }
        packets++;
        reorder.offer(packet, sequence, ready);
        flush();
        if (reorder.size() > 0 && drain == null) {
            drain = loop.schedule(() -> {
                drain = null;
                if (!closed) {
                    reorder.drain(ready);
                    flush();
                }
            }, REORDER_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Takes an RTCP packet. Ownership passes.
     *
     * @param packet the packet
     */
    void rtcp(ByteBuf packet) {
        if (closed) {
            packet.release();
            return;
        }
        sink.accept(new InterleavedFrame(channel + 1, packet));
    }

    private void flush() {
        for (int i = 0; i < ready.size(); i++) {
            sink.accept(new InterleavedFrame(channel, ready.get(i)));
        }
        ready.clear();
    }

    /** @return the RTP packets taken */
    long packets() {
        return packets;
    }

    /** @return the sequence numbers given up as lost */
    long lost() {
        return reorder.lost();
    }

    /** @return the SSRC of the last RTP packet, or 0 */
    long sourceSsrc() {
        return sourceSsrc;
    }

    /** Releases what waits for a gap. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (drain != null) {
            drain.cancel(false);
        }
        reorder.close();
    }
}
