package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.server.internal.PlayerTimeline;
import io.streamkit.server.internal.SharedEncoding;
import io.streamkit.server.spi.PlayerOutput;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import java.util.function.Consumer;

/**
 * Encode once, write many (ARCHITECTURE.md rule 2): the chunked RTMP message of a frame is
 * built by the first player on an event loop that needs it, as leaf buffers, and shared, as
 * retained duplicates of the leaves, with every other player on that loop that wants the same
 * form ({@link SharedEncoding}).
 *
 * <p>A form is one of two kinds. A <em>delta</em> form starts with a type-1 header whose
 * timestamp is the delta from the previous message on its chunk stream: every player that sent
 * the track's previous frame shares it, whatever its own timeline, because the delta is the
 * same for all of them. An <em>absolute</em> form starts with a type-0 header carrying the
 * player's timestamp and message stream id: a player's first frame of a track, or one after a
 * gap in what it sent there, and these are shared only by players with the same timeline. In
 * steady state every player of a stream writes the delta forms, so per-player timelines cost
 * nothing. Both carry the chunk size, whether the video header takes the Enhanced RTMP form,
 * and for a multitrack player's further tracks their Enhanced RTMP track id (a one-track
 * multitrack message, as FFmpeg 8 writes them).
 */
final class SharedMediaMessages {
    /** The shared forms of RTMP media messages, which every RTMP player's output is opened with. */
    static final SharedEncoding CACHE = new SharedEncoding(SharedMediaMessages::build);
    private static final SharedMediaMessages INSTANCE = new SharedMediaMessages();

    private static final long ENHANCED = 1;
    private static final long ABSOLUTE = 2;
    private static final int CHUNK_SIZE_SHIFT = 2;        // 24 bits: RtmpChunkDecoder.MAX_CHUNK_SIZE
    private static final int CSID_SHIFT = 26;             // 6 bits: media chunk streams are below 64
    private static final int TRACK_SHIFT = 32;            // 8 bits: an Enhanced RTMP track id, 0 for the plain form
    private static final int STREAM_ID_SHIFT = 40;        // 21 bits: absolute forms only

    /** Largest message stream id an absolute form can name: ids are reused, so a connection stays far below it. */
    static final int MAX_STREAM_ID = (1 << 21) - 1;

    private SharedMediaMessages() {
    }

    static SharedMediaMessages forThisLoop() {
        return INSTANCE;
    }

    /**
     * Writes the frame's chunked message to a peer, without a flush.
     *
     * @param out the connection's handler context; the chunk encoder must sit after it
     * @param frame the frame, lent
     * @param form the form, from {@link #delta} or {@link #absolute}
     * @param time the delta or the absolute timestamp, in milliseconds
     * @return the bytes written
     */
    int write(ChannelHandlerContext out, MediaFrame frame, long form, long time) {
        return CACHE.write(out, out.alloc(), frame, form, time);
    }

    /**
     * Hands the frame's chunked message to a player's output, which writes it now or at the end
     * of its batch window.
     *
     * @param out the player's output, opened with {@link #CACHE}; its channel's chunk encoder must sit after it
     * @param frame the frame, lent
     * @param form the form, from {@link #delta} or {@link #absolute}
     * @param time the delta or the absolute timestamp, in milliseconds
     */
    void write(PlayerOutput out, MediaFrame frame, long form, long time) {
        out.frame(frame, form, time);
    }

    /**
     * The form with a type-1 header: the message follows one of the same message stream on {@code csid}.
     *
     * @param csid the chunk stream, 2 to 63
     * @param chunkSize the chunk size the peer was told (at most 24 bits)
     * @param enhanced whether the video header takes the Enhanced RTMP form
     * @param track the Enhanced RTMP track id of a multitrack message (1 to 255), or 0 for a plain one
     * @return the form's variant
     */
    static long delta(int csid, int chunkSize, boolean enhanced, int track) {
        if (csid < 2 || csid > 63 || track < 0 || track > 255) {
            throw new IllegalArgumentException("chunk stream " + csid + " or track " + track + " out of range");
        }
        return ((long) track << TRACK_SHIFT) | ((long) csid << CSID_SHIFT) | ((long) chunkSize << CHUNK_SIZE_SHIFT)
                | (enhanced ? ENHANCED : 0);
    }

    /**
     * The form with a type-0 header.
     *
     * @param csid the chunk stream, 2 to 63
     * @param streamId the message stream id, 0 to {@value #MAX_STREAM_ID}
     * @param chunkSize the chunk size the peer was told (at most 24 bits)
     * @param enhanced whether the video header takes the Enhanced RTMP form
     * @param track the Enhanced RTMP track id of a multitrack message (1 to 255), or 0 for a plain one
     * @return the form's variant
     */
    static long absolute(int csid, int streamId, int chunkSize, boolean enhanced, int track) {
        if (streamId < 0 || streamId > MAX_STREAM_ID) {
            throw new IllegalArgumentException("message stream id " + streamId + " outside 0-" + MAX_STREAM_ID);
        }
        return ((long) streamId << STREAM_ID_SHIFT) | delta(csid, chunkSize, enhanced, track) | ABSOLUTE;
    }

    /**
     * Returns whether a form starts with a type-0 header, whose time is absolute.
     *
     * @param form a form from {@link #delta} or {@link #absolute}
     * @return {@code true} for an absolute form
     */
    static boolean isAbsolute(long form) {
        return (form & ABSOLUTE) != 0;
    }

    /** Drops the remembered messages of this thread; the next frame will be encoded afresh. */
    void forget() {
        CACHE.forget();
    }

    private static void build(ByteBufAllocator alloc, MediaFrame frame, long form, long time,
                              Consumer<ByteBuf> into) {
        boolean enhanced = (form & ENHANCED) != 0;
        int fmt = (form & ABSOLUTE) != 0 ? 0 : 1;
        int chunkSize = (int) ((form >>> CHUNK_SIZE_SHIFT) & 0xFFFFFF);
        int csid = (int) ((form >>> CSID_SHIFT) & 0x3F);
        int track = (int) ((form >>> TRACK_SHIFT) & 0xFF);
        int streamId = (int) (form >>> STREAM_ID_SHIFT);
        boolean video = frame.track().type() == MediaType.VIDEO;
        ByteBuf header = alloc.buffer(FlvTags.MAX_VIDEO_HEADER_LENGTH);
        if (track > 0) {
            if (video) {
                FlvTags.writeMultitrackVideoHeader(header, track, frame.track().codec(), frame.keyframe(),
                        PlayerTimeline.compositionTime(frame));
            } else {
                FlvTags.writeMultitrackAudioHeader(header, track, frame.track().codec(), false);
            }
        } else if (video) {
            FlvTags.writeVideoHeader(header, frame.track().codec(), frame.keyframe(),
                    PlayerTimeline.compositionTime(frame), enhanced);
        } else {
            var audio = frame.track().format().audio();
            FlvTags.writeAudioHeader(header, frame.track().codec(), audio.map(a -> a.sampleRate()).orElse(44_100),
                    audio.map(a -> a.channels()).orElse(2), false);
        }
        try {
            RtmpChunkWriter.encode(alloc, fmt, csid, video ? RtmpMessage.VIDEO : RtmpMessage.AUDIO, streamId, time,
                    header, frame.content(), chunkSize, into);
        } finally {
            header.release();
        }
    }
}
