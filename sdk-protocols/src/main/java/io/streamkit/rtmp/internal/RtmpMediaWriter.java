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
 * takes {@code onMetaData} for what it is rather than a subtitle stream. Frames go with a
 * type-1 header and a delta whenever the chunk stream's last message was this writer's
 * ({@link RtmpSentHeaders}), so players share their bytes whenever they joined
 * ({@link SharedMediaMessages}).
 *
 * <p><b>Codecs.</b> Codecs with a legacy FLV form (H.264, AAC, MP3) are sent in it, because
 * every player and server reads it; H.265 goes as CodecID 12 or as Enhanced RTMP {@code hvc1},
 * as the peer can take it ({@link RtmpPeerCapabilities}); the others (AV1, VP9, Opus) go in
 * the Enhanced RTMP form, the only one they have.
 *
 * <p><b>Tracks.</b> A stream's first audio and first video track are the peer's track 0 and
 * go in the plain form. A multitrack stream's further tracks go only to a peer that announced
 * multitrack (capsEx), each as Enhanced RTMP track 1, 2, ... in one-track multitrack messages
 * on a chunk stream of its own, starting at its own first keyframe; a peer without multitrack
 * gets the first track of each media alone, a stream like any other.
 *
 * <p>Nothing is flushed here. Confined to the connection's event loop.
 */
final class RtmpMediaWriter {
    /** Chunk streams of further tracks: video 8, 10, 12, ... and audio 9, 11, 13, ..., below 64. */
    private static final int FIRST_EXTRA_CSID = 8;

    private final ChannelHandlerContext ctx;
    private final int streamId;
    private final int chunkSize;
    private final boolean publishing;
    private final boolean multitrack;
    private final boolean hevcCodecId12;
    private final RtmpSentHeaders sent;
    private final PlayerTimeline timeline;
    private final SharedMediaMessages shared;
    private final List<Track> video = new ArrayList<>(1);
    private final List<Track> audio = new ArrayList<>(1);
    private final List<Track> pendingConfigs = new ArrayList<>(2);
    private long startedExtraVideo;   // bit k: track k of the video list had its first keyframe
    private Map<String, Object> pendingMetadata;

    /**
     * @param ctx where messages are written; the chunk encoder must sit after it
     * @param streamId the message stream id
     * @param chunkSize the chunk size the peer was told, which frames are pre-chunked with
     * @param sent the connection's record of the last message on each chunk stream
     * @param absoluteTime whether messages carry the stream's clock rather than a timeline from 0
     * @param publishing whether this side publishes (metadata goes as {@code @setDataFrame}, so
     *     the server keeps it for its players) rather than plays to a player ({@code onMetaData})
     * @param peer what the peer takes: {@code hvc1}, multitrack
     */
    RtmpMediaWriter(ChannelHandlerContext ctx, int streamId, int chunkSize, RtmpSentHeaders sent, boolean absoluteTime,
                    boolean publishing, RtmpPeerCapabilities peer) {
        this.ctx = ctx;
        this.streamId = streamId;
        this.chunkSize = chunkSize;
        this.sent = sent;
        this.publishing = publishing;
        this.multitrack = peer.multitrack();
        this.hevcCodecId12 = peer.hevcCodecId12();   // once: a per-frame set lookup cost every player ~8 % of its CPU
        this.timeline = new PlayerTimeline(absoluteTime);
        this.shared = SharedMediaMessages.forThisLoop();
    }

    /** Takes a track's format; its sequence header (if its codec has one) goes before the next frame. */
    void track(Track track) {
        List<Track> media = track.type() == MediaType.VIDEO ? video : audio;
        int at = 0;
        while (at < media.size() && media.get(at).id() < track.id()) {
            at++;
        }
        if (at < media.size() && media.get(at).id() == track.id()) {
            media.set(at, track);
        } else {
            media.add(at, track);
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
     * @return the bytes written, 0 for a frame of a track the peer does not get
     */
    int frame(MediaFrame frame) {
        Track t = frame.track();
        MediaType type = t.type();
        int track = trackOf(frame, t, type);
        if (track < 0) {
            return 0;
        }
        long time = timeline.at(frame);
        writePending(time);
        int csid = csid(type, track);
        long last = sent.last(csid, streamId);
        sent.sent(csid, streamId, time);
        boolean enhanced = enhanced(t);
        return last >= 0 && time >= last
                ? shared.write(ctx, frame, SharedMediaMessages.delta(csid, chunkSize, enhanced, track), time - last)
                : shared.write(ctx, frame, SharedMediaMessages.absolute(csid, streamId, chunkSize, enhanced, track), time);
    }

    /**
     * Hands a frame (lent) to a player's output, which writes it at its next flush; held
     * metadata and sequence headers are written first, after draining the output.
     */
    void frame(MediaFrame frame, PlayerOutput output) {
        Track t = frame.track();
        MediaType type = t.type();
        int track = trackOf(frame, t, type);
        if (track < 0) {
            return;
        }
        long time = timeline.at(frame);
        if (pendingMetadata != null || !pendingConfigs.isEmpty()) {
            output.drain();
            writePending(time);
        }
        int csid = csid(type, track);
        long last = sent.last(csid, streamId);
        sent.sent(csid, streamId, time);
        boolean enhanced = enhanced(t);
        if (last >= 0 && time >= last) {
            shared.write(output, frame, SharedMediaMessages.delta(csid, chunkSize, enhanced, track), time - last);
        } else {
            shared.write(output, frame, SharedMediaMessages.absolute(csid, streamId, chunkSize, enhanced, track), time);
        }
    }

    /**
     * Returns the frame's Enhanced RTMP track id for this peer (its track's place among the
     * stream's tracks of its media), or -1 when the peer does not get it: a further track for
     * a peer without multitrack, or a further video track before its first keyframe.
     */
    private int trackOf(MediaFrame frame, Track t, MediaType type) {
        List<Track> media = type == MediaType.VIDEO ? video : audio;
        if (!media.isEmpty() && media.get(0) == t) {
            return 0;
        }
        if (!multitrack) {
            return -1;
        }
        int k = media.indexOf(t);
        if (k <= 0 || k > 63) {
            return -1;
        }
        if (type == MediaType.VIDEO && (startedExtraVideo & (1L << k)) == 0) {
            if (!frame.keyframe()) {
                return -1;
            }
            startedExtraVideo |= 1L << k;
        }
        return k;
    }

    private static int csid(MediaType type, int track) {
        if (track == 0) {
            return type == MediaType.VIDEO ? RtmpMessages.CSID_VIDEO : RtmpMessages.CSID_AUDIO;
        }
        return FIRST_EXTRA_CSID + 2 * (track - 1) + (type == MediaType.VIDEO ? 0 : 1);
    }

    private boolean enhanced(Track track) {
        return !FlvTags.hasLegacyForm(track.codec(), hevcCodecId12);
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

    /** Writes a track's sequence header, if its codec has a configuration record and the peer gets the track. */
    private void writeConfig(Track track, long time) {
        if (!track.format().hasConfig()) {
            return;   // MP3: no configuration record
        }
        boolean isVideo = track.type() == MediaType.VIDEO;
        int id = (isVideo ? video : audio).indexOf(track);
        if (id < 0 || id > 0 && (!multitrack || id > 63)) {
            return;
        }
        ByteBuf body = ctx.alloc().buffer(FlvTags.MAX_VIDEO_HEADER_LENGTH + track.format().configLength());
        if (id > 0) {
            if (isVideo) {
                FlvTags.writeMultitrackVideoSequenceStart(body, id, track.codec());
            } else {
                FlvTags.writeMultitrackAudioHeader(body, id, track.codec(), true);
            }
        } else if (isVideo) {
            FlvTags.writeVideoSequenceStart(body, track.codec(), enhanced(track));
        } else {
            var format = track.format().audio();
            FlvTags.writeAudioHeader(body, track.codec(), format.map(a -> a.sampleRate()).orElse(44_100),
                    format.map(a -> a.channels()).orElse(2), true);
        }
        track.format().writeConfig(body);
        int csid = csid(track.type(), id);
        long at = Math.max(time, sent.last(csid, streamId));
        sent.sent(csid, streamId, at);
        ctx.write(new RtmpMessage(csid, isVideo ? RtmpMessage.VIDEO : RtmpMessage.AUDIO, streamId, at, body));
    }
}
