package io.streamkit.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.streamkit.format.flv.FlvReader;
import io.streamkit.format.flv.FlvTag;
import io.streamkit.format.flv.FlvTagHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An FLV file read whole into memory for the publisher to send in a loop: its audio, video
 * and script tags in file order, each marked with what the loop needs to know.
 *
 * <p>Looping: the file's timestamps repeat every {@link #loopMillis()}, the span from its
 * first to its last tag plus one video frame interval, so that timestamps keep rising
 * across loops. Script tags and sequence headers (decoder configurations) are sent on the
 * first pass only: the stream does not change, and a server may take a repeated header for
 * a new one. Video end-of-sequence tags are dropped: the stream does not end where the file
 * does (ffmpeg writes one last, after the last audio, so it would also go back in time).
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>what</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>file size</td><td>{@value #MAX_FILE_SIZE} bytes</td><td>{@link IOException}</td></tr>
 *   <tr><td>tag body</td><td>{@value FlvReader#DEFAULT_MAX_TAG_SIZE} bytes</td>
 *       <td>{@link io.streamkit.codec.MediaFormatException}</td></tr>
 * </table>
 *
 * <p>Tag bodies are slices of one unpooled heap buffer, never released (the collector frees
 * it); they are read with absolute indexes and may be shared between threads that way.
 */
final class FlvFile {
    /**
     * Largest file read: it is held in memory, so that pacing never waits on the disk, and
     * a load test loops a file of seconds to minutes (a 20 s 1 Mbps file is 2.5 MB).
     */
    static final long MAX_FILE_SIZE = 512L << 20;
    /** The frame interval assumed when the file has fewer than two video frames: one frame of 25 fps. */
    static final long DEFAULT_FRAME_MILLIS = 40;

    private static final int SOUND_FORMAT_AAC = 10;
    private static final int SOUND_FORMAT_EX_HEADER = 9;   // enhanced RTMP audio
    private static final byte[] ON_METADATA = "onMetaData".getBytes(StandardCharsets.US_ASCII);

    /**
     * One tag.
     *
     * @param type {@link FlvTagHeader#TYPE_AUDIO}, {@link FlvTagHeader#TYPE_VIDEO} or {@link FlvTagHeader#TYPE_SCRIPT}
     * @param timestamp the file's timestamp, milliseconds
     * @param body the tag body, read with absolute indexes only
     * @param firstLoopOnly script data or a sequence header: sent on the first pass only
     * @param codedVideoFrame a video frame carrying a picture ({@link VideoTags#isCodedFrame}): its send time is recorded
     * @param onMetaData a script tag whose first value is the string {@code onMetaData}
     */
    record Tag(int type, long timestamp, ByteBuf body, boolean firstLoopOnly, boolean codedVideoFrame,
               boolean onMetaData) {
    }

    private final List<Tag> tags;
    private final long firstTimestamp;
    private final long loopMillis;

    private FlvFile(List<Tag> tags, long firstTimestamp, long loopMillis) {
        this.tags = tags;
        this.firstTimestamp = firstTimestamp;
        this.loopMillis = loopMillis;
    }

    /**
     * Reads a file.
     *
     * @throws IOException when it cannot be read, is too large, or has no audio or video tag
     *     to send after the first pass
     * @throws io.streamkit.codec.MediaFormatException when it is not FLV
     */
    static FlvFile read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_SIZE) {
            throw new IOException(file + ": " + size + " bytes, above the limit of " + MAX_FILE_SIZE);
        }
        List<Tag> tags = new ArrayList<>();
        try (FlvReader reader = new FlvReader(UnpooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            reader.feed(Unpooled.wrappedBuffer(Files.readAllBytes(file)));
            for (FlvTag t; (t = reader.next()) != null; ) {
                Tag tag = tag(t.type(), t.timestamp(), t.body());
                if (tag != null) {
                    tags.add(tag);
                }
            }
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long lastVideo = -1;
        long frameMillis = DEFAULT_FRAME_MILLIS;
        boolean loopable = false;
        for (Tag t : tags) {
            first = Math.min(first, t.timestamp());
            last = Math.max(last, t.timestamp());
            loopable |= !t.firstLoopOnly();
            if (t.codedVideoFrame()) {
                if (lastVideo >= 0 && t.timestamp() > lastVideo) {
                    frameMillis = t.timestamp() - lastVideo;
                }
                lastVideo = t.timestamp();
            }
        }
        if (!loopable) {
            throw new IOException(file + ": no audio or video frames in " + tags.size() + " tags");
        }
        return new FlvFile(List.copyOf(tags), first, last - first + frameMillis);
    }

    private static Tag tag(int type, long timestamp, ByteBuf body) {
        int n = body.readableBytes();
        int b0 = n > 0 ? body.getUnsignedByte(body.readerIndex()) : -1;
        int b1 = n > 1 ? body.getUnsignedByte(body.readerIndex() + 1) : -1;
        return switch (type) {
            case FlvTagHeader.TYPE_VIDEO -> n == 0 || VideoTags.isEndOfSequence(b0, b1) ? null : new Tag(type, timestamp,
                    body, VideoTags.isSequenceHeader(b0, b1), VideoTags.isCodedFrame(b0, b1), false);
            case FlvTagHeader.TYPE_AUDIO -> n == 0 ? null
                    : new Tag(type, timestamp, body, isAudioConfig(b0, b1), false, false);
            case FlvTagHeader.TYPE_SCRIPT -> new Tag(type, timestamp, body, true, false, isOnMetaData(body));
            default -> null;
        };
    }

    /** AAC's AudioSpecificConfig (AACPacketType 0) or enhanced audio's SequenceStart. */
    private static boolean isAudioConfig(int b0, int b1) {
        int format = b0 >> 4;
        return format == SOUND_FORMAT_AAC ? b1 == 0 : format == SOUND_FORMAT_EX_HEADER && (b0 & 0x0F) == 0;
    }

    /** Whether the body starts with the AMF0 string (marker 2, 16-bit length) {@code onMetaData}. */
    private static boolean isOnMetaData(ByteBuf body) {
        int r = body.readerIndex();
        if (body.readableBytes() < 3 + ON_METADATA.length || body.getByte(r) != 2
                || body.getUnsignedShort(r + 1) != ON_METADATA.length) {
            return false;
        }
        for (int i = 0; i < ON_METADATA.length; i++) {
            if (body.getByte(r + 3 + i) != ON_METADATA[i]) {
                return false;
            }
        }
        return true;
    }

    /** The tags in file order. */
    List<Tag> tags() {
        return tags;
    }

    /** The lowest timestamp in the file, where pacing starts. */
    long firstTimestamp() {
        return firstTimestamp;
    }

    /** How far timestamps move on from one pass to the next: last minus first, plus one video frame interval. */
    long loopMillis() {
        return loopMillis;
    }
}
