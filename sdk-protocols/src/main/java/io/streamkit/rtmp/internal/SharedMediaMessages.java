package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.streamkit.server.internal.PlayerOutput;
import io.streamkit.server.internal.SharedEncoding;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;

/**
 * Encode once, write many (ARCHITECTURE.md rule 2): the chunked RTMP message of a frame is
 * built by the first player on an event loop that needs it, as leaf buffers, and shared, as
 * retained duplicates of the leaves, with every other player on that loop that wants the same form (same message
 * stream id, chunk size and header form). Players on a loop receive a frame one after the
 * other, so remembering the last frame per loop is enough ({@link SharedEncoding}).
 */
final class SharedMediaMessages {
    private static final SharedEncoding CACHE = new SharedEncoding(SharedMediaMessages::build);
    private static final SharedMediaMessages INSTANCE = new SharedMediaMessages();

    private SharedMediaMessages() {
    }

    static SharedMediaMessages forThisLoop() {
        return INSTANCE;
    }

    /**
     * Writes the frame's chunked message to a player, without a flush.
     *
     * @param out the player's handler context; the chunk encoder must sit after it
     * @param frame the frame, lent
     * @param streamId the player's message stream id
     * @param chunkSize the chunk size the player was told (at most 24 bits)
     * @param enhanced whether the video header takes the Enhanced RTMP form
     * @return the bytes written
     */
    int write(ChannelHandlerContext out, MediaFrame frame, int streamId, int chunkSize, boolean enhanced) {
        return CACHE.write(out, out.alloc(), frame, variant(streamId, chunkSize, enhanced));
    }

    /**
     * Hands the frame's chunked message to a player's output, which writes it now or at the end
     * of its batch window.
     *
     * @param out the player's output; its channel's chunk encoder must sit after it
     * @param frame the frame, lent
     * @param streamId the player's message stream id
     * @param chunkSize the chunk size the player was told (at most 24 bits)
     * @param enhanced whether the video header takes the Enhanced RTMP form
     */
    void write(PlayerOutput out, MediaFrame frame, int streamId, int chunkSize, boolean enhanced) {
        out.frame(CACHE, frame, variant(streamId, chunkSize, enhanced));
    }

    private static long variant(int streamId, int chunkSize, boolean enhanced) {
        return ((long) streamId << 32) | ((long) chunkSize << 1) | (enhanced ? 1 : 0);
    }

    /** Drops the remembered message of this thread; the next frame will be encoded afresh. */
    void forget() {
        CACHE.forget();
    }

    private static void build(ByteBufAllocator alloc, MediaFrame frame, long variant, SharedEncoding.Parts into) {
        build(alloc, frame, (int) (variant >>> 32), (int) ((variant >>> 1) & 0x7FFFFFFF), (variant & 1) != 0, into);
    }

    private static void build(ByteBufAllocator alloc, MediaFrame frame, int streamId, int chunkSize, boolean enhanced,
                              SharedEncoding.Parts into) {
        boolean video = frame.track().type() == MediaType.VIDEO;
        ByteBuf header = alloc.buffer(FlvTags.MAX_VIDEO_HEADER_LENGTH);
        if (video) {
            int cts = (int) ((frame.pts() - frame.dts()) / 1000);
            FlvTags.writeVideoHeader(header, frame.track().codec(), frame.keyframe(), cts, enhanced);
        } else {
            var audio = frame.track().format().audio();
            FlvTags.writeAudioHeader(header, frame.track().codec(), audio.map(a -> a.sampleRate()).orElse(44_100),
                    audio.map(a -> a.channels()).orElse(2), false);
        }
        try {
            RtmpChunkWriter.encode(alloc, video ? RtmpMessages.CSID_VIDEO : RtmpMessages.CSID_AUDIO,
                    video ? RtmpMessage.VIDEO : RtmpMessage.AUDIO, streamId, frame.dts() / 1000, header, frame.content(),
                    chunkSize, into);
        } finally {
            header.release();
        }
    }
}
