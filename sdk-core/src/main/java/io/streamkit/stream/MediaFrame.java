package io.streamkit.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.Objects;

/**
 * One access unit of one track: a picture or a chunk of sound, with its timestamps.
 *
 * <p><b>Payload.</b> The canonical form of the track's {@link Codec}: length-prefixed
 * NAL units for H.264/H.265, OBUs for AV1, raw access units for audio. The payload is
 * usually a slice of the buffer the bytes were read into from the socket; it is never
 * copied on the way to an RTMP or FLV player.
 *
 * <p><b>Time.</b> {@link #dts()} and {@link #pts()} are in microseconds on the stream's
 * timeline. Frames that reach a {@link Subscriber} have strictly increasing dts per track:
 * the engine repairs wraps, jumps and stuck publisher clocks at ingest.
 *
 * <p><b>Ownership.</b> A frame is a {@link io.netty.buffer.ByteBufHolder} with one
 * reference count shared with its payload. {@link Publisher#write} takes ownership of the
 * payload it is given; {@link Subscriber#onFrame} lends a frame for the duration of the
 * call, and a subscriber that keeps it past the call must {@link #retain()} it and later
 * {@link #release()} it.
 */
public final class MediaFrame extends DefaultByteBufHolder {
    private final Track track;
    private final long dts;
    private final long pts;
    private final boolean keyframe;

    private MediaFrame(Track track, long dts, long pts, boolean keyframe, ByteBuf payload) {
        super(payload);
        this.track = track;
        this.dts = dts;
        this.pts = pts;
        this.keyframe = keyframe;
    }

    /**
     * Creates a frame that owns {@code payload}.
     *
     * @param track the track it belongs to
     * @param dts decode time in microseconds
     * @param pts presentation time in microseconds, not before {@code dts}
     * @param keyframe whether a decoder can start here, true to the bitstream (H.264: an IDR;
     *     H.265: an IRAP picture; see {@link Publisher#write}); every audio frame is one
     * @param payload the access unit in the codec's canonical form; ownership passes to the frame
     * @return the frame
     */
    public static MediaFrame of(Track track, long dts, long pts, boolean keyframe, ByteBuf payload) {
        return new MediaFrame(Objects.requireNonNull(track, "track"), dts, pts, keyframe,
                Objects.requireNonNull(payload, "payload"));
    }

    /**
     * Returns the track this frame belongs to.
     *
     * @return the track
     */
    public Track track() {
        return track;
    }

    /**
     * Returns the decode timestamp.
     *
     * @return microseconds on the stream's timeline
     */
    public long dts() {
        return dts;
    }

    /**
     * Returns the presentation timestamp.
     *
     * @return microseconds on the stream's timeline, never before {@link #dts()}
     */
    public long pts() {
        return pts;
    }

    /**
     * Returns the composition offset, {@code pts - dts}.
     *
     * @return microseconds, zero or positive
     */
    public long compositionOffset() {
        return pts - dts;
    }

    /**
     * Returns whether a decoder can start at this frame (an IDR or IRAP picture, or any audio frame).
     * Outputs start players and segments at such frames; RTMP ingest takes the flag of H.264
     * and H.265 frames from the bitstream, application publishers must set it truthfully.
     *
     * @return the keyframe flag
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
    public MediaFrame replace(ByteBuf content) {
        return new MediaFrame(track, dts, pts, keyframe, content);
    }

    @Override
    public MediaFrame copy() {
        return replace(content().copy());
    }

    @Override
    public MediaFrame duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public MediaFrame retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public MediaFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public MediaFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public MediaFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public MediaFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "MediaFrame(track " + track.id() + " " + track.codec() + ", dts " + dts + ", pts " + pts
                + (keyframe ? ", key" : "") + ", " + content().readableBytes() + " B)";
    }
}
