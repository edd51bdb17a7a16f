package io.streamkit.httpflv.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.streamkit.format.flv.FlvHeader;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Track;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One HTTP-FLV or WebSocket-FLV player: a {@link Subscriber} on its connection's event loop
 * writing an FLV stream. The FLV header waits until the tracks are known (the engine
 * announces every track before the first frame), so its audio and video flags are right;
 * then the metadata, each track's sequence header, and frames. {@code wrap} turns bytes into
 * what the channel takes: an HTTP chunk or a binary WebSocket frame.
 */
final class FlvPlayer implements Subscriber {
    private final Channel channel;
    private final Function<ByteBuf, Object> wrap;
    private final Runnable start;
    private final Runnable end;
    private boolean started;
    private final FlvTagEncoder shared;
    private final List<Track> tracks = new ArrayList<>();
    private Map<String, Object> metadata;
    private boolean headerSent;
    private boolean videoEnhanced;
    private long firstKeyframeNanos;

    FlvPlayer(Channel channel, Function<ByteBuf, Object> wrap, Runnable start, Runnable end) {
        this.channel = channel;
        this.wrap = wrap;
        this.start = start;
        this.end = end;
        this.shared = FlvTagEncoder.forThisLoop();
    }

    /** When the first video keyframe (or, without video, the first frame) was written, or 0. */
    long firstKeyframeNanos() {
        return firstKeyframeNanos;
    }

    /** Sends the response head (HTTP) once, before any byte of the stream. On the event loop. */
    void start() {
        if (!started) {
            started = true;
            start.run();
        }
    }

    /**
     * Called once attached, after the engine announced the stream's tracks: sends the FLV
     * header, metadata and sequence headers now rather than with the first frame, so a player
     * of a stream that has tracks but no frame yet is ready the moment one comes.
     */
    void attached() {
        start();
        if (!headerSent && !tracks.isEmpty()) {
            sendHeader();
        }
    }

    @Override
    public void onTrack(Track track) {
        start();
        if (track.type() == MediaType.VIDEO) {
            videoEnhanced = !FlvTags.hasLegacyForm(track.codec(), true);
        }
        if (!headerSent) {
            tracks.removeIf(t -> t.id() == track.id());
            tracks.add(track);
            return;
        }
        write(FlvTagEncoder.configTag(channel.alloc(), track, videoEnhanced));
    }

    @Override
    public void onMetadata(Map<String, Object> values) {
        start();
        if (!headerSent) {
            metadata = values;
            return;
        }
        write(FlvTagEncoder.metadataTag(channel.alloc(), values));
    }

    @Override
    public void onFrame(MediaFrame frame) {
        start();
        if (!headerSent) {
            sendHeader();
        }
        if (firstKeyframeNanos == 0 && frame.keyframe()) {
            firstKeyframeNanos = System.nanoTime();
        }
        channel.write(wrap.apply(shared.frameTag(channel.alloc(), frame,
                frame.track().type() == MediaType.VIDEO && videoEnhanced)), channel.voidPromise());
    }

    private void sendHeader() {
        headerSent = true;
        boolean audio = tracks.stream().anyMatch(t -> t.type() == MediaType.AUDIO);
        boolean video = tracks.stream().anyMatch(t -> t.type() == MediaType.VIDEO);
        ByteBuf header = channel.alloc().buffer(FlvHeader.SIZE_WITH_FIRST_TAG_SIZE);
        FlvHeader.writeTo(header, audio, video);
        write(header);
        if (metadata != null) {
            write(FlvTagEncoder.metadataTag(channel.alloc(), metadata));
        }
        for (Track t : tracks) {
            write(FlvTagEncoder.configTag(channel.alloc(), t, videoEnhanced));
        }
        tracks.clear();
        metadata = null;
    }

    private void write(ByteBuf bytes) {
        if (bytes != null) {
            channel.write(wrap.apply(bytes), channel.voidPromise());
        }
    }

    @Override
    public void onFlush() {
        channel.flush();
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void onEnd(EndReason reason) {
        if (channel.isActive() && reason != EndReason.CANCELLED) {
            end.run();
        }
    }
}
