package io.streamkit.format.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One access unit rebuilt from RTP packets: its NAL units in AVCC form (a 4-byte big-endian
 * length before each), the RTP timestamp they shared, and whether one of them is an IDR slice.
 * The holder owns one reference to its content; whoever takes it from
 * {@link H264RtpDepacketizer#next()} releases it.
 */
public final class RtpAccessUnit extends DefaultByteBufHolder {
    private final long timestamp;
    private final boolean keyframe;

    /**
     * Creates an access unit.
     *
     * @param content the NAL units, each after its 4-byte length; ownership passes
     * @param timestamp the RTP timestamp, 0 to 2^32 - 1
     * @param keyframe whether an IDR slice is among them
     */
    public RtpAccessUnit(ByteBuf content, long timestamp, boolean keyframe) {
        super(content);
        this.timestamp = timestamp;
        this.keyframe = keyframe;
    }

    /**
     * Returns the RTP timestamp the access unit's packets carried.
     *
     * @return 0 to 2^32 - 1, in the 90 kHz clock
     */
    public long timestamp() {
        return timestamp;
    }

    /**
     * Returns whether an IDR slice is among its NAL units.
     *
     * @return whether a decoder can start here
     */
    public boolean keyframe() {
        return keyframe;
    }
}
