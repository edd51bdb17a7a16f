package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Puts an AAC frame into an RTP payload in RFC 3640's AAC-hbr mode ({@code sizeLength=13;
 * indexLength=3}): the AU-headers-length (16 bits), one AU header (the frame's size, index 0) and
 * the frame, one frame per packet with the marker bit set, as ffmpeg sends it.
 */
public final class AacRtpPacketizer {
    /** The largest frame AAC-hbr's 13-bit size field can say. */
    public static final int MAX_FRAME_SIZE = (1 << 13) - 1;

    /** The bytes before the frame: the AU-headers-length and one AU header. */
    public static final int PREFIX_LENGTH = 4;

    private AacRtpPacketizer() {
    }

    /**
     * Returns the four bytes before a frame of a size (for an {@link RtpPayloadSink}): the
     * AU-headers-length, 16 bits, and the AU header, the size in 13 bits and index 0.
     *
     * @param frameSize the frame's size, 1 to {@value #MAX_FRAME_SIZE}
     * @return the prefix, big-endian
     * @throws IllegalArgumentException when the size is out of range
     */
    public static int prefix(int frameSize) {
        if (frameSize <= 0 || frameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("AAC frame of " + frameSize + " bytes: AAC-hbr carries 1 to " + MAX_FRAME_SIZE);
        }
        return 16 << 16 | frameSize << 3;
    }

    /**
     * Makes the payload of one frame.
     *
     * @param alloc where the four header bytes come from
     * @param frame a raw AAC frame, without ADTS header; borrowed, its indices untouched
     * @return the payload, a composite of the header and a retained slice of the frame; the caller releases it
     * @throws IllegalArgumentException when the frame is empty or over {@value #MAX_FRAME_SIZE} bytes
     */
    public static ByteBuf payload(ByteBufAllocator alloc, ByteBuf frame) {
        int size = frame.readableBytes();
        if (size == 0 || size > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("AAC frame of " + size + " bytes: AAC-hbr carries 1 to " + MAX_FRAME_SIZE);
        }
        CompositeByteBuf payload = alloc.compositeBuffer(2);
        payload.addComponent(true, alloc.buffer(4).writeShort(16).writeShort(size << 3));
        payload.addComponent(true, frame.retainedSlice());
        return payload;
    }
}
