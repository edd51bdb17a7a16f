package io.streamkit.httpflv.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.streamkit.format.amf0.Amf0EcmaArray;
import io.streamkit.format.amf0.Amf0Writer;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.format.flv.FlvTags;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.server.internal.SharedEncoding;
import io.streamkit.stream.Track;
import java.util.Map;

/**
 * Builds FLV tags, each followed by its PreviousTagSize so that a tag is self-contained and
 * the same bytes serve every player. A frame's tag is a composite of a small header buffer,
 * a slice of the frame's payload and the four size bytes; it is built once per event loop and
 * shared, as retained duplicates, by that loop's players (ARCHITECTURE.md rule 2).
 */
final class FlvTagEncoder {
    private static final SharedEncoding CACHE = new SharedEncoding(FlvTagEncoder::buildFrameTag);
    private static final FlvTagEncoder INSTANCE = new FlvTagEncoder();

    private FlvTagEncoder() {
    }

    static FlvTagEncoder forThisLoop() {
        return INSTANCE;
    }

    /** The frame's tag, shared with the loop's other players; the caller owns what it gets. */
    ByteBuf frameTag(ByteBufAllocator alloc, MediaFrame frame, boolean enhanced) {
        return CACHE.encode(alloc, frame, enhanced ? 1 : 0);
    }

    private static ByteBuf buildFrameTag(ByteBufAllocator alloc, MediaFrame frame, long variant) {
        return buildFrameTag(alloc, frame, variant != 0);
    }

    private static ByteBuf buildFrameTag(ByteBufAllocator alloc, MediaFrame frame, boolean enhanced) {
        boolean video = frame.track().type() == MediaType.VIDEO;
        ByteBuf header = alloc.buffer(FlvTagHeader.SIZE + FlvTags.MAX_VIDEO_HEADER_LENGTH);
        header.writerIndex(FlvTagHeader.SIZE);
        int bodyHeader;
        if (video) {
            bodyHeader = FlvTags.writeVideoHeader(header, frame.track().codec(), frame.keyframe(),
                    (int) ((frame.pts() - frame.dts()) / 1000), enhanced);
        } else {
            var audio = frame.track().format().audio();
            bodyHeader = FlvTags.writeAudioHeader(header, frame.track().codec(), audio.map(a -> a.sampleRate()).orElse(44_100),
                    audio.map(a -> a.channels()).orElse(2), false);
        }
        int dataSize = bodyHeader + frame.content().readableBytes();
        int end = header.writerIndex();
        header.writerIndex(0);
        FlvTagHeader.write(header, video ? FlvTagHeader.TYPE_VIDEO : FlvTagHeader.TYPE_AUDIO, dataSize, frame.dts() / 1000);
        header.writerIndex(end);
        ByteBuf size = alloc.buffer(4);
        FlvTagHeader.writePreviousTagSize(size, dataSize);
        CompositeByteBuf tag = alloc.compositeBuffer(3);
        tag.addComponent(true, header);
        tag.addComponent(true, frame.content().retainedSlice());
        tag.addComponent(true, size);
        return tag;
    }

    /** A track's sequence header as a tag, or {@code null} when the codec has no configuration record. */
    static ByteBuf configTag(ByteBufAllocator alloc, Track track, boolean enhanced) {
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
        return tag(alloc, track.type() == MediaType.VIDEO ? FlvTagHeader.TYPE_VIDEO : FlvTagHeader.TYPE_AUDIO, 0, body);
    }

    /** The {@code onMetaData} script tag. */
    static ByteBuf metadataTag(ByteBufAllocator alloc, Map<String, Object> metadata) {
        Amf0EcmaArray array = new Amf0EcmaArray();
        array.putAll(metadata);
        ByteBuf body = alloc.buffer(256);
        try {
            Amf0Writer.writeAll(body, "onMetaData", array);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        return tag(alloc, FlvTagHeader.TYPE_SCRIPT, 0, body);
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
