package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One tag read by {@link FlvReader}: its type, its timestamp and its body.
 *
 * <p>The body is a retained slice of the bytes the reader was fed, not a copy. The tag
 * holds one reference, which the caller owns and must {@link #release()}.
 * {@link FlvVideoTag#parse(ByteBuf)} and {@link FlvAudioTag#parse(ByteBuf)} read the body
 * of video and audio tags.
 */
public final class FlvTag extends DefaultByteBufHolder {
    private final int type;
    private final long timestamp;

    /**
     * Creates a tag that owns {@code body}.
     *
     * @param type the TagType: {@link FlvTagHeader#TYPE_AUDIO}, {@link FlvTagHeader#TYPE_VIDEO},
     *     {@link FlvTagHeader#TYPE_SCRIPT} or an unknown value
     * @param timestamp milliseconds, 0 to {@link FlvTagHeader#MAX_TIMESTAMP}
     * @param body the tag body; ownership passes to the tag
     */
    public FlvTag(int type, long timestamp, ByteBuf body) {
        super(body);
        this.type = type;
        this.timestamp = timestamp;
    }

    /**
     * Returns the TagType.
     *
     * @return 8 (audio), 9 (video), 18 (script data) or an unknown value, which a player skips
     */
    public int type() {
        return type;
    }

    /**
     * Returns the tag's timestamp: for audio and video the decode time.
     *
     * @return milliseconds, 32 bits from Timestamp and TimestampExtended
     */
    public long timestamp() {
        return timestamp;
    }

    /**
     * Returns the body; the same as {@link #content()}.
     *
     * @return the body, owned by this tag
     */
    public ByteBuf body() {
        return content();
    }

    @Override
    public FlvTag replace(ByteBuf content) {
        return new FlvTag(type, timestamp, content);
    }

    @Override
    public FlvTag retain() {
        super.retain();
        return this;
    }

    @Override
    public FlvTag retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FlvTag touch() {
        super.touch();
        return this;
    }

    @Override
    public FlvTag touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "FlvTag(type " + type + ", time " + timestamp + ", " + content().readableBytes() + " B)";
    }
}
