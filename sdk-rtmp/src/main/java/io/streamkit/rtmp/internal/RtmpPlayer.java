package io.streamkit.rtmp.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.streamkit.server.internal.LoopPlayerOutputs;
import io.streamkit.server.internal.WriteBatch;
import io.streamkit.server.spi.PlayerOutput;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Track;
import java.util.Map;

/**
 * One RTMP play: a {@link Subscriber} on its connection's event loop that writes the
 * stream's metadata, sequence headers and frames as RTMP messages on one message stream.
 *
 * <p>The play starts the way Flash Media Server, nginx-rtmp and SRS start one, and nothing
 * more: Stream Is Recorded and Stream Begin, {@code onStatus} commands
 * {@code NetStream.Play.Reset} and {@code NetStream.Play.Start} on the status chunk stream,
 * and {@code |RtmpSampleAccess} as data (Flash-era players look for it; libavformat knows the
 * name and skips it). Any other data message would reach an FLV demuxer as a stream of its
 * own: libavformat makes an unknown script-data name a data stream, which {@code ffmpeg -map 0
 * -c copy} cannot write.
 *
 * <p>The media bytes are {@link RtmpMediaWriter}'s, shared with the pusher; the timestamps are
 * the player's own timeline ({@link io.streamkit.server.internal.PlayerTimeline}). Frames are
 * handed to a {@link PlayerOutput}, which flushes once per engine batch or, with a
 * {@link WriteBatch}, writes and flushes them once per batch window (the frames before the
 * first flush, the GOP cache a new player starts with, always go at once). Everything else it
 * writes drains that output first, so the order on the wire is the order of the calls.
 */
final class RtmpPlayer implements Subscriber {
    private final ChannelHandlerContext ctx;
    private final int streamId;
    private final StreamKey key;
    private final RtmpMediaWriter media;
    private boolean started;
    private boolean over;
    private boolean receiveAudio = true;
    private boolean receiveVideo = true;
    private boolean paused;
    private boolean waitingForKeyframe;
    private final PlayerOutput output;
    private final Runnable ended;

    /**
     * @param ctx the connection handler's context, on the connection's event loop
     * @param streamId the play's message stream id
     * @param chunkSize the chunk size the client was told
     * @param key the stream played
     * @param batch the loop's write batch, or {@code null} to flush every engine batch
     * @param block which of the connection's chunk stream blocks the play owns, or -1 for none
     *     ({@link RtmpMediaWriter})
     * @param absoluteTime whether the player sees the stream's clock rather than its own timeline from 0
     * @param peer what the player announced it takes in its connect ({@code hvc1}, multitrack)
     * @param ended run once when the play has ended and no frame can reach it any more
     */
    RtmpPlayer(ChannelHandlerContext ctx, int streamId, int chunkSize, StreamKey key, WriteBatch batch,
               int block, boolean absoluteTime, RtmpPeerCapabilities peer, Runnable ended) {
        this.ctx = ctx;
        this.streamId = streamId;
        this.key = key;
        this.media = new RtmpMediaWriter(ctx, streamId, chunkSize, block, absoluteTime, false, peer);
        this.ended = ended;
        // Frames' bytes start past the chunk encoder and the idle handler, which only pass
        // buffers on (the idle handler sees the flush): at the handler before the transport or TLS.
        this.output = LoopPlayerOutputs.open(ctx, ctx.channel(), SharedMediaMessages.CACHE, batch);
    }

    /** The player's output; for tests of the write path. */
    PlayerOutput output() {
        return output;
    }

    int streamId() {
        return streamId;
    }

    /** Sends the start of play: Stream Begin and the statuses a player waits for. On the event loop. */
    void start() {
        if (started || over) {
            return;
        }
        started = true;
        var alloc = ctx.alloc();
        output.control(RtmpMessages.userControl(alloc, RtmpMessages.STREAM_IS_RECORDED, streamId));
        output.control(RtmpMessages.userControl(alloc, RtmpMessages.STREAM_BEGIN, streamId));
        output.control(RtmpMessages.onStatus(alloc, streamId, "status", "NetStream.Play.Reset",
                "Playing and resetting " + key + ".", RtmpMessages.map("details", key.name())));
        output.control(RtmpMessages.onStatus(alloc, streamId, "status", "NetStream.Play.Start",
                "Started playing " + key + ".", RtmpMessages.map("details", key.name())));
        output.controlAndFlush(RtmpMessages.data(alloc, streamId, 0, "|RtmpSampleAccess", true, true));
    }

    void receiveAudio(boolean on) {
        receiveAudio = on;
    }

    void receiveVideo(boolean on) {
        if (on && !receiveVideo) {
            waitingForKeyframe = true;
        }
        receiveVideo = on;
    }

    void pause(boolean on) {
        if (paused == on) {
            return;
        }
        paused = on;
        if (!on) {
            waitingForKeyframe = true;
        }
        output.controlAndFlush(RtmpMessages.onStatus(ctx.alloc(), streamId, "status",
                on ? "NetStream.Pause.Notify" : "NetStream.Unpause.Notify",
                (on ? "Paused " : "Unpaused ") + key + ".", null));
    }

    /** Takes the track; its sequence header goes out with the next frame, at that frame's time. */
    @Override
    public void onTrack(Track track) {
        start();
        media.track(track);
    }

    /** Takes the metadata; it goes out with the next frame, at that frame's time. */
    @Override
    public void onMetadata(Map<String, Object> metadata) {
        start();
        media.metadata(metadata);
    }

    @Override
    public void onFrame(MediaFrame frame) {
        start();
        boolean video = frame.track().type() == MediaType.VIDEO;
        if (paused || (video ? !receiveVideo : !receiveAudio)) {
            return;
        }
        if (waitingForKeyframe) {
            if (!video || !frame.keyframe()) {
                return;
            }
            waitingForKeyframe = false;
        }
        media.frame(frame, output);
    }

    @Override
    public void onFlush() {
        output.endOfBatch();
    }

    @Override
    public boolean writable() {
        return output.writable();
    }

    @Override
    public void onUnpublished() {
        // Nothing is said while the publisher may come back within the reconnect grace: libavformat
        // and librtmp take NetStream.Play.UnpublishNotify for the end of the play and leave, so
        // every FFmpeg-, VLC-, librtmp- and OBS-based player would lose the grace. The player
        // just gets no frames; if the grace runs out, onEnd says UnpublishNotify and Play.Stop.
        output.endOfBatch();
    }

    @Override
    public void onRepublished() {
        output.control(RtmpMessages.userControl(ctx.alloc(), RtmpMessages.STREAM_BEGIN, streamId));
        output.controlAndFlush(RtmpMessages.onStatus(ctx.alloc(), streamId, "status", "NetStream.Play.PublishNotify",
                key + " is now published.", null));
    }

    @Override
    public void onEnd(EndReason reason) {
        if (!over) {
            ended.run();
        }
        over = true;
        if (!ctx.channel().isActive() || reason == EndReason.CANCELLED) {
            output.abandon();
            return;   // the client stopped playing, or is gone
        }
        output.finish();
        output.control(RtmpMessages.userControl(ctx.alloc(), RtmpMessages.STREAM_EOF, streamId));
        output.control(RtmpMessages.onStatus(ctx.alloc(), streamId, "status", "NetStream.Play.UnpublishNotify",
                key + " is now unpublished.", null));
        output.controlAndFlush(RtmpMessages.onStatus(ctx.alloc(), streamId, "status", "NetStream.Play.Stop",
                "Stopped playing " + key + " (" + reason.name().toLowerCase(java.util.Locale.ROOT) + ").", null))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
