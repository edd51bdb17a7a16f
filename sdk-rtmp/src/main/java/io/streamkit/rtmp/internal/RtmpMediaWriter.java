package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.streamkit.format.amf0.Amf0EcmaArray;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.server.internal.LiveMetadata;
import io.streamkit.server.internal.PlayerTimeline;
import io.streamkit.server.spi.PlayerOutput;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import java.util.ArrayList;
import java.util.Arrays;
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
 * takes {@code onMetaData} for what it is rather than a subtitle stream.
 *
 * <p><b>Chunk streams.</b> A writer has chunk streams of its own (a {@linkplain #block block}
 * the connection gives it), so the previous message on each is its own: a frame goes with a
 * type-1 header whose timestamp is the delta from the writer's previous frame of the track,
 * the same for every player in step whenever it joined, and players share its bytes
 * ({@link SharedMediaMessages}). A track's first frame, or one that would step back, goes with
 * a type-0 header and its absolute time; so does every frame of a writer the connection had no
 * block left for, on chunk streams 62 and 63, which only such writers use.
 *
 * <p><b>Codecs.</b> Codecs with a legacy FLV form (H.264, AAC, MP3) are sent in it, because
 * every player and server reads it; H.265 goes as CodecID 12 or as Enhanced RTMP {@code hvc1},
 * as the peer can take it ({@link RtmpPeerCapabilities}); the others (AV1, VP9, Opus) go in
 * the Enhanced RTMP form, the only one they have.
 *
 * <p><b>Tracks.</b> A stream's first audio and first video track are the peer's track 0 and
 * go in the plain form. A multitrack stream's further tracks go only to a peer that announced
 * multitrack (capsEx), on a writer of block 0, each as Enhanced RTMP track 1, 2, ... in
 * one-track multitrack messages on a chunk stream of its own, starting at its own first
 * keyframe; other peers get the first track of each media alone, a stream like any other.
 *
 * <p>The state a frame reads is in this object's own fields (no list, map or helper object on
 * the way of a track 0 frame): at thousands of players, each object a player's frame touches is
 * a cache miss. Nothing is flushed here. Confined to the connection's event loop.
 */
final class RtmpMediaWriter {
    /** Chunk stream blocks a connection can give its concurrent writers; past them, type-0 headers only. */
    static final int BLOCKS = 12;
    /** Chunk streams of block 0's further tracks: video 8, 10, ..., audio 9, 11, ..., below {@link #FIRST_BLOCK_CSID}. */
    private static final int FIRST_EXTRA_CSID = 8;
    /** Chunk streams of blocks 1 and up: video 40, 42, ..., audio 41, 43, ..., below 64. */
    private static final int FIRST_BLOCK_CSID = 40;
    private static final int MAX_EXTRA_TRACK = (FIRST_BLOCK_CSID - FIRST_EXTRA_CSID) / 2;   // 16
    /**
     * Chunk streams that writers without a block share, with type-0 headers only: a message with
     * one says everything about itself, so they may interleave there; no block's writer, whose
     * type-1 headers lean on its previous message, ever sends on them.
     */
    private static final int SHARED_VIDEO_CSID = 62;

    private final ChannelHandlerContext ctx;
    private final int streamId;
    private final int chunkSize;
    private final boolean publishing;
    private final boolean absoluteTime;
    private final boolean multitrack;
    private final boolean hevcCodecId12;
    private final boolean deltas;
    private final int videoCsid;
    private final int audioCsid;
    private final SharedMediaMessages shared;

    // What a track-0 frame reads: fields, no indirection.
    private Track video0;
    private Track audio0;
    private boolean video0Enhanced;
    private boolean audio0Enhanced;
    private long lastVideo = -1;
    private long lastAudio = -1;
    private long origin = PlayerTimeline.NOT_STARTED;
    private boolean pending;

    // The rest: further tracks, held headers.
    private final List<Track> video = new ArrayList<>(1);
    private final List<Track> audio = new ArrayList<>(1);
    private final List<Track> pendingConfigs = new ArrayList<>(2);
    private Map<String, Object> pendingMetadata;
    private long[] lastExtra;           // by csid - FIRST_EXTRA_CSID, for further tracks
    private long startedExtraVideo;     // bit k: video track k had its first keyframe

    /**
     * @param ctx where messages are written; the chunk encoder must sit after it
     * @param streamId the message stream id
     * @param chunkSize the chunk size the peer was told, which frames are pre-chunked with
     * @param block which of the connection's chunk stream blocks this writer owns, 0 to
     *     {@value #BLOCKS} - 1, or -1 for none (every frame then goes with a type-0 header)
     * @param absoluteTime whether messages carry the stream's clock rather than a timeline from 0
     * @param publishing whether this side publishes (metadata goes as {@code @setDataFrame}, so
     *     the server keeps it for its players) rather than plays to a player ({@code onMetaData})
     * @param peer what the peer takes: {@code hvc1}, multitrack
     */
    RtmpMediaWriter(ChannelHandlerContext ctx, int streamId, int chunkSize, int block, boolean absoluteTime,
                    boolean publishing, RtmpPeerCapabilities peer) {
        if (block < -1 || block >= BLOCKS) {
            throw new IllegalArgumentException("chunk stream block " + block + " outside -1-" + (BLOCKS - 1));
        }
        this.ctx = ctx;
        this.streamId = streamId;
        this.chunkSize = chunkSize;
        this.publishing = publishing;
        this.absoluteTime = absoluteTime;
        this.multitrack = peer.multitrack() && block == 0;
        this.hevcCodecId12 = peer.hevcCodecId12();   // once: a per-frame set lookup cost every player ~8 % of its CPU
        this.deltas = block >= 0;
        this.videoCsid = block < 0 ? SHARED_VIDEO_CSID : block == 0 ? RtmpMessages.CSID_VIDEO
                : FIRST_BLOCK_CSID + 2 * (block - 1);
        this.audioCsid = block < 0 ? SHARED_VIDEO_CSID + 1 : block == 0 ? RtmpMessages.CSID_AUDIO
                : FIRST_BLOCK_CSID + 2 * (block - 1) + 1;
        this.shared = SharedMediaMessages.forThisLoop();
    }

    /** Takes a track's format; its sequence header (if its codec has one) goes before the next frame. */
    void track(Track track) {
        boolean isVideo = track.type() == MediaType.VIDEO;
        List<Track> media = isVideo ? video : audio;
        int at = 0;
        while (at < media.size() && media.get(at).id() < track.id()) {
            at++;
        }
        if (at < media.size() && media.get(at).id() == track.id()) {
            media.set(at, track);
        } else {
            media.add(at, track);
        }
        if (isVideo) {
            video0 = media.get(0);
            video0Enhanced = enhanced(video0);
        } else {
            audio0 = media.get(0);
            audio0Enhanced = enhanced(audio0);
        }
        pendingConfigs.removeIf(t -> t.id() == track.id());
        pendingConfigs.add(track);
        pending = true;
    }

    /** Takes the stream's metadata; it goes as a data message before the next frame, without the file keys. */
    void metadata(Map<String, Object> metadata) {
        pendingMetadata = LiveMetadata.of(metadata);
        pending = true;
    }

    /**
     * Writes a frame (lent) as one pre-chunked message, without a flush, after any held
     * metadata and sequence headers.
     *
     * @return the bytes written, 0 for a frame of a track the peer does not get
     */
    int frame(MediaFrame frame) {
        Track t = frame.track();
        if (t != video0 && t != audio0) {
            return extraTrack(frame, null);
        }
        long time = time(frame);
        if (pending) {
            writePending(time, null);
        }
        boolean isVideo = t == video0;
        long last = isVideo ? lastVideo : lastAudio;
        long form = form(isVideo, last, time);
        int bytes = shared.write(ctx, frame, form, SharedMediaMessages.isAbsolute(form) ? time : time - last);
        sent(isVideo, time);
        return bytes;
    }

    /**
     * Hands a frame (lent) to a player's output, which writes it at its next flush; held
     * metadata and sequence headers go first, as the output's control messages (after the
     * frames it holds).
     */
    void frame(MediaFrame frame, PlayerOutput output) {
        Track t = frame.track();
        if (t != video0 && t != audio0) {
            extraTrack(frame, output);
            return;
        }
        long time = time(frame);
        if (pending) {
            writePending(time, output);
        }
        boolean isVideo = t == video0;
        long last = isVideo ? lastVideo : lastAudio;
        long form = form(isVideo, last, time);
        shared.write(output, frame, form, SharedMediaMessages.isAbsolute(form) ? time : time - last);
        sent(isVideo, time);
    }

    /** The form of a track-0 frame: delta when this writer's chunk stream last carried an earlier frame. */
    private long form(boolean isVideo, long last, long time) {
        int csid = isVideo ? videoCsid : audioCsid;
        boolean enhanced = isVideo ? video0Enhanced : audio0Enhanced;
        return deltas && last >= 0 && time >= last
                ? SharedMediaMessages.delta(csid, chunkSize, enhanced, 0)
                : SharedMediaMessages.absolute(csid, streamId, chunkSize, enhanced, 0);
    }

    private void sent(boolean isVideo, long time) {
        if (isVideo) {
            lastVideo = time;
        } else {
            lastAudio = time;
        }
    }

    private long time(MediaFrame frame) {
        if (origin == PlayerTimeline.NOT_STARTED) {
            origin = PlayerTimeline.origin(frame, absoluteTime);
        }
        return PlayerTimeline.at(frame, origin);
    }

    /**
     * A frame of a further track: written (to {@code output}, or at once when it is null) as
     * Enhanced RTMP track k, k its track's place among the stream's tracks of its media, for a
     * peer with multitrack and from the track's first keyframe on; else (and for a codec without
     * a FourCC, G.711) dropped.
     *
     * @return the bytes written at once, 0 otherwise
     */
    private int extraTrack(MediaFrame frame, PlayerOutput output) {
        Track t = frame.track();
        boolean isVideo = t.type() == MediaType.VIDEO;
        int k = multitrack ? (isVideo ? video : audio).indexOf(t) : -1;
        if (k <= 0 || k >= MAX_EXTRA_TRACK || !FlvTags.hasMultitrackForm(t.codec())) {
            return 0;   // G.711 has no Enhanced RTMP FourCC to name a further track with
        }
        if (isVideo && (startedExtraVideo & (1L << k)) == 0) {
            if (!frame.keyframe()) {
                return 0;
            }
            startedExtraVideo |= 1L << k;
        }
        long time = time(frame);
        if (pending) {
            writePending(time, output);
        }
        int csid = extraCsid(isVideo, k);
        long last = lastExtra()[csid - FIRST_EXTRA_CSID];
        lastExtra[csid - FIRST_EXTRA_CSID] = time;
        boolean enhanced = enhanced(t);
        long form = last >= 0 && time >= last
                ? SharedMediaMessages.delta(csid, chunkSize, enhanced, k)
                : SharedMediaMessages.absolute(csid, streamId, chunkSize, enhanced, k);
        long at = SharedMediaMessages.isAbsolute(form) ? time : time - last;
        if (output == null) {
            return shared.write(ctx, frame, form, at);
        }
        shared.write(output, frame, form, at);
        return 0;
    }

    private long[] lastExtra() {
        if (lastExtra == null) {
            lastExtra = new long[FIRST_BLOCK_CSID - FIRST_EXTRA_CSID];
            Arrays.fill(lastExtra, -1);
        }
        return lastExtra;
    }

    private static int extraCsid(boolean isVideo, int track) {
        return FIRST_EXTRA_CSID + 2 * (track - 1) + (isVideo ? 0 : 1);
    }

    private boolean enhanced(Track track) {
        return !FlvTags.hasLegacyForm(track.codec(), hevcCodecId12);
    }

    /**
     * Writes the held metadata and sequence headers: as control messages of a player's output,
     * after the frames it holds, or at once (the pusher, {@code output} null).
     */
    private void writePending(long time, PlayerOutput output) {
        pending = false;
        if (pendingMetadata != null) {
            Amf0EcmaArray array = new Amf0EcmaArray();
            array.putAll(pendingMetadata);
            // At timestamp 0 always: libavformat's FLV demuxer skips onMetaData only at 0 and makes
            // one at any other time a subtitle stream of its own.
            write(publishing
                    ? RtmpMessages.data(ctx.alloc(), streamId, 0, "@setDataFrame", "onMetaData", array)
                    : RtmpMessages.data(ctx.alloc(), streamId, 0, "onMetaData", array), output);
            pendingMetadata = null;
        }
        for (int i = 0; i < pendingConfigs.size(); i++) {
            writeConfig(pendingConfigs.get(i), time, output);
        }
        pendingConfigs.clear();
    }

    /** Writes a track's sequence header, if its codec has a configuration record and the peer gets the track. */
    private void writeConfig(Track track, long time, PlayerOutput output) {
        if (!track.format().hasConfig()) {
            return;   // MP3: no configuration record
        }
        boolean isVideo = track.type() == MediaType.VIDEO;
        int k = (isVideo ? video : audio).indexOf(track);
        if (k < 0 || k > 0 && (!multitrack || k >= MAX_EXTRA_TRACK)) {
            return;
        }
        ByteBuf body = ctx.alloc().buffer(FlvTags.MAX_VIDEO_HEADER_LENGTH + track.format().configLength());
        if (k > 0) {
            if (isVideo) {
                FlvTags.writeMultitrackVideoSequenceStart(body, k, track.codec());
            } else {
                FlvTags.writeMultitrackAudioHeader(body, k, track.codec(), true);
            }
        } else if (isVideo) {
            FlvTags.writeVideoSequenceStart(body, track.codec(), enhanced(track));
        } else {
            var format = track.format().audio();
            FlvTags.writeAudioHeader(body, track.codec(), format.map(a -> a.sampleRate()).orElse(44_100),
                    format.map(a -> a.channels()).orElse(2), true);
        }
        track.format().writeConfig(body);
        int csid;
        long at;
        if (k > 0) {
            csid = extraCsid(isVideo, k);
            at = Math.max(time, lastExtra()[csid - FIRST_EXTRA_CSID]);
            lastExtra[csid - FIRST_EXTRA_CSID] = at;
        } else {
            csid = isVideo ? videoCsid : audioCsid;
            at = Math.max(time, isVideo ? lastVideo : lastAudio);
            sent(isVideo, at);
        }
        write(new RtmpMessage(csid, isVideo ? RtmpMessage.VIDEO : RtmpMessage.AUDIO, streamId, at, body), output);
    }

    private void write(RtmpMessage message, PlayerOutput output) {
        if (output != null) {
            output.control(message);
        } else {
            ctx.write(message);
        }
    }
}
