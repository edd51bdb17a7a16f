package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;

/**
 * The FLV file header that starts an FLV file and an HTTP-FLV response: the signature
 * "FLV", version 1, the audio and video flags and the offset of the first tag
 * (FLV v10.1 Annex E.2).
 *
 * <pre>
 * offset  size  field
 *   0      3    Signature "FLV"
 *   3      1    Version, 1
 *   4      1    TypeFlags: 0x04 audio, 0x01 video, other bits reserved 0
 *   5      4    DataOffset UI32, 9 for version 1
 *   9      4    PreviousTagSize0 UI32, 0 (the first back pointer of the body)
 * </pre>
 *
 * @param version the version byte, 1
 * @param audio whether the file declares audio tags
 * @param video whether the file declares video tags
 * @param dataOffset where the body (PreviousTagSize0) starts, {@value #SIZE} for version 1
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">FLV v10.1 Annex E.2 The FLV header</a>
 */
public record FlvHeader(int version, boolean audio, boolean video, long dataOffset) {

    /** Length of the header without PreviousTagSize0, and its DataOffset in version 1. */
    public static final int SIZE = 9;

    /** What {@link #writeTo(ByteBuf, boolean, boolean)} writes: the header and PreviousTagSize0. */
    public static final int SIZE_WITH_FIRST_TAG_SIZE = SIZE + 4;

    /** TypeFlags bit for audio tags present. */
    public static final int FLAG_AUDIO = 0x04;

    /** TypeFlags bit for video tags present. */
    public static final int FLAG_VIDEO = 0x01;

    /**
     * Largest DataOffset accepted: version 1 headers are 9 bytes; 1 KiB leaves room for a
     * future extended header while bounding the bytes a reader skips.
     */
    public static final int MAX_DATA_OFFSET = 1024;

    private static final int SIGNATURE = 0x464c56; // "FLV"
    private static final int SIGNATURE_OFFSET = 0;
    private static final int VERSION_OFFSET = 3;
    private static final int FLAGS_OFFSET = 4;
    private static final int DATA_OFFSET_OFFSET = 5;

    /**
     * Parses the first {@value #SIZE} readable bytes.
     *
     * <p>Borrows {@code buf}: reads by absolute index, never moves its reader index.
     *
     * @param buf at least {@value #SIZE} readable bytes
     * @return the header
     * @throws MediaFormatException when there are fewer than {@value #SIZE} bytes, the
     *     signature is not "FLV", the version is not 1, or DataOffset is below {@value #SIZE}
     *     or above {@value #MAX_DATA_OFFSET}
     */
    public static FlvHeader parse(ByteBuf buf) {
        int at = buf.readerIndex();
        if (buf.readableBytes() < SIZE) {
            throw new MediaFormatException("FLV header truncated: " + buf.readableBytes() + " of " + SIZE + " bytes");
        }
        int signature = buf.getUnsignedMedium(at + SIGNATURE_OFFSET);
        if (signature != SIGNATURE) {
            throw new MediaFormatException(String.format("FLV signature 0x%06x is not \"FLV\" (0x464c56)", signature));
        }
        int version = buf.getUnsignedByte(at + VERSION_OFFSET);
        if (version != 1) {
            throw new MediaFormatException("FLV version " + version + " is not 1");
        }
        int flags = buf.getUnsignedByte(at + FLAGS_OFFSET);
        long dataOffset = buf.getUnsignedInt(at + DATA_OFFSET_OFFSET);
        if (dataOffset < SIZE || dataOffset > MAX_DATA_OFFSET) {
            throw new MediaFormatException("FLV DataOffset " + dataOffset + " is outside " + SIZE + " to " + MAX_DATA_OFFSET);
        }
        return new FlvHeader(version, (flags & FLAG_AUDIO) != 0, (flags & FLAG_VIDEO) != 0, dataOffset);
    }

    /**
     * Writes a version 1 header followed by PreviousTagSize0, {@value #SIZE_WITH_FIRST_TAG_SIZE}
     * bytes: what an FLV file or HTTP-FLV response starts with, before its first tag.
     *
     * @param out where to write
     * @param audio whether the stream has audio
     * @param video whether the stream has video
     */
    public static void writeTo(ByteBuf out, boolean audio, boolean video) {
        out.writeMedium(SIGNATURE);
        out.writeByte(1);
        out.writeByte((audio ? FLAG_AUDIO : 0) | (video ? FLAG_VIDEO : 0));
        out.writeInt(SIZE);
        out.writeInt(0);
    }
}
