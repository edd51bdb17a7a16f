package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * Takes AAC frames out of RTP packets in RFC 3640's AAC-hbr mode ({@code mode=AAC-hbr;
 * sizeLength=13; indexLength=3; indexDeltaLength=3}, what ffmpeg, GStreamer and cameras send):
 * a 16-bit AU-headers-length in bits, then one 16-bit AU header per frame (13 bits of size, 3 of
 * index), then the frames back to back. Frames of one packet are consecutive: the n-th has the
 * packet's timestamp plus n times 1,024 samples. A frame fragmented over packets (larger than a
 * packet, which AAC-hbr allows, but encoders at usual bitrates never do) and anything malformed
 * is dropped and counted; nothing throws.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>AU headers per packet</td><td>{@value #MAX_FRAMES_PER_PACKET}</td><td>the packet is dropped, counted</td></tr>
 *   <tr><td>frame size</td><td>8,191 bytes: 13 bits</td><td>by the format</td></tr>
 * </table>
 *
 * <p>Zero copy: each frame is a retained slice of its packet. Not thread-safe.
 */
public final class AacRtpDepacketizer implements AutoCloseable {
    /** AU headers per packet: a 1,500-byte packet holds a few hundred bytes of headers at most. */
    public static final int MAX_FRAMES_PER_PACKET = 64;
    /** Samples per AAC-LC frame, the step between the timestamps of a packet's frames. */
    public static final int SAMPLES_PER_FRAME = 1024;

    private final ArrayDeque<RtpAccessUnit> ready = new ArrayDeque<>();
    private long droppedPackets;

    /**
     * Takes one whole RTP packet, header included. Ownership passes.
     *
     * @param packet the packet
     */
    public void feed(ByteBuf packet) {
        try {
            RtpPacket header;
            try {
                header = RtpPacket.parse(packet);
            } catch (io.streamkit.codec.MediaFormatException e) {
                droppedPackets++;
                return;
            }
            ByteBuf p = header.payload(packet);
            if (p.readableBytes() < 2) {
                droppedPackets++;
                return;
            }
            int headerBits = p.getUnsignedShort(p.readerIndex());
            int headers = headerBits / 16;
            int headerBytes = (headerBits + 7) / 8;
            if (headerBits % 16 != 0 || headers == 0 || headers > MAX_FRAMES_PER_PACKET
                    || p.readableBytes() < 2 + headerBytes) {
                droppedPackets++;
                return;
            }
            int at = p.readerIndex() + 2 + headerBytes;
            int end = p.writerIndex();
            int total = 0;
            for (int i = 0; i < headers; i++) {
                total += p.getUnsignedShort(p.readerIndex() + 2 + 2 * i) >>> 3;
            }
            if (total != end - at) {
                droppedPackets++;   // a fragment, or lengths that do not match the payload
                return;
            }
            for (int i = 0; i < headers; i++) {
                int size = p.getUnsignedShort(p.readerIndex() + 2 + 2 * i) >>> 3;
                if (size > 0) {
                    long ts = (header.timestamp() + (long) i * SAMPLES_PER_FRAME) & 0xFFFF_FFFFL;
                    ready.add(new RtpAccessUnit(p.retainedSlice(at, size), ts, true));
                }
                at += size;
            }
        } finally {
            packet.release();
        }
    }

    /**
     * Returns the next AAC frame: a raw access unit, without ADTS header.
     *
     * @return the frame, which the caller releases, or {@code null} when none is ready
     */
    public RtpAccessUnit next() {
        return ready.poll();
    }

    /**
     * Returns the packets dropped: malformed, fragmented, or with too many frames.
     *
     * @return the count
     */
    public long droppedPackets() {
        return droppedPackets;
    }

    /** Releases the frames not taken. */
    @Override
    public void close() {
        for (RtpAccessUnit u; (u = ready.poll()) != null; ) {
            u.release();
        }
    }
}
