package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.streamkit.format.amf0.Amf0EcmaArray;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.server.internal.LiveMetadata;
import io.streamkit.server.internal.PlayerOutput;
import io.streamkit.server.internal.PlayerTimeline;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a stream's sequence headers, metadata and frames as RTMP messages on one message
 * stream of one connection: the media half of a server's play ({@link RtmpPlayer}) and of a
 * client's publish (the pusher), which send the same bytes.
 *
 * <p><b>Time.</b> Every message carries the writer's own timeline ({@link PlayerTimeline}):
 * by default its first frame is at 0. Metadata and sequence headers are held until the next
 * frame and written just before it: sequence headers at its time (never before the last
 * message of their chunk stream), so a joining player gets them at its first frame's time and
 * not at 0 of some other clock; metadata at 0, the one time at which libavformat's FLV demuxer
 * takes {@code onMetaData} for what it is rather than a subtitle stream. Frames go with a type-1 header and a delta whenever the chunk stream's
 * last message was this writer's ({@link RtmpSentHeaders}), so players share their bytes
 * whenever they joined ({@link SharedMediaMessages}).
 *
 * <p>Codecs with a legacy FLV form (H.264, AAC, MP3) are sent in it, because every player and
 * server reads it; H.265 goes as CodecID 12 or as Enhanced RTMP {@code hvc1}, as the peer can
 * take it ({@link RtmpPeerCapabilities}); the others (AV1, VP9, Opus) go in the Enhanced RTMP
 * form, the only one they have. Nothing is flushed here. Confined to the connection's event loop.
 */
final class RtmpMediaWriter {
    private final ChannelHandlerContext ctx;
    private final int streamId;
    private final int chunkSize;
    private final boolean publishing;
    private final boolean hevcCodecId12;
    private final RtmpSentHeaders sent;
    private final PlayerTimeline timeline;
    private final SharedMediaMessages shared;
    private final List<Track> pendingConfigs = new ArrayList<>(2);
    private Map<String, Object> pendingMetadata;
    private boolean videoEnhanced;

    /**
     * @param ctx where messages are written; the chunk encoder must sit after it
     * @param streamId the message stream id
     * @param chunkSize the chunk size the peer was told, which frames are pre-chunked with
     * @param sent the connection's record of the last message on each chunk stream
     * @param absoluteTime whether messages carry the stream's clock rather than a timeline from 0
     * @param publishing whether this side publishes (metadata goes as {@code @setDataFrame}, so
     *     the server keeps it for its players) rather than plays to a player ({@code onMetaData})
     * @param hevcCodecId12 whether H.265 goes with the legacy CodecID 12 rather than as Enhanced RTMP {@code hvc1}
     */
    RtmpMediaWriter(ChannelHandlerContext ctx, int streamId, int chunkSize, RtmpSentHeaders sent, boolean absoluteTime,
                    boolean publishing, boolean hevcCodecId12) {
        this.ctx = ctx;
        this.streamId = streamId;
        this.chunkSize = chunkSize;
        this.sent = sent;
        this.publishing = publishing;
        this.hevcCodecId12 = hevcCodecId12;
        this.timeline = new PlayerTimeline(absoluteTime);
        this.shared = SharedMediaMessages.forThisLoop();
    }

    /** Takes a track's format; its sequence header (if its codec has one) goes before the next frame. */
    void track(Track track) {
        if (track.type() == MediaType.VIDEO) {
            videoEnhanced = !FlvTags.hasLegacyForm(track.codec(), hevcCodecId12);
        }
        pendingConfigs.removeIf(t -> t.id() == track.id());
        pendingConfigs.add(track);
    }

    /** Takes the stream's metadata; it goes as a data message before the next frame, without the file keys. */
    void metadata(Map<String, Object> metadata) {
        pendingMetadata = LiveMetadata.of(metadata);
    }

    /**
     * Writes a frame (lent) as one pre-chunked message, without a flush, after any held
     * metadata and sequence headers.
     *
     * @return the bytes written
     */
    int frame(MediaFrame frame) {
        long time = timeline.at(frame);
        writePending(time);
        int csid = csid(frame);
        long last = sent.last(csid, streamId);
        sent.sent(csid, streamId, time);
        boolean enhanced = frame.track().type() == MediaType.VIDEO && videoEnhanced;
        return last >= 0 && time >= last
                ? shared.write(ctx, frame, SharedMediaMessages.delta(csid, chunkSize, enhanced), time - last)
                : shared.write(ctx, frame, SharedMediaMessages.absolute(csid, streamId, chunkSize, enhanced), time);
    }

    /**
     * Hands a frame (lent) to a player's output, which writes it at its next flush; held
     * metadata and sequence headers are written first, after draining the output.
     */
    void frame(MediaFrame frame, PlayerOutput output) {
        long time = timeline.at(frame);
        if (pendingMetadata != null || !pendingConfigs.isEmpty()) {
            output.drain();
            writePending(time);
        }
        int csid = csid(frame);
        long last = sent.last(csid, streamId);
        sent.sent(csid, streamId, time);
        boolean enhanced = frame.track().type() == MediaType.VIDEO && videoEnhanced;
        if (last >= 0 && time >= last) {
            shared.write(output, frame, SharedMediaMessages.delta(csid, chunkSize, enhanced), time - last);
        } else {
            shared.write(output, frame, SharedMediaMessages.absolute(csid, streamId, chunkSize, enhanced), time);
        }
    }

    private static int csid(MediaFrame frame) {
        return frame.track().type() == MediaType.VIDEO ? RtmpMessages.CSID_VIDEO : RtmpMessages.CSID_AUDIO;
    }

    private void writePending(long time) {
        if (pendingMetadata != null) {
            Amf0EcmaArray array = new Amf0EcmaArray();
            array.putAll(pendingMetadata);
            // At timestamp 0 always: libavformat's FLV demuxer skips onMetaData only at 0 and makes
            // one at any other time a subtitle stream of its own.
            ctx.write(publishing
                    ? RtmpMessages.data(ctx.alloc(), streamId, 0, "@setDataFrame", "onMetaData", array)
                    : RtmpMessages.data(ctx.alloc(), streamId, 0, "onMetaData", array));
            pendingMetadata = null;
        }
        for (int i = 0; i < pendingConfigs.size(); i++) {
            writeConfig(pendingConfigs.get(i), time);
        }
        pendingConfigs.clear();
    }

    /** Writes a track's sequence header, if its codec has a configuration record. */
    private void writeConfig(Track track, long time) {
        if (!track.format().hasConfig()) {
            return;   // MP3: no configuration record
        }
        boolean video = track.type() == MediaType.VIDEO;
        ByteBuf body = ctx.alloc().buffer(16 + track.format().configLength());
        if (video) {
            FlvTags.writeVideoSequenceStart(body, track.codec(), videoEnhanced);
        } else {
            var audio = track.format().audio();
            FlvTags.writeAudioHeader(body, track.codec(), audio.map(a -> a.sampleRate()).orElse(44_100),
                    audio.map(a -> a.channels()).orElse(2), true);
        }
        track.format().writeConfig(body);
        int csid = video ? RtmpMessages.CSID_VIDEO : RtmpMessages.CSID_AUDIO;
        long at = Math.max(time, sent.last(csid, streamId));
        sent.sent(csid, streamId, at);
        ctx.write(new RtmpMessage(csid, video ? RtmpMessage.VIDEO : RtmpMessage.AUDIO, streamId, at, body));
    }
}
