package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;

/**
 * Encode once, write many (ARCHITECTURE.md rule 2): the chunked RTMP message of a frame is
 * built by the first player on an event loop that needs it and shared, as retained
 * duplicates, with every other player on that loop that wants the same form (same message
 * stream id, chunk size and header form). Players on a loop receive a frame one after the
 * other, so remembering the last frame per loop is enough. Confined to its event loop.
 */
final class SharedMediaMessages {
    private static final FastThreadLocal<SharedMediaMessages> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected SharedMediaMessages initialValue() {
            return new SharedMediaMessages();
        }

        @Override
        protected void onRemoval(SharedMediaMessages value) {
            value.forget();
        }
    };

    private MediaFrame frame;
    private int streamId;
    private int chunkSize;
    private boolean enhanced;
    private ByteBuf encoded;

    static SharedMediaMessages forThisLoop() {
        return PER_LOOP.get();
    }

    /**
     * Returns the frame's chunked message for the caller to write (the caller owns it).
     *
     * @param alloc the channel's allocator
     * @param frame the frame, lent
     * @param streamId the player's message stream id
     * @param chunkSize the chunk size the player was told
     * @param enhanced whether the video header takes the Enhanced RTMP form
     * @return the message's bytes
     */
    ByteBuf encode(ByteBufAllocator alloc, MediaFrame frame, int streamId, int chunkSize, boolean enhanced) {
        if (frame != this.frame || streamId != this.streamId || chunkSize != this.chunkSize || enhanced != this.enhanced) {
            forget();
            this.encoded = build(alloc, frame, streamId, chunkSize, enhanced);
            this.frame = frame;
            this.streamId = streamId;
            this.chunkSize = chunkSize;
            this.enhanced = enhanced;
        }
        return encoded.retainedDuplicate();
    }

    /** Drops the remembered message; the next frame will be encoded afresh. */
    void forget() {
        if (encoded != null) {
            encoded.release();
            encoded = null;
        }
        frame = null;
    }

    private static ByteBuf build(ByteBufAllocator alloc, MediaFrame frame, int streamId, int chunkSize, boolean enhanced) {
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
            return RtmpChunkWriter.encode(alloc, video ? RtmpMessages.CSID_VIDEO : RtmpMessages.CSID_AUDIO,
                    video ? RtmpMessage.VIDEO : RtmpMessage.AUDIO, streamId, frame.dts() / 1000, header, frame.content(),
                    chunkSize);
        } finally {
            header.release();
        }
    }
}
