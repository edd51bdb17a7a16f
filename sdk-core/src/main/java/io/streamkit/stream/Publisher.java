package io.streamkit.stream;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * The owner of a live stream while it publishes: it adds tracks, writes frames and
 * closes. Protocol ingests (RTMP publish, a puller) and application code publish
 * through the same interface, obtained from the engine's {@code publish}.
 *
 * <p><b>Threading.</b> One thread at a time: a publisher is driven by its connection's
 * event loop or by one application thread. Writes never wait for subscribers; fan-out
 * to them happens on their own event loops.
 *
 * <p><b>Ownership.</b> {@link #write} takes ownership of the payload, whether or not the
 * frame is accepted.
 */
public interface Publisher extends AutoCloseable {

    /**
     * Returns the stream this publisher owns.
     *
     * @return the stream key
     */
    StreamKey key();

    /**
     * Adds a track, or continues the same-typed track of a publisher that dropped within
     * the reconnect grace period.
     *
     * @param format the track's codec and configuration
     * @return the track, to pass to {@link #write}
     * @throws IllegalStateException when the publisher is closed or has 16 tracks, the engine's limit
     */
    Track addTrack(TrackFormat format);

    /**
     * Changes a track's format mid-stream, for example a new sequence header after an
     * encoder restarts with another resolution. Subscribers see {@link Subscriber#onTrack}
     * again before the next frame of that track.
     *
     * @param track one of this publisher's tracks
     * @param format the new format; its media type must match the track's
     */
    void updateTrack(Track track, TrackFormat format);

    /**
     * Replaces the stream's metadata: what an encoder says about the stream as a whole
     * (RTMP's {@code onMetaData}: encoder, bitrates, dimensions). Subscribers receive it with
     * {@link Subscriber#onMetadata} now, and new subscribers after their tracks.
     *
     * @param metadata names to values (numbers, strings, booleans, nested maps and lists); copied
     */
    void updateMetadata(java.util.Map<String, Object> metadata);

    /**
     * Writes one frame, taking ownership of {@code payload}.
     *
     * <p>Timestamps may come straight from the wire: the engine makes them rise per track
     * before any subscriber sees them, continuing wraps exactly (see
     * {@link PublishOptions#timestampWrap}), rebasing clock jumps, and timing frames whose
     * timestamp repeats (zero or constant clocks) by the track's frame interval and their
     * arrival; each repaired frame counts in {@link TrackStats#timestampCorrections}. The
     * difference {@code pts - dts} is kept.
     *
     * <p>The keyframe flag must be true to the bitstream: the GOP cache and HLS segments start
     * at flagged frames, and a flagged frame a decoder cannot start at (an H.264 non-IDR I
     * frame or recovery point, an H.265 TRAIL picture) starts every new player on a picture
     * it cannot decode. For H.264 flag access units with an IDR slice, for H.265 those with an
     * IRAP picture; {@link io.streamkit.codec.h264.H264AccessUnits} and
     * {@link io.streamkit.codec.h265.H265AccessUnits} tell from the payload. RTMP ingest sets
     * the flag that way whatever the encoder flagged; the engine takes an application's flag
     * as it is.
     *
     * @param track one of this publisher's tracks
     * @param dts decode time in microseconds as the publisher sent it
     * @param pts presentation time in microseconds as the publisher sent it
     * @param keyframe whether a decoder can start here (H.264: an IDR; H.265: an IRAP picture);
     *     audio frames are all keyframes
     * @param payload the access unit in the codec's canonical form; released by the engine
     * @return {@code true} if the frame was accepted, {@code false} if the publisher is
     *     closed (the payload is released either way)
     */
    boolean write(Track track, long dts, long pts, boolean keyframe, ByteBuf payload);

    /**
     * Returns whether the publisher still owns its stream.
     *
     * @return {@code false} after {@link #close()} or after another publisher took the stream over
     */
    boolean isOpen();

    /**
     * Completes when the publisher stops owning its stream, with the reason: the
     * application closed it, another publisher took it over, or the engine shut down.
     * A protocol listens here to close its connection on a take-over.
     *
     * @return a stage that never completes exceptionally
     */
    CompletionStage<EndReason> closed();

    /**
     * Stops publishing. Subscribers stay for the stream's reconnect grace period, then end
     * with {@link EndReason#UNPUBLISHED}. Idempotent.
     */
    @Override
    void close();

    /**
     * Stops publishing because the source was lost (its connection dropped or timed out) rather
     * than stopped: the same as {@link #close()}, except that subscribers hear
     * {@link Subscriber#onPublisherLost()}, so a recording can say why its file ended.
     * Idempotent; the default closes.
     */
    default void abort() {
        close();
    }
}
