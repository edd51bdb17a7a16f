package io.streamkit.rtmp.internal;

import io.netty.channel.ChannelHandlerContext;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Track;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One attempt of a pusher: a {@link Subscriber} of the local stream that writes it to the
 * remote server once the server accepted the publish.
 *
 * <p>The pusher subscribes before it connects, so that it connects only while the local stream
 * is live. Until {@code NetStream.Publish.Start} the session keeps the tracks, the metadata and
 * (retained) the frames it receives, which start with the GOP cache; at the start it writes
 * {@code @setDataFrame onMetaData}, the sequence headers and those frames, so the remote stream
 * starts at a keyframe at once. Its timestamps start at 0, as an encoder's do. Past {@value #MAX_PENDING_FRAMES} frames or
 * {@value #MAX_PENDING_BYTES} bytes it drops them and waits for the next keyframe instead.
 *
 * <p>Runs on the pusher's event loop, the one its connection uses, so subscriber calls and
 * channel events never overlap. Frames are written without a flush and flushed once per batch;
 * an unwritable channel makes the engine skip to the next keyframe.
 */
final class RtmpPushSession implements Subscriber {
    /** Frames held while connecting: a GOP of 10 s at 60 fps with audio. */
    static final int MAX_PENDING_FRAMES = 1_500;
    /** Bytes held while connecting: the engine's default GOP cache bound. */
    static final long MAX_PENDING_BYTES = 16L << 20;

    /** What a pushed stream is written for: H.265 as hvc1, one track of each media (a server's players may be legacy). */
    private static final RtmpPeerCapabilities PUSH_PEER = new RtmpPeerCapabilities(java.util.Set.of("hvc1"), false);

    private final Consumer<EndReason> onLocalEnd;
    private final Map<Integer, Track> tracks = new LinkedHashMap<>();
    private final ArrayDeque<MediaFrame> pending = new ArrayDeque<>();
    private long pendingBytes;
    private Map<String, Object> metadata;
    private ChannelHandlerContext ctx;
    private RtmpMediaWriter writer;
    private boolean waitingForKeyframe;
    private boolean ended;

    /**
     * @param onLocalEnd told when the local stream ended the subscription (not after a cancel)
     */
    RtmpPushSession(Consumer<EndReason> onLocalEnd) {
        this.onLocalEnd = onLocalEnd;
    }

    /** Starts writing: the remote server accepted the publish on {@code streamId}. */
    void publishing(ChannelHandlerContext ctx, int streamId, int chunkSize) {
        if (ended) {
            return;
        }
        this.ctx = ctx;
        // H.265 as Enhanced RTMP hvc1: what YouTube, SRS 6, ffmpeg 6.1+ and this server take.
        this.writer = new RtmpMediaWriter(ctx, streamId, chunkSize, 0, false, true, PUSH_PEER);
        tracks.values().forEach(writer::track);
        if (metadata != null) {
            writer.metadata(metadata);
        }
        MediaFrame frame;
        while ((frame = pending.poll()) != null) {
            try {
                mediaBytes += frame.content().readableBytes();
                writer.frame(frame);
            } finally {
                frame.release();
            }
        }
        pendingBytes = 0;
        ctx.flush();
    }

    /** Stops writing and drops what was held: the connection closed. */
    void disconnected() {
        ended = true;
        writer = null;
        releasePending();
    }

    @Override
    public void onTrack(Track track) {
        tracks.put(track.id(), track);
        if (writer != null) {
            writer.track(track);
        }
    }

    @Override
    public void onMetadata(Map<String, Object> metadata) {
        this.metadata = metadata;
        if (writer != null) {
            writer.metadata(metadata);
        }
    }

    /** Media payload bytes handed to the connection; written on the loop, read by the relay's status from any thread. */
    volatile long mediaBytes;

    @Override
    public void onFrame(MediaFrame frame) {
        if (ended) {
            return;
        }
        if (waitingForKeyframe) {
            boolean hasVideo = tracks.values().stream().anyMatch(t -> t.type() == MediaType.VIDEO);
            if (!frame.keyframe() || (hasVideo && frame.track().type() != MediaType.VIDEO)) {
                return;
            }
            waitingForKeyframe = false;
        }
        int size = frame.content().readableBytes();
        if (writer != null) {
            mediaBytes += size;
            writer.frame(frame);
            return;
        }
        if (pending.size() >= MAX_PENDING_FRAMES || pendingBytes + size > MAX_PENDING_BYTES) {
            releasePending();
            waitingForKeyframe = true;
            return;
        }
        pending.add(frame.retain());
        pendingBytes += size;
    }

    @Override
    public void onFlush() {
        if (writer != null) {
            ctx.flush();
        }
    }

    @Override
    public boolean writable() {
        return writer == null || ctx.channel().isWritable();
    }

    @Override
    public void onEnd(EndReason reason) {
        ended = true;
        releasePending();
        if (reason != EndReason.CANCELLED) {
            onLocalEnd.accept(reason);
        }
    }

    private void releasePending() {
        MediaFrame frame;
        while ((frame = pending.poll()) != null) {
            frame.release();
        }
        pendingBytes = 0;
    }
}
