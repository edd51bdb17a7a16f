package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * A flyweight over the 11-byte FLV tag header at an index of a buffer, and the writer of
 * tag headers and back pointers (FLV v10.1 Annex E.4.1). All fields are big-endian.
 *
 * <pre>
 * offset  size  field
 *   0      1    Reserved UB[2] = 0, Filter UB[1] (1: encrypted), TagType UB[5]: 8 audio, 9 video, 18 script data
 *   1      3    DataSize UI24: the length of the tag body
 *   4      3    Timestamp UI24: the low 24 bits of the time in milliseconds
 *   7      1    TimestampExtended UI8: the high 8 bits, making a 32-bit time
 *   8      3    StreamID UI24, always 0
 * </pre>
 *
 * Each tag is followed by PreviousTagSize UI32 = {@value #SIZE} + DataSize.
 *
 * <p>A flyweight is not thread-safe and does not own the buffer it wraps: the caller keeps
 * the buffer alive and re-wraps it to read another header.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">FLV v10.1 Annex E.4.1 FLV Tag</a>
 */
public final class FlvTagHeader {

    /** Length of a tag header. */
    public static final int SIZE = 11;

    /** Length of the PreviousTagSize back pointer after each tag. */
    public static final int PREVIOUS_TAG_SIZE_LENGTH = 4;

    /** Offset of the byte holding the filter bit and TagType. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of DataSize UI24. */
    public static final int DATA_SIZE_OFFSET = 1;
    /** Offset of Timestamp UI24. */
    public static final int TIMESTAMP_OFFSET = 4;
    /** Offset of TimestampExtended UI8. */
    public static final int TIMESTAMP_EXTENDED_OFFSET = 7;
    /** Offset of StreamID UI24. */
    public static final int STREAM_ID_OFFSET = 8;

    /** TagType of audio, whose body is an RTMP audio message payload. */
    public static final int TYPE_AUDIO = 8;
    /** TagType of video, whose body is an RTMP video message payload. */
    public static final int TYPE_VIDEO = 9;
    /** TagType of script data (AMF0, for example {@code onMetaData}). */
    public static final int TYPE_SCRIPT = 18;

    /** Mask of the Filter bit: the body is encrypted. */
    public static final int FILTER_MASK = 0x20;
    /** Mask of TagType in the first byte. */
    public static final int TYPE_MASK = 0x1f;

    /** Largest DataSize a UI24 holds. */
    public static final int MAX_DATA_SIZE = 0xffffff;

    /** Largest timestamp the 32 bits of Timestamp and TimestampExtended hold, in milliseconds. */
    public static final long MAX_TIMESTAMP = 0xffffffffL;

    private ByteBuf buf;
    private int index;

    /** Creates a flyweight that wraps nothing yet; call {@link #wrap(ByteBuf, int)}. */
    public FlvTagHeader() {
    }

    /**
     * Points this flyweight at the {@value #SIZE} bytes from {@code index}.
     *
     * @param buf the buffer, borrowed
     * @param index the absolute index of the first header byte
     * @return this flyweight
     * @throws IndexOutOfBoundsException when fewer than {@value #SIZE} bytes lie between {@code index} and the writer index
     */
    public FlvTagHeader wrap(ByteBuf buf, int index) {
        Objects.requireNonNull(buf, "buf");
        if (index < 0 || index > buf.writerIndex() - SIZE) {
            throw new IndexOutOfBoundsException("FLV tag header at " + index + " needs " + SIZE
                    + " bytes, buffer has " + buf.writerIndex());
        }
        this.buf = buf;
        this.index = index;
        return this;
    }

    /**
     * Returns TagType, without the filter and reserved bits.
     *
     * @return 8 (audio), 9 (video), 18 (script data) or another value for an unknown tag
     */
    public int tagType() {
        return buf.getUnsignedByte(index + TYPE_OFFSET) & TYPE_MASK;
    }

    /**
     * Returns the Filter bit.
     *
     * @return whether the tag body is encrypted (FLV Annex F)
     */
    public boolean filtered() {
        return (buf.getUnsignedByte(index + TYPE_OFFSET) & FILTER_MASK) != 0;
    }

    /**
     * Returns DataSize.
     *
     * @return the length of the tag body in bytes, 0 to {@value #MAX_DATA_SIZE}
     */
    public int dataSize() {
        return buf.getUnsignedMedium(index + DATA_SIZE_OFFSET);
    }

    /**
     * Returns the timestamp: TimestampExtended as the high 8 bits over Timestamp's 24.
     *
     * @return milliseconds, 0 to {@value #MAX_TIMESTAMP}
     */
    public long timestamp() {
        return (long) buf.getUnsignedByte(index + TIMESTAMP_EXTENDED_OFFSET) << 24
                | buf.getUnsignedMedium(index + TIMESTAMP_OFFSET);
    }

    /**
     * Returns StreamID.
     *
     * @return 0 in a well-formed file
     */
    public int streamId() {
        return buf.getUnsignedMedium(index + STREAM_ID_OFFSET);
    }

    /**
     * Writes a tag header with StreamID 0.
     *
     * <p>Timestamps from 2<sup>24</sup> ms (about 4.7 hours) put their high byte in
     * TimestampExtended. Timestamps past {@value #MAX_TIMESTAMP} ms (49.7 days) wrap modulo
     * 2<sup>32</sup>, as RTMP timestamps do; players of such long streams handle the wrap.
     *
     * @param out where to write {@value #SIZE} bytes
     * @param type {@link #TYPE_AUDIO}, {@link #TYPE_VIDEO} or {@link #TYPE_SCRIPT}
     * @param dataSize the length of the body that follows, 0 to {@value #MAX_DATA_SIZE}
     * @param timestampMs the tag time in milliseconds, not negative
     * @throws IllegalArgumentException when the type is not one of the three, the size does
     *     not fit a UI24 or the timestamp is negative
     */
    public static void write(ByteBuf out, int type, int dataSize, long timestampMs) {
        if (type != TYPE_AUDIO && type != TYPE_VIDEO && type != TYPE_SCRIPT) {
            throw new IllegalArgumentException("FLV TagType " + type + " is not 8, 9 or 18");
        }
        if (dataSize < 0 || dataSize > MAX_DATA_SIZE) {
            throw new IllegalArgumentException("FLV DataSize " + dataSize + " is outside 0 to " + MAX_DATA_SIZE);
        }
        if (timestampMs < 0) {
            throw new IllegalArgumentException("FLV timestamp " + timestampMs + " ms is negative");
        }
        out.writeByte(type);
        out.writeMedium(dataSize);
        out.writeMedium((int) timestampMs & 0xffffff);
        out.writeByte((int) (timestampMs >>> 24) & 0xff);
        out.writeMedium(0);
    }

    /**
     * Writes the PreviousTagSize that follows a tag: {@value #SIZE} + {@code dataSize}.
     *
     * @param out where to write {@value #PREVIOUS_TAG_SIZE_LENGTH} bytes
     * @param dataSize the DataSize of the tag just written, 0 to {@value #MAX_DATA_SIZE}
     * @throws IllegalArgumentException when the size does not fit a UI24
     */
    public static void writePreviousTagSize(ByteBuf out, int dataSize) {
        if (dataSize < 0 || dataSize > MAX_DATA_SIZE) {
            throw new IllegalArgumentException("FLV DataSize " + dataSize + " is outside 0 to " + MAX_DATA_SIZE);
        }
        out.writeInt(SIZE + dataSize);
    }

    @Override
    public String toString() {
        return buf == null ? "FlvTagHeader(unwrapped)" : "FlvTagHeader(type " + tagType() + ", size " + dataSize()
                + ", time " + timestamp() + (filtered() ? ", filtered" : "") + ")";
    }
}
