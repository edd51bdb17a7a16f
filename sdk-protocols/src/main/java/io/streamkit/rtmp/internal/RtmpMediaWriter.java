package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.streamkit.format.amf0.Amf0EcmaArray;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.server.internal.PlayerOutput;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import java.util.Map;

/**
 * Writes a stream's sequence headers, metadata and frames as RTMP messages on one message
 * stream of one connection: the media half of a server's play ({@link RtmpPlayer}) and of a
 * client's publish (the pusher), which send the same bytes.
 *
 * <p>Codecs with a legacy FLV form (H.264, AAC, MP3, and H.265 as codec id 12) are sent in
 * it, because every player and server reads it; the others (AV1, VP9, Opus) go in the
 * Enhanced RTMP form. Frames are encoded once per event loop and shared
 * ({@link SharedMediaMessages}). Nothing is flushed here. Confined to the connection's event loop.
 */
final class RtmpMediaWriter {
    private final ChannelHandlerContext ctx;
    private final int streamId;
    private final int chunkSize;
    private final SharedMediaMessages shared;
    private boolean videoEnhanced;

    /**
     * @param ctx where messages are written; the chunk encoder must sit after it
     * @param streamId the message stream id
     * @param chunkSize the chunk size the peer was told, which frames are pre-chunked with
     */
    RtmpMediaWriter(ChannelHandlerContext ctx, int streamId, int chunkSize) {
        this.ctx = ctx;
        this.streamId = streamId;
        this.chunkSize = chunkSize;
        this.shared = SharedMediaMessages.forThisLoop();
    }

    /** Writes a track's sequence header, if its codec has a configuration record. */
    void track(Track track) {
        if (!track.format().hasConfig()) {
            if (track.type() == MediaType.VIDEO) {
                videoEnhanced = !FlvTags.hasLegacyForm(track.codec(), true);
            }
            return;   // MP3: no configuration record
        }
        ByteBuf body = ctx.alloc().buffer(16 + track.format().configLength());
        if (track.type() == MediaType.VIDEO) {
            videoEnhanced = !FlvTags.hasLegacyForm(track.codec(), true);
            FlvTags.writeVideoSequenceStart(body, track.codec(), videoEnhanced);
        } else {
            var audio = track.format().audio();
            FlvTags.writeAudioHeader(body, track.codec(), audio.map(a -> a.sampleRate()).orElse(44_100),
                    audio.map(a -> a.channels()).orElse(2), true);
        }
        track.format().writeConfig(body);
        int csid = track.type() == MediaType.VIDEO ? RtmpMessages.CSID_VIDEO : RtmpMessages.CSID_AUDIO;
        int type = track.type() == MediaType.VIDEO ? RtmpMessage.VIDEO : RtmpMessage.AUDIO;
        ctx.write(new RtmpMessage(csid, type, streamId, 0, body));
    }

    /**
     * Writes the stream's metadata as a data message.
     *
     * @param metadata names to values
     * @param setDataFrame whether to prefix {@code @setDataFrame}, as a publisher does so that
     *     the server keeps it for its players; a server sends players plain {@code onMetaData}
     */
    void metadata(Map<String, Object> metadata, boolean setDataFrame) {
        Amf0EcmaArray array = new Amf0EcmaArray();
        array.putAll(metadata);
        ctx.write(setDataFrame
                ? RtmpMessages.data(ctx.alloc(), streamId, 0, "@setDataFrame", "onMetaData", array)
                : RtmpMessages.data(ctx.alloc(), streamId, 0, "onMetaData", array));
    }

    /**
     * Writes a frame (lent) as one pre-chunked message, without a flush.
     *
     * @return the bytes written
     */
    int frame(MediaFrame frame) {
        boolean video = frame.track().type() == MediaType.VIDEO;
        return shared.write(ctx, frame, streamId, chunkSize, video && videoEnhanced);
    }

    /** Hands a frame (lent) to a player's output, which writes it at its next flush. */
    void frame(MediaFrame frame, PlayerOutput output) {
        boolean video = frame.track().type() == MediaType.VIDEO;
        shared.write(output, frame, streamId, chunkSize, video && videoEnhanced);
    }
}
