package io.streamkit.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.streamkit.stream.Codec;

/**
 * One PES packet's payload as {@link MpegTsDemuxer} returns it: an access unit in its
 * transport form (Annex B for H.264/H.265, ADTS for AAC, frames with their own headers for
 * MP3) with the PES timestamps.
 *
 * <p>A {@link io.netty.buffer.ByteBufHolder}: the caller of {@link MpegTsDemuxer#next()}
 * owns one reference and releases it.
 */
public final class MpegTsFrame extends DefaultByteBufHolder {
    private final int pid;
    private final int streamType;
    private final Codec codec;
    private final long pts90k;
    private final long dts90k;
    private final boolean keyframe;

    /**
     * Creates a frame that owns {@code payload}.
     *
     * @param pid the elementary PID
     * @param streamType the PMT's stream_type for the PID
     * @param codec the codec the stream type names
     * @param pts90k the PTS, 90 kHz, 33 bits
     * @param dts90k the DTS, equal to the PTS when the PES has none
     * @param keyframe random_access_indicator was set, or the access unit holds an IDR/IRAP picture
     * @param payload the PES payload; ownership passes to the frame
     */
    public MpegTsFrame(int pid, int streamType, Codec codec, long pts90k, long dts90k, boolean keyframe,
            ByteBuf payload) {
        super(payload);
        this.pid = pid;
        this.streamType = streamType;
        this.codec = codec;
        this.pts90k = pts90k;
        this.dts90k = dts90k;
        this.keyframe = keyframe;
    }

    /**
     * Returns the PID the frame came on.
     *
     * @return 0x0010 to 0x1FFE
     */
    public int pid() {
        return pid;
    }

    /**
     * Returns the PMT's stream_type of the PID.
     *
     * @return for example 0x1B for H.264
     */
    public int streamType() {
        return streamType;
    }

    /**
     * Returns the codec.
     *
     * @return the codec the stream type maps to
     */
    public Codec codec() {
        return codec;
    }

    /**
     * Returns the presentation timestamp.
     *
     * @return 90 kHz ticks, 0 to 2<sup>33</sup> - 1
     */
    public long pts90k() {
        return pts90k;
    }

    /**
     * Returns the decode timestamp.
     *
     * @return 90 kHz ticks; the PTS when the PES carries no DTS
     */
    public long dts90k() {
        return dts90k;
    }

    /**
     * Returns whether a decoder can start here.
     *
     * @return random_access_indicator, or an IDR (H.264) or IRAP (H.265) NAL unit found; true for audio
     */
    public boolean keyframe() {
        return keyframe;
    }

    /**
     * Returns the payload; the same as {@link #content()}.
     *
     * @return the access unit, owned by this frame
     */
    public ByteBuf payload() {
        return content();
    }

    @Override
    public MpegTsFrame replace(ByteBuf content) {
        return new MpegTsFrame(pid, streamType, codec, pts90k, dts90k, keyframe, content);
    }

    @Override
    public MpegTsFrame copy() {
        return replace(content().copy());
    }

    @Override
    public MpegTsFrame duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public MpegTsFrame retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public MpegTsFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public MpegTsFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public MpegTsFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public MpegTsFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "MpegTsFrame(pid " + pid + " " + codec + ", pts " + pts90k + ", dts " + dts90k
                + (keyframe ? ", key" : "") + ", " + content().readableBytes() + " B)";
    }
}
