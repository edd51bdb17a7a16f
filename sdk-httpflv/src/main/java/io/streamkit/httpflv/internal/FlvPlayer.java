package io.streamkit.httpflv.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.streamkit.format.flv.FlvHeader;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.server.internal.LiveMetadata;
import io.streamkit.server.internal.LoopPlayerOutputs;
import io.streamkit.server.internal.PlayerTimeline;
import io.streamkit.server.internal.WriteBatch;
import io.streamkit.server.spi.PlayerOutput;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Track;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HTTP-FLV or WebSocket-FLV player: a {@link Subscriber} on its connection's event loop
 * writing an FLV stream: the FLV header, then {@code onMetaData}, each track's sequence header,
 * and frames. Nothing else: the only script tag is {@code onMetaData}, so a demuxer sees
 * exactly the tracks published.
 *
 * <p>The FLV header goes when the player is attached, once the engine has announced the
 * stream's tracks (publishers send their sequence headers first), or with the first frame of a
 * stream that had none yet, so its audio and video flags say which tracks the stream has. FLV
 * players cannot say they take multitrack, so of a multitrack stream they get the first track
 * of each media (the publisher's track 0). Metadata and sequence headers are held until the
 * next frame and go
 * just before it: sequence headers at its time on the player's timeline ({@link PlayerTimeline}),
 * metadata at 0 (libavformat takes an {@code onMetaData} tag at any other time for a subtitle
 * stream). By default a player's first frame is at 0, and a player joining a running stream, or
 * one whose publisher came back, sees no jump between its headers and its media.
 *
 * <p>How bytes reach the channel is its {@link Framing}: an HTTP/1.1 player's body is chunked
 * by the shared tags themselves and written as plain buffers (the HTTP encoder is out of the
 * pipeline once the response head is sent), an HTTP/1.0 body is the bare FLV bytes, and a
 * WebSocket player gets one binary message per tag, its header built into the shared tag (so
 * WebSocket players share tags, joined copies and direct writes as the others do). Frames are
 * flushed once per engine batch,
 * or, with a {@link WriteBatch}, once per window after the first frames.
 */
final class FlvPlayer implements Subscriber {
    /** How FLV bytes are framed on the connection. */
    enum Framing {
        /** HTTP/1.1 chunked transfer coding, written by the player. */
        CHUNKED,
        /** The bare bytes: an HTTP/1.0 body delimited by the connection's close. */
        RAW,
        /** One binary WebSocket message per tag. */
        WEBSOCKET
    }

    private final Channel channel;
    private final Framing framing;
    private final Runnable start;
    private final Runnable end;
    private final PlayerOutput output;
    private boolean started;
    private final FlvTagEncoder shared;
    private final boolean absoluteTime;
    private long origin = PlayerTimeline.NOT_STARTED;
    private final List<Track> tracks = new ArrayList<>();
    private final List<Track> pendingConfigs = new ArrayList<>(2);
    private Map<String, Object> pendingMetadata;
    private boolean headerSent;
    private Track firstVideo;
    private Track firstAudio;
    private long firstKeyframeNanos;

    /**
     * @param channel the player's connection
     * @param framing how bytes are framed on it
     * @param start sends the response head; run once, before any FLV byte
     * @param end ends the response when the stream ends
     * @param batch the loop's write batch, or {@code null} to flush every engine batch
     * @param absoluteTime whether the player sees the stream's clock rather than its own timeline from 0
     */
    FlvPlayer(Channel channel, Framing framing, Runnable start, Runnable end, WriteBatch batch, boolean absoluteTime) {
        this.channel = channel;
        this.framing = framing;
        this.start = start;
        this.end = end;
        // Frames' tags carry their framing (an HTTP chunk, a WebSocket message header), so they
        // are plain bytes for every framing, which the output writes past the idle handler and
        // the HTTP codec or WebSocket encoder (so without TLS they may go straight to the socket,
        // as RTMP players' do). Control tags go through the whole pipeline.
        this.output = LoopPlayerOutputs.open(channel, channel, FlvTagEncoder.CACHE, batch);
        this.shared = FlvTagEncoder.forThisLoop();
        this.absoluteTime = absoluteTime;
    }

    /** The peer closes (its WebSocket Close is being answered): drops what is queued and writes no more frames. */
    void closing() {
        output.abandon();
    }

    /** The player's output; for tests of the write path. */
    PlayerOutput output() {
        return output;
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
     * header now rather than with the first frame, so a player of a stream that has tracks but
     * no keyframe yet has its header (and knows the response is an FLV stream) at once.
     */
    void attached() {
        start();
        if (!headerSent && !tracks.isEmpty()) {
            sendHeader();
        }
    }

    /** Takes the track; its sequence header goes before the next frame, at that frame's time. */
    @Override
    public void onTrack(Track track) {
        start();
        if (track.type() == MediaType.VIDEO) {
            if (firstVideo != null && firstVideo.id() != track.id() && firstVideo.id() < track.id()) {
                return;   // a further video track of a multitrack stream
            }
            firstVideo = track;
        } else {
            if (firstAudio != null && firstAudio.id() != track.id() && firstAudio.id() < track.id()) {
                return;
            }
            firstAudio = track;
        }
        if (!headerSent) {
            tracks.removeIf(t -> t.type() == track.type());
            tracks.add(track);
        }
        pendingConfigs.removeIf(t -> t.type() == track.type());
        pendingConfigs.add(track);
    }

    /** Takes the metadata; it goes before the next frame, at 0. */
    @Override
    public void onMetadata(Map<String, Object> values) {
        start();
        pendingMetadata = LiveMetadata.of(values);
    }

    @Override
    public void onFrame(MediaFrame frame) {
        Track track = frame.track();
        if (track != firstVideo && track != firstAudio) {
            return;
        }
        start();
        if (origin == PlayerTimeline.NOT_STARTED) {
            origin = PlayerTimeline.origin(frame, absoluteTime);
        }
        long time = PlayerTimeline.at(frame, origin);
        if (!headerSent) {
            sendHeader();
        }
        if (pendingMetadata != null) {
            // At 0 always: libavformat's FLV demuxer makes onMetaData at any other time a subtitle stream.
            write(FlvTagEncoder.metadataTag(channel.alloc(), pendingMetadata, 0));
            pendingMetadata = null;
        }
        for (int i = 0; i < pendingConfigs.size(); i++) {
            Track t = pendingConfigs.get(i);
            write(FlvTagEncoder.configTag(channel.alloc(), t, time, enhanced(t)));
        }
        pendingConfigs.clear();
        if (firstKeyframeNanos == 0 && frame.keyframe()) {
            firstKeyframeNanos = System.nanoTime();
        }
        shared.frameTag(output, frame, time, enhanced(track), framing == Framing.CHUNKED,
                framing == Framing.WEBSOCKET);
    }

    /**
     * Whether a track's tags take the Enhanced RTMP form: for codecs without a legacy one, and
     * for H.265, which goes as hvc1, the standard form (FFmpeg 6.1 to 7.1 read only it, FFmpeg 8
     * and mpegts.js read it too); HTTP has no connect in which a player could ask for CodecID 12.
     */
    private static boolean enhanced(Track track) {
        return !FlvTags.hasLegacyForm(track.codec(), false);
    }

    private void sendHeader() {
        headerSent = true;
        boolean audio = tracks.stream().anyMatch(t -> t.type() == MediaType.AUDIO);
        boolean video = tracks.stream().anyMatch(t -> t.type() == MediaType.VIDEO);
        ByteBuf header = channel.alloc().buffer(FlvHeader.SIZE_WITH_FIRST_TAG_SIZE);
        FlvHeader.writeTo(header, audio, video);
        write(header);
        tracks.clear();
    }

    private void write(ByteBuf bytes) {
        if (bytes == null) {
            return;
        }
        switch (framing) {
            case WEBSOCKET -> output.control(new BinaryWebSocketFrame(bytes));
            case RAW -> output.control(bytes);
            case CHUNKED -> {
                ByteBuf open = channel.alloc().buffer(10);
                FlvTagEncoder.chunkOpen(open, bytes.readableBytes());
                output.control(open);
                output.control(bytes.writeByte('\r').writeByte('\n'));
            }
        }
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
    public void onEnd(EndReason reason) {
        if (channel.isActive() && reason != EndReason.CANCELLED) {
            output.finish();
            end.run();
        } else {
            output.abandon();
        }
    }
}
