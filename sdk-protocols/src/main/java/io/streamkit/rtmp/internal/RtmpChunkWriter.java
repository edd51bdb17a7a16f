package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.streamkit.server.internal.SharedEncoding;

/**
 * Splits one RTMP message into chunks (RTMP spec 5.3): a type-0 header, then type-3 headers
 * for the continuations, the extended timestamp repeated on each when the timestamp needs it.
 *
 * <p>Because only type-0 and type-3 headers are written, the result depends on nothing but
 * the message and the chunk size: it can be built once and written to every player.
 * Payload bytes are not copied when the payload is larger than {@value #COPY_THRESHOLD} bytes:
 * the result is then a composite of small header buffers and slices of the payload.
 */
final class RtmpChunkWriter {
    /**
     * Payloads up to this size are copied next to their header. A leaf costs every player a
     * write of its own (an outbound-buffer entry and an iovec), so copying a small body once
     * per event loop is cheaper than sharing it; an AAC frame (200-400 bytes) and the small
     * inter frames of a low-bitrate stream stay one buffer.
     */
    static final int COPY_THRESHOLD = 1024;

    private static final long EXTENDED = 0xFFFFFF;

    private RtmpChunkWriter() {
    }

    /**
     * Encodes a message.
     *
     * @param alloc where header buffers come from
     * @param csid chunk stream id, 2 to 65599
     * @param type message type id
     * @param streamId message stream id
     * @param timestamp milliseconds; only the low 32 bits are sent
     * @param payload the message body; read but not released, its reader index untouched
     * @param chunkSize the chunk size this side announced
     * @return the chunked bytes; the caller owns them
     */
    static ByteBuf encode(ByteBufAllocator alloc, int csid, int type, int streamId, long timestamp, ByteBuf payload,
                          int chunkSize) {
        if (csid < 2 || csid > 65_599) {
            throw new IllegalArgumentException("chunk stream id " + csid + " outside 2-65599");
        }
        int length = payload.readableBytes();
        if (length > RtmpChunkDecoder.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds RTMP's 24-bit length");
        }
        long ts = timestamp & 0xFFFFFFFFL;
        boolean extended = ts >= EXTENDED;
        int chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        int basic = csid < 64 ? 1 : csid < 320 ? 2 : 3;
        int firstHeader = basic + 11 + (extended ? 4 : 0);
        int contHeader = basic + (extended ? 4 : 0);

        if (length <= COPY_THRESHOLD) {
            ByteBuf out = alloc.buffer(firstHeader + (chunks - 1) * contHeader + length);
            int from = payload.readerIndex();
            for (int c = 0; c < chunks; c++) {
                writeHeader(out, c == 0, csid, type, streamId, ts, length, basic, extended);
                int n = Math.min(chunkSize, length - c * chunkSize);
                out.writeBytes(payload, from + c * chunkSize, n);
            }
            return out;
        }
        CompositeByteBuf out = alloc.compositeBuffer(chunks * 2);
        int from = payload.readerIndex();
        for (int c = 0; c < chunks; c++) {
            ByteBuf header = alloc.buffer(c == 0 ? firstHeader : contHeader);
            writeHeader(header, c == 0, csid, type, streamId, ts, length, basic, extended);
            int n = Math.min(chunkSize, length - c * chunkSize);
            out.addComponent(true, header);
            out.addComponent(true, payload.retainedSlice(from + c * chunkSize, n));
        }
        return out;
    }

    /**
     * Encodes a message whose body is a small {@code prefix} (an FLV tag header, copied) followed
     * by a {@code payload} (sliced, not copied), as leaf buffers added to {@code into}: per chunk
     * a small header buffer (the first one carrying the prefix) and a slice of the payload.
     * Nothing is a composite, so every player can be handed the leaves one by one and a native
     * transport gathers them by address. A body of at most {@value #COPY_THRESHOLD} bytes is
     * copied into one buffer: one leaf beats two.
     *
     * @param alloc where header buffers come from
     * @param csid chunk stream id, 2 to 65599
     * @param type message type id
     * @param streamId message stream id
     * @param timestamp milliseconds; only the low 32 bits are sent
     * @param prefix the first bytes of the body; read, not released
     * @param payload the rest of the body; read and sliced, not released
     * @param chunkSize the chunk size this side announced
     * @param into receives the leaves, which it then owns
     */
    static void encode(ByteBufAllocator alloc, int csid, int type, int streamId, long timestamp, ByteBuf prefix,
                       ByteBuf payload, int chunkSize, SharedEncoding.Parts into) {
        int prefixLength = prefix.readableBytes();
        int length = prefixLength + payload.readableBytes();
        if (prefixLength > chunkSize || length <= COPY_THRESHOLD || length > RtmpChunkDecoder.MAX_CHUNK_SIZE) {
            CompositeByteBuf body = alloc.compositeBuffer(2);
            body.addComponent(true, prefix.retainedDuplicate());
            body.addComponent(true, payload.retainedDuplicate());
            try {
                ByteBuf whole = encode(alloc, csid, type, streamId, timestamp, body, chunkSize);
                if (whole instanceof CompositeByteBuf c) {   // a prefix longer than a chunk: rare, flattened
                    ByteBuf flat = alloc.buffer(c.readableBytes()).writeBytes(c);
                    c.release();
                    whole = flat;
                }
                into.add(whole);
            } finally {
                body.release();
            }
            return;
        }
        long ts = timestamp & 0xFFFFFFFFL;
        boolean extended = ts >= EXTENDED;
        int chunks = (length + chunkSize - 1) / chunkSize;
        int basic = csid < 64 ? 1 : csid < 320 ? 2 : 3;
        int from = payload.readerIndex();
        int payloadOffset = 0;
        for (int c = 0; c < chunks; c++) {
            int n = Math.min(chunkSize, length - c * chunkSize);
            ByteBuf header = alloc.buffer(basic + (c == 0 ? 11 + prefixLength : 0) + (extended ? 4 : 0));
            writeHeader(header, c == 0, csid, type, streamId, ts, length, basic, extended);
            int fromPayload = n;
            if (c == 0) {
                header.writeBytes(prefix, prefix.readerIndex(), prefixLength);
                fromPayload = n - prefixLength;
            }
            into.add(header);
            if (fromPayload > 0) {
                into.add(payload.retainedSlice(from + payloadOffset, fromPayload));
                payloadOffset += fromPayload;
            }
        }
    }

    private static void writeHeader(ByteBuf out, boolean first, int csid, int type, int streamId, long ts,
                                    int length, int basic, boolean extended) {
        int fmt = first ? 0 : 3;
        switch (basic) {
            case 1 -> out.writeByte(fmt << 6 | csid);
            case 2 -> {
                out.writeByte(fmt << 6);
                out.writeByte(csid - 64);
            }
            default -> {
                out.writeByte(fmt << 6 | 1);
                out.writeShortLE(csid - 64);
            }
        }
        if (first) {
            out.writeMedium(extended ? (int) EXTENDED : (int) ts);
            out.writeMedium(length);
            out.writeByte(type);
            out.writeIntLE(streamId);
        }
        if (extended) {
            out.writeInt((int) ts);
        }
    }
}
