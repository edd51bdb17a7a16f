package io.streamkit.server.players;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tags of an FLV file (FLV spec v10.1, annex E), for the raw RTMP publisher and for
 * cutting a capture at its last whole tag.
 *
 * <p>A tag whose body runs past the end of the bytes ends the list: a capture stopped
 * mid-tag is not an error of the stream. Tag sizes come from the file: each is checked against
 * what is left, so a bad file ends the list rather than reading past it.
 */
public final class FlvTags {
    /** FLV tag type of audio. */
    public static final int AUDIO = 8;
    /** FLV tag type of video. */
    public static final int VIDEO = 9;
    /** FLV tag type of script data (onMetaData). */
    public static final int SCRIPT = 18;

    private static final int HEADER = 9;
    private static final int TAG_HEADER = 11;
    private static final int BACK_POINTER = 4;

    private FlvTags() {
    }

    /**
     * One tag.
     *
     * @param type {@link #AUDIO}, {@link #VIDEO} or {@link #SCRIPT}
     * @param timestamp its time in milliseconds (the extended byte included)
     * @param body its body
     * @param end the offset just past it and its back pointer in the file
     */
    public record Tag(int type, long timestamp, byte[] body, int end) {
        /**
         * Tells whether this is a codec configuration (AVC sequence header or AAC
         * AudioSpecificConfig) rather than a frame.
         *
         * @return whether it is a sequence header
         */
        public boolean sequenceHeader() {
            if (type == VIDEO) {
                return body.length > 1 && (body[0] & 0x0F) == 7 && body[1] == 0;
            }
            return type == AUDIO && body.length > 1 && ((body[0] & 0xF0) >> 4) == 10 && body[1] == 0;
        }
    }

    /**
     * Reads the whole tags of an FLV file.
     *
     * @param flv the file's bytes, from its header on
     * @return its tags in order, up to the last whole one
     * @throws IllegalArgumentException when the bytes do not start with an FLV header
     */
    public static List<Tag> read(byte[] flv) {
        if (flv.length < HEADER + BACK_POINTER || flv[0] != 'F' || flv[1] != 'L' || flv[2] != 'V') {
            throw new IllegalArgumentException("not an FLV file (" + flv.length + " bytes)");
        }
        int offset = (int) Math.min(Integer.MAX_VALUE, u32(flv, 5)) + BACK_POINTER;
        List<Tag> tags = new ArrayList<>();
        while (offset >= 0 && offset + TAG_HEADER <= flv.length) {
            int type = flv[offset] & 0x1F;
            int size = (int) u24(flv, offset + 1);
            long timestamp = u24(flv, offset + 4) | (long) (flv[offset + 7] & 0xFF) << 24;
            int end = offset + TAG_HEADER + size + BACK_POINTER;
            if (end > flv.length) {
                break;
            }
            byte[] body = new byte[size];
            System.arraycopy(flv, offset + TAG_HEADER, body, 0, size);
            tags.add(new Tag(type, timestamp, body, end));
            offset = end;
        }
        return tags;
    }

    private static long u24(byte[] b, int at) {
        return (b[at] & 0xFFL) << 16 | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL);
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | u24(b, at + 1);
    }
}
