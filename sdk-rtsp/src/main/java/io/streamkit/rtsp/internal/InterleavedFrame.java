package io.streamkit.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One frame interleaved in an RTSP connection (RFC 2326 10.12): {@code $}, a channel, a 16-bit
 * length, then an RTP or RTCP packet of that length. Holds the packet; whoever reads it releases it.
 */
final class InterleavedFrame extends DefaultByteBufHolder {
    /** The bytes before the packet: {@code $}, the channel, the length. */
    static final int HEADER_SIZE = 4;

    private final int channel;

    InterleavedFrame(int channel, ByteBuf packet) {
        super(packet);
        this.channel = channel;
    }

    /** @return the channel, 0 to 255: RTP on the even one of a pair, RTCP on the odd */
    int channel() {
        return channel;
    }

    /**
     * Writes a frame's header.
     *
     * @param out where to write
     * @param channel the channel
     * @param length the packet's length, at most 65535
     */
    static void writeHeader(ByteBuf out, int channel, int length) {
        out.writeByte('$').writeByte(channel).writeShort(length);
    }
}
