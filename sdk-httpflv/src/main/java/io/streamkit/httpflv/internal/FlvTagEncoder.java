package io.streamkit.httpflv.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.format.amf0.Amf0EcmaArray;
import io.streamkit.format.amf0.Amf0Writer;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.server.internal.PlayerTimeline;
import io.streamkit.server.internal.SharedEncoding;
import io.streamkit.server.spi.PlayerOutput;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds FLV tags, each followed by its PreviousTagSize so that a tag is self-contained and
 * the same bytes serve every player with the same timeline. A frame's tag is built once per
 * event loop and timestamp and shared by that loop's players (ARCHITECTURE.md rule 2) as leaf
 * buffers ({@link SharedEncoding}). FLV has no relative timestamps, so players whose timelines
 * differ (they joined in different GOPs) need tags of their own: players that started at the
 * same keyframe share every tag, and a tag for another timeline costs a small header buffer
 * while the payload slice is the same memory:
 * the tag header, a slice of the frame's payload, and the four size bytes; a small frame is
 * one copied buffer. For an HTTP/1.1 player the tag is also its own HTTP chunk: the chunk's
 * size line leads the first leaf and its CRLF ends the last, so the shared bytes need no
 * per-player framing ({@link #chunkOpen}, {@link #CHUNK_END}).
 */
final class FlvTagEncoder {
    /** Frames whose tag is at most this long are copied into one buffer: one leaf beats three. */
    static final int COPY_THRESHOLD = 1024;
    /** The end of a chunked HTTP body: the last, empty chunk and no trailer. */
    static final byte[] CHUNK_END = {'0', '\r', '\n', '\r', '\n'};

    /** The shared forms of FLV tags, which every FLV player's output is opened with. */
    static final SharedEncoding CACHE = new SharedEncoding(FlvTagEncoder::buildFrameTag);
    private static final FlvTagEncoder INSTANCE = new FlvTagEncoder();
    private static final int ENHANCED = 1;
    private static final int CHUNKED = 2;
    private static final int WEBSOCKET = 4;
    /** Longest header of a server's WebSocket frame: opcode, 127 and a 64-bit length (RFC 6455 5.2). */
    static final int MAX_WEBSOCKET_HEADER = 10;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Longest chunk-size line: eight hex digits and CRLF. */
    private static final int MAX_CHUNK_OPEN = 10;

    private FlvTagEncoder() {
    }

    static FlvTagEncoder forThisLoop() {
        return INSTANCE;
    }

    /** Drops the tag this thread remembers; for tests that switch streams. */
    void forget() {
        CACHE.forget();
    }

    /**
     * Hands the frame's tag to a player's output, which writes it now or at the end of its batch window.
     *
     * @param out the player's output, opened with {@link #CACHE}
     * @param frame the frame, lent
     * @param timestamp the tag's timestamp on the player's timeline, in milliseconds
     * @param enhanced whether the video header takes the Enhanced RTMP form
     * @param chunked whether the tag is framed as an HTTP/1.1 chunk
     * @param webSocket whether the tag is framed as one binary WebSocket message
     * @return the tag's bytes, written or queued
     */
    int frameTag(PlayerOutput out, MediaFrame frame, long timestamp, boolean enhanced, boolean chunked,
                 boolean webSocket) {
        return out.frame(frame, (enhanced ? ENHANCED : 0) | (chunked ? CHUNKED : 0) | (webSocket ? WEBSOCKET : 0),
                timestamp);
    }

    /**
     * Writes the header of a server's binary WebSocket message of {@code length} bytes, as
     * Netty's frame encoder writes it (RFC 6455 5.2): FIN and the binary opcode, no mask, and the
     * length in 7 bits, or 126 and 16 bits, or 127 and 64 bits.
     *
     * @param out where to write
     * @param length the message's payload length
     */
    static void webSocketHeader(ByteBuf out, int length) {
        out.writeByte(0x82);
        if (length <= 125) {
            out.writeByte(length);
        } else if (length <= 0xFFFF) {
            out.writeByte(126);
            out.writeShort(length);
        } else {
            out.writeByte(127);
            out.writeLong(length);
        }
    }

    /**
     * Writes an HTTP/1.1 chunk-size line: the length in hex and CRLF (RFC 9112 7.1).
     *
     * @param out where to write
     * @param length the chunk's data length, above zero
     */
    static void chunkOpen(ByteBuf out, int length) {
        int digits = Math.max(1, (32 - Integer.numberOfLeadingZeros(length) + 3) / 4);
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.writeByte(HEX[(length >>> shift) & 0xF]);
        }
        out.writeByte('\r');
        out.writeByte('\n');
    }

    private static void buildFrameTag(ByteBufAllocator alloc, MediaFrame frame, long variant, long timestamp,
                                      Consumer<ByteBuf> into) {
        boolean enhanced = (variant & ENHANCED) != 0;
        boolean chunked = (variant & CHUNKED) != 0;
        boolean webSocket = (variant & WEBSOCKET) != 0;
        boolean video = frame.track().type() == MediaType.VIDEO;
        ByteBuf payload = frame.content();
        int payloadLength = payload.readableBytes();
        ByteBuf body = alloc.buffer(FlvTags.MAX_VIDEO_HEADER_LENGTH);
        int bodyHeader;
        try {
            if (video) {
                bodyHeader = FlvTags.writeVideoHeader(body, frame.track().codec(), frame.keyframe(),
                        PlayerTimeline.compositionTime(frame), enhanced);
            } else {
                var audio = frame.track().format().audio();
                bodyHeader = FlvTags.writeAudioHeader(body, frame.track().codec(),
                        audio.map(a -> a.sampleRate()).orElse(44_100), audio.map(a -> a.channels()).orElse(2), false);
            }
            int dataSize = bodyHeader + payloadLength;
            int tagLength = FlvTagHeader.SIZE + dataSize + 4;
            boolean copy = tagLength <= COPY_THRESHOLD;
            ByteBuf head = alloc.buffer(Math.max(MAX_CHUNK_OPEN, MAX_WEBSOCKET_HEADER) + FlvTagHeader.SIZE + bodyHeader
                    + (copy ? payloadLength + 4 + 2 : 0));
            if (chunked) {
                chunkOpen(head, tagLength);
            } else if (webSocket) {
                webSocketHeader(head, tagLength);
            }
            FlvTagHeader.write(head, video ? FlvTagHeader.TYPE_VIDEO : FlvTagHeader.TYPE_AUDIO, dataSize, timestamp);
            head.writeBytes(body, body.readerIndex(), bodyHeader);
            if (copy) {
                head.writeBytes(payload, payload.readerIndex(), payloadLength);
                FlvTagHeader.writePreviousTagSize(head, dataSize);
                if (chunked) {
                    head.writeByte('\r').writeByte('\n');
                }
                into.accept(head);
                return;
            }
            into.accept(head);
            into.accept(payload.retainedSlice());
            ByteBuf tail = alloc.buffer(6);
            FlvTagHeader.writePreviousTagSize(tail, dataSize);
            if (chunked) {
                tail.writeByte('\r').writeByte('\n');
            }
            into.accept(tail);
        } finally {
            body.release();
        }
    }

    /** A track's sequence header as a tag at a timestamp, or {@code null} when the codec has no configuration record. */
    static ByteBuf configTag(ByteBufAllocator alloc, Track track, long timestamp, boolean enhanced) {
        if (!track.format().hasConfig()) {
            return null;
        }
        ByteBuf body = alloc.buffer(FlvTags.MAX_VIDEO_HEADER_LENGTH + track.format().configLength());
        if (track.type() == MediaType.VIDEO) {
            FlvTags.writeVideoSequenceStart(body, track.codec(), enhanced);
        } else {
            var audio = track.format().audio();
            FlvTags.writeAudioHeader(body, track.codec(), audio.map(a -> a.sampleRate()).orElse(44_100),
                    audio.map(a -> a.channels()).orElse(2), true);
        }
        track.format().writeConfig(body);
        return tag(alloc, track.type() == MediaType.VIDEO ? FlvTagHeader.TYPE_VIDEO : FlvTagHeader.TYPE_AUDIO, timestamp,
                body);
    }

    /** The {@code onMetaData} script tag at a timestamp. */
    static ByteBuf metadataTag(ByteBufAllocator alloc, Map<String, Object> metadata, long timestamp) {
        Amf0EcmaArray array = new Amf0EcmaArray();
        array.putAll(metadata);
        ByteBuf body = alloc.buffer(256);
        try {
            Amf0Writer.writeAll(body, "onMetaData", array);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        return tag(alloc, FlvTagHeader.TYPE_SCRIPT, timestamp, body);
    }

    /** Wraps a body (ownership passes) as a tag with its PreviousTagSize. */
    private static ByteBuf tag(ByteBufAllocator alloc, int type, long timestampMs, ByteBuf body) {
        int dataSize = body.readableBytes();
        ByteBuf out = alloc.buffer(FlvTagHeader.SIZE + dataSize + 4);
        FlvTagHeader.write(out, type, dataSize, timestampMs);
        out.writeBytes(body);
        body.release();
        FlvTagHeader.writePreviousTagSize(out, dataSize);
        return out;
    }
}
