package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.rtmp.RtmpProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the body of an aggregate message (type 22) into its sub-messages (RTMP spec 7.1.6).
 *
 * <p>The body is a sequence of FLV tags, each an 11-byte header ({@link FlvTagHeader}: type,
 * 24-bit data size, 24-bit timestamp and 8 extended bits, 24-bit stream id), the data, and a
 * 4-byte back pointer holding 11 + the data size. A sub-message's timestamp is the aggregate's
 * plus its tag's offset from the first tag's timestamp, modulo 2<sup>32</sup> as RTMP
 * timestamps are (what nginx-rtmp and ffmpeg compute); its message stream is the aggregate's,
 * which overrides the tags' stream ids (spec 7.1.6).
 *
 * <table>
 *   <caption>What is checked</caption>
 *   <tr><th>what</th><th>rule</th><th>otherwise</th></tr>
 *   <tr><td>tag type</td><td>the whole first byte is 8 (audio), 9 (video) or 18 (AMF0 data):
 *       no filter bit, no nested aggregate</td><td>{@link RtmpProtocolException} naming the byte</td></tr>
 *   <tr><td>header</td><td>{@value FlvTagHeader#SIZE} bytes left</td><td>{@link RtmpProtocolException}
 *       naming what is left</td></tr>
 *   <tr><td>data size</td><td>fits in the body with the 4-byte back pointer after it</td>
 *       <td>{@link RtmpProtocolException} naming the size and what is left</td></tr>
 *   <tr><td>back pointer</td><td>equals {@value FlvTagHeader#SIZE} + data size</td>
 *       <td>{@link RtmpProtocolException} naming both</td></tr>
 *   <tr><td>sub-messages</td><td>as many as fit: each takes at least {@value #MIN_TAG_LENGTH}
 *       bytes, so the message size limit bounds their number; an empty body has none</td><td></td></tr>
 * </table>
 * Every step consumes at least {@value #MIN_TAG_LENGTH} bytes or throws, so the loop ends
 * on any input. The whole body is checked before anything is returned: a bad aggregate
 * delivers none of its sub-messages.
 *
 * <p>A pure function over the bytes (no connection, no state), so it can be fuzzed alone.
 */
final class RtmpAggregate {
    /** Fewest bytes one sub-message takes: its header and its back pointer, with no data. */
    static final int MIN_TAG_LENGTH = FlvTagHeader.SIZE + FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH;

    private static final long TIMESTAMP_MASK = 0xffffffffL;

    private RtmpAggregate() {
    }

    /**
     * One sub-message.
     *
     * @param type {@link RtmpMessage#AUDIO}, {@link RtmpMessage#VIDEO} or {@link RtmpMessage#DATA_AMF0}
     *     (the FLV tag types are the RTMP message types)
     * @param timestamp its time in milliseconds, 32 bits unsigned
     * @param payload its data: a slice of the aggregate's body, without a reference of its own
     */
    record SubMessage(int type, long timestamp, ByteBuf payload) {
    }

    /**
     * Splits an aggregate body between its reader and writer indexes, moving neither.
     *
     * @param body the aggregate's payload, borrowed: the payloads returned are slices of it and
     *     are valid as long as it is
     * @param timestamp the aggregate message's timestamp in milliseconds
     * @return the sub-messages in order; empty for an empty body
     * @throws RtmpProtocolException when a tag breaks a rule above; the message names the tag,
     *     its offset in the body and the offending value
     */
    static List<SubMessage> split(ByteBuf body, long timestamp) {
        int start = body.readerIndex();
        int end = body.writerIndex();
        List<SubMessage> out = new ArrayList<>();
        FlvTagHeader header = new FlvTagHeader();
        long first = 0;
        for (int pos = start; pos < end; ) {
            int left = end - pos;
            if (left < FlvTagHeader.SIZE) {
                throw error(out.size(), pos - start, end - start, "needs a " + FlvTagHeader.SIZE
                        + "-byte tag header, " + left + " byte" + (left == 1 ? "" : "s") + " left");
            }
            int type = body.getUnsignedByte(pos);
            if (type != RtmpMessage.AUDIO && type != RtmpMessage.VIDEO && type != RtmpMessage.DATA_AMF0) {
                throw error(out.size(), pos - start, end - start, "unknown tag type " + type
                        + " (audio 8, video 9 and data 18 may be aggregated)");
            }
            header.wrap(body, pos);
            int size = header.dataSize();
            if (size > left - MIN_TAG_LENGTH) {
                throw error(out.size(), pos - start, end - start, "data size " + size + " runs past the end: "
                        + (left - FlvTagHeader.SIZE) + " bytes left for the data and its 4-byte back pointer");
            }
            long backPointer = body.getUnsignedInt(pos + FlvTagHeader.SIZE + size);
            if (backPointer != FlvTagHeader.SIZE + size) {
                throw error(out.size(), pos - start, end - start, "back pointer " + backPointer + " is not "
                        + FlvTagHeader.SIZE + " + data size " + size + " = " + (FlvTagHeader.SIZE + size));
            }
            long tagTime = header.timestamp();
            if (out.isEmpty()) {
                first = tagTime;
            }
            out.add(new SubMessage(type, (timestamp + tagTime - first) & TIMESTAMP_MASK,
                    body.slice(pos + FlvTagHeader.SIZE, size)));
            pos += MIN_TAG_LENGTH + size;
        }
        return out;
    }

    private static RtmpProtocolException error(int tag, int offset, int length, String what) {
        return new RtmpProtocolException("aggregate message of " + length + " bytes: tag " + tag + " at offset "
                + offset + ": " + what);
    }
}
