package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.function.Consumer;

/**
 * Splits one RTMP message into chunks (RTMP spec 5.3): a type-0 header (absolute timestamp,
 * length, type, message stream id) or a type-1 header (timestamp delta from the previous
 * message on the chunk stream, length, type), then type-3 headers for the continuations, the
 * extended timestamp (or delta) repeated on each when it needs one (spec 5.3.1.3).
 *
 * <p>The result depends on nothing but the message, its header form, its timestamp (or delta)
 * and the chunk size, so it can be built once and written to every player that wants that
 * form. Payload bytes are not copied when the payload is larger than {@value #COPY_THRESHOLD}
 * bytes: the result is then small header buffers and slices of the payload.
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
        return encode(alloc, 0, csid, type, streamId, timestamp, payload, chunkSize);
    }

    /**
     * Encodes a message with a type-0 or a type-1 first header.
     *
     * @param alloc where header buffers come from
     * @param fmt 0 for a type-0 first header ({@code timestamp} absolute), 1 for a type-1 one
     *     ({@code timestamp} is the delta from the previous message on {@code csid}, whose message
     *     stream id this one inherits)
     * @param csid chunk stream id, 2 to 65599
     * @param type message type id
     * @param streamId message stream id; only a type-0 header carries it
     * @param timestamp milliseconds, or the delta; only the low 32 bits are sent
     * @param payload the message body; read but not released, its reader index untouched
     * @param chunkSize the chunk size this side announced
     * @return the chunked bytes; the caller owns them
     */
    static ByteBuf encode(ByteBufAllocator alloc, int fmt, int csid, int type, int streamId, long timestamp,
                          ByteBuf payload, int chunkSize) {
        if (fmt != 0 && fmt != 1) {
            throw new IllegalArgumentException("first header type " + fmt + " is not 0 or 1");
        }
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
        int firstHeader = basic + (fmt == 0 ? 11 : 7) + (extended ? 4 : 0);
        int contHeader = basic + (extended ? 4 : 0);

        if (length <= COPY_THRESHOLD) {
            ByteBuf out = alloc.buffer(firstHeader + (chunks - 1) * contHeader + length);
            int from = payload.readerIndex();
            for (int c = 0; c < chunks; c++) {
                writeHeader(out, c == 0 ? fmt : 3, csid, type, streamId, ts, length, basic, extended);
                int n = Math.min(chunkSize, length - c * chunkSize);
                out.writeBytes(payload, from + c * chunkSize, n);
            }
            return out;
        }
        CompositeByteBuf out = alloc.compositeBuffer(chunks * 2);
        int from = payload.readerIndex();
        for (int c = 0; c < chunks; c++) {
            ByteBuf header = alloc.buffer(c == 0 ? firstHeader : contHeader);
            writeHeader(header, c == 0 ? fmt : 3, csid, type, streamId, ts, length, basic, extended);
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
     * @param fmt 0 for a type-0 first header, 1 for a type-1 one (see {@link #encode(ByteBufAllocator,
     *     int, int, int, int, long, ByteBuf, int)})
     * @param csid chunk stream id, 2 to 65599
     * @param type message type id
     * @param streamId message stream id; only a type-0 header carries it
     * @param timestamp milliseconds, or the delta for a type-1 header; only the low 32 bits are sent
     * @param prefix the first bytes of the body; read, not released
     * @param payload the rest of the body; read and sliced, not released
     * @param chunkSize the chunk size this side announced
     * @param into receives the leaves, which it then owns
     */
    static void encode(ByteBufAllocator alloc, int fmt, int csid, int type, int streamId, long timestamp,
                       ByteBuf prefix, ByteBuf payload, int chunkSize, Consumer<ByteBuf> into) {
        int prefixLength = prefix.readableBytes();
        int length = prefixLength + payload.readableBytes();
        if (prefixLength > chunkSize || length <= COPY_THRESHOLD || length > RtmpChunkDecoder.MAX_CHUNK_SIZE) {
            CompositeByteBuf body = alloc.compositeBuffer(2);
            body.addComponent(true, prefix.retainedDuplicate());
            body.addComponent(true, payload.retainedDuplicate());
            try {
                ByteBuf whole = encode(alloc, fmt, csid, type, streamId, timestamp, body, chunkSize);
                if (whole instanceof CompositeByteBuf c) {   // a prefix longer than a chunk: rare, flattened
                    ByteBuf flat = alloc.buffer(c.readableBytes()).writeBytes(c);
                    c.release();
                    whole = flat;
                }
                into.accept(whole);
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
            ByteBuf header = alloc.buffer(basic + (c == 0 ? (fmt == 0 ? 11 : 7) + prefixLength : 0) + (extended ? 4 : 0));
            writeHeader(header, c == 0 ? fmt : 3, csid, type, streamId, ts, length, basic, extended);
            int fromPayload = n;
            if (c == 0) {
                header.writeBytes(prefix, prefix.readerIndex(), prefixLength);
                fromPayload = n - prefixLength;
            }
            into.accept(header);
            if (fromPayload > 0) {
                into.accept(payload.retainedSlice(from + payloadOffset, fromPayload));
                payloadOffset += fromPayload;
            }
        }
    }

    private static void writeHeader(ByteBuf out, int fmt, int csid, int type, int streamId, long ts,
                                    int length, int basic, boolean extended) {
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
        if (fmt <= 1) {
            out.writeMedium(extended ? (int) EXTENDED : (int) ts);
            out.writeMedium(length);
            out.writeByte(type);
            if (fmt == 0) {
                out.writeIntLE(streamId);
            }
        }
        if (extended) {
            out.writeInt((int) ts);
        }
    }
}
