package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import io.streamkit.rtmp.RtmpProtocolException;
import io.streamkit.server.internal.ConnectionGate;
import io.streamkit.server.internal.MemoryBudget;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Reassembles RTMP messages from the chunk stream (RTMP spec 5.3): basic headers of one to
 * three bytes, message headers of types 0 to 3, extended timestamps, and the peer's chunk
 * size.
 *
 * <p>A state machine over bytes: a chunk is consumed only when it is complete (header and
 * payload), so a partial chunk simply waits for more bytes. Payloads are sliced or gathered once (see the
 * package comment). Set Chunk Size and Abort take effect here, before the next chunk is read.
 *
 * <p>Memory grows only with bytes received: a message over several chunks is gathered into a
 * buffer that starts at its first chunk's size and grows as the next chunks arrive (to at most
 * twice what has arrived), never into one of the length the peer declared; and what such buffers
 * hold (their capacity), and the buffer in which a chunk that has partly arrived waits, is
 * reserved in the server's {@link MemoryBudget} (this connection's, its address's and the
 * server's shares) before it is allocated and until its message completes. A header that
 * declares 8 MiB and is followed by one chunk holds that chunk, not 8 MiB.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>default</th><th>on breach</th></tr>
 *   <tr><td>message size</td><td>{@value #DEFAULT_MAX_MESSAGE_SIZE} bytes, configurable</td><td>protocol error</td></tr>
 *   <tr><td>bytes of unfinished messages, all chunk streams together</td><td>twice the message size limit</td><td>protocol error</td></tr>
 *   <tr><td>bytes of unfinished messages held by every connection of the address, and of the server</td><td>the
 *       {@link MemoryBudget}'s shares</td><td>protocol error</td></tr>
 *   <tr><td>chunk streams in use</td><td>{@value #DEFAULT_MAX_CHUNK_STREAMS}, configurable</td><td>protocol error</td></tr>
 *   <tr><td>peer chunk size</td><td>1 to {@value #MAX_CHUNK_SIZE}</td><td>protocol error</td></tr>
 * </table>
 * After an error the decoder discards everything it is given; the handler closes the connection.
 */
final class RtmpChunkDecoder extends ByteToMessageDecoder {
    /** The chunk size every RTMP peer starts with (RTMP spec 5.4.1). */
    static final int INITIAL_CHUNK_SIZE = 128;
    /** Largest useful chunk size: a message length is 24 bits, so no chunk can carry more. */
    static final int MAX_CHUNK_SIZE = 0xFFFFFF;
    /** Largest message by default: a 4K keyframe at a high bitrate, with room to spare. */
    static final int DEFAULT_MAX_MESSAGE_SIZE = 8 << 20;
    /** Chunk streams by default: encoders use a handful (OBS and ffmpeg use 2 to 8). */
    static final int DEFAULT_MAX_CHUNK_STREAMS = 64;

    private static final int EXTENDED = 0xFFFFFF;
    /** The largest chunk header: basic header 3, message header 11, extended timestamp 4. */
    private static final int MAX_CHUNK_HEADER = 18;

    private final int maxMessageSize;
    private final int maxChunkStreams;
    private final long maxPendingBytes;
    private final MemoryBudget budget;
    private MemoryBudget.Account account;
    private final IntObjectHashMap<ChunkStream> streams = new IntObjectHashMap<>();
    private int chunkSize = INITIAL_CHUNK_SIZE;
    private long pendingBytes;
    /** Bytes of a partial chunk waiting in the cumulation, reserved in the budget. */
    private int waiting;
    private long bytesRead;
    private boolean failed;

    RtmpChunkDecoder(int maxMessageSize, int maxChunkStreams) {
        this(maxMessageSize, maxChunkStreams, MemoryBudget.unlimited());
    }

    /**
     * @param maxMessageSize largest message
     * @param maxChunkStreams chunk streams in use at once
     * @param budget where gathered bytes are reserved; this connection's share is four times the
     *     message limit: two unfinished messages and the buffer of a chunk still arriving, which
     *     grows in steps up to twice the message limit
     */
    RtmpChunkDecoder(int maxMessageSize, int maxChunkStreams, MemoryBudget budget) {
        if (maxMessageSize < 1 || maxMessageSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " outside 1-" + MAX_CHUNK_SIZE);
        }
        if (maxChunkStreams < 1 || maxChunkStreams > 65_599) {
            throw new IllegalArgumentException("maxChunkStreams " + maxChunkStreams + " outside 1-65599");
        }
        this.maxMessageSize = maxMessageSize;
        this.maxChunkStreams = maxChunkStreams;
        this.maxPendingBytes = 2L * maxMessageSize;
        this.budget = budget;
    }

    RtmpChunkDecoder() {
        this(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_CHUNK_STREAMS);
    }

    /** Bytes consumed so far, for the acknowledgement window (RTMP spec 5.4.3). */
    long bytesRead() {
        return bytesRead;
    }

    /** The peer's current chunk size. */
    int chunkSize() {
        return chunkSize;
    }

    /**
     * Stops decoding for good: what has been read and what comes is dropped, what was gathered
     * is released. The connection handler calls it when it closes the connection for an error,
     * so that nothing read after the error is acted on.
     */
    void stop() {
        failed = true;
        releasePartials();
    }

    /** Bytes gathered in unfinished messages now, for tests. */
    long heldBytes() {
        return account == null ? 0 : account.held();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (in.isReadable()) {
                int start = in.readerIndex();
                if (!readChunk(ctx, in, out)) {
                    break;
                }
                bytesRead += in.readerIndex() - start;
            }
            holdWaiting(ctx, in.isReadable() ? in.capacity() : 0);
        } catch (RtmpProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            releasePartials();
            throw e;
        }
    }

    /**
     * Reserves or gives back the budget for the buffer in which a chunk that has partly arrived
     * waits (one chunk can be as large as the peer's chunk size): its capacity, which is what it
     * holds, up to twice what arrived as it grows by doubling.
     */
    private void holdWaiting(ChannelHandlerContext ctx, int waiting) {
        if (waiting == this.waiting) {
            return;
        }
        MemoryBudget.Account a = account(ctx);
        if (waiting > this.waiting) {
            if (!a.reserve(waiting - this.waiting)) {
                throw new RtmpProtocolException(a.refusal());
            }
        } else {
            a.release(this.waiting - waiting);
        }
        this.waiting = waiting;
    }

    /**
     * The connection publishes with the application's approval: one message in progress, up to
     * the message limit, is no longer refused because the server's share of the budget is full
     * (attackers that filled it are refused instead). Event loop only.
     *
     * @param ctx the decoder's context
     */
    void publishing(ChannelHandlerContext ctx) {
        account(ctx).guarantee(maxMessageSize + MAX_CHUNK_HEADER + (long) chunkSize);
    }

    private MemoryBudget.Account account(ChannelHandlerContext ctx) {
        if (account == null) {
            account = budget.open(ConnectionGate.clientAddress(ctx.channel()) instanceof InetSocketAddress a
                    ? a.getAddress() : null, maxPendingBytes + 2L * maxMessageSize + MAX_CHUNK_HEADER);
        }
        return account;
    }

    /** Reads one whole chunk, or nothing when it has not fully arrived. */
    private boolean readChunk(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        int b0 = in.getUnsignedByte(i);
        int fmt = b0 >>> 6;
        int csid = b0 & 0x3f;
        int pos = i + 1;
        if (csid == 0) {
            if (end - pos < 1) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos);
            pos += 1;
        } else if (csid == 1) {
            if (end - pos < 2) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(pos) + (in.getUnsignedByte(pos + 1) << 8);
            pos += 2;
        }
        int headerSize = fmt == 0 ? 11 : fmt == 1 ? 7 : fmt == 2 ? 3 : 0;
        if (end - pos < headerSize) {
            return false;
        }
        ChunkStream cs = streams.get(csid);
        if (cs == null && fmt >= 2) {
            throw new RtmpProtocolException("chunk stream " + csid + " starts with a type-" + fmt
                    + " header; its first chunk must carry the message length and type");
        }
        boolean newMessage = cs == null || cs.remaining == 0;
        if (!newMessage && fmt < 3) {
            throw new RtmpProtocolException("chunk stream " + csid + " sent a type-" + fmt + " header with "
                    + cs.remaining + " bytes of its previous message still missing");
        }

        long field = 0;
        int length = cs == null ? 0 : cs.length;
        int type = cs == null ? 0 : cs.type;
        int streamId = cs == null ? 0 : cs.streamId;
        if (fmt <= 2) {
            field = in.getUnsignedMedium(pos);
        }
        if (fmt <= 1) {
            length = in.getUnsignedMedium(pos + 3);
            type = in.getUnsignedByte(pos + 6);
        }
        if (fmt == 0) {
            streamId = in.getIntLE(pos + 7);
        }
        pos += headerSize;

        boolean extended = fmt <= 2 ? field == EXTENDED : cs.extended;
        if (fmt == 3) {
            field = cs.field;   // a type-3 header repeats the previous timestamp field (delta)
        }
        if (extended) {
            if (fmt <= 2 || newMessage) {
                if (end - pos < 4) {
                    return false;
                }
                field = in.getUnsignedInt(pos);
                pos += 4;
            } else {
                // Continuation: the spec repeats the extended timestamp, older encoders do not.
                if (end - pos < 4) {
                    return false;
                }
                if (in.getUnsignedInt(pos) == cs.extendedValue) {
                    pos += 4;
                }
            }
        }

        if (newMessage) {
            if (length > maxMessageSize) {
                throw new RtmpProtocolException("message of " + length + " bytes on chunk stream " + csid
                        + " exceeds the limit of " + maxMessageSize);
            }
            if (pendingBytes + length > maxPendingBytes) {
                throw new RtmpProtocolException("unfinished messages would hold " + (pendingBytes + length)
                        + " bytes, more than the limit of " + maxPendingBytes);
            }
        }
        int remaining = newMessage ? length : cs.remaining;
        int n = Math.min(chunkSize, remaining);
        if (end - pos < n) {
            return false;
        }

        // The whole chunk is here: apply it.
        if (cs == null) {
            if (streams.size() >= maxChunkStreams) {
                throw new RtmpProtocolException("chunk stream " + csid + " would be stream number " + (streams.size() + 1)
                        + " on this connection, more than the limit of " + maxChunkStreams);
            }
            cs = new ChunkStream();
            streams.put(csid, cs);
        }
        if (fmt <= 2) {
            cs.extended = extended;
            cs.extendedValue = extended ? field : 0;
        }
        if (newMessage) {
            if (fmt == 0) {
                cs.timestamp = field;
            } else {
                cs.timestamp = (cs.timestamp + field) & 0xFFFFFFFFL;
            }
            cs.field = field;
            cs.length = length;
            cs.type = type;
            cs.streamId = streamId;
            cs.remaining = length;
            pendingBytes += length;
        }

        ByteBuf part;
        if (cs.payload == null && n == cs.remaining) {
            // The whole message is in this chunk: a slice of what was read, no copy.
            part = n == 0 ? Unpooled.EMPTY_BUFFER : in.retainedSlice(pos, n);
            in.readerIndex(pos + n);
            cs.remaining = 0;
            pendingBytes -= n;
        } else {
            // A message over several chunks is gathered into one buffer, so everything downstream
            // reads contiguous bytes instead of a composite of hundreds of slices.
            // Room for what has arrived; the buffer grows with the next chunks, up to the message's
            // length, and what it will hold (its capacity) is reserved before it grows.
            int capacity = cs.payload == null ? 0 : cs.payload.capacity();
            int needed = (cs.payload == null ? 0 : cs.payload.writerIndex()) + n;
            int grown = needed <= capacity ? capacity
                    : cs.payload == null ? n : ctx.alloc().calculateNewCapacity(needed, cs.length);
            if (grown > capacity) {
                if (!account(ctx).reserve(grown - capacity)) {
                    throw new RtmpProtocolException(account.refusal());
                }
                cs.reserved += grown - capacity;
            }
            if (cs.payload == null) {
                cs.payload = ctx.alloc().buffer(n, cs.length);
            } else if (grown > capacity) {
                cs.payload.capacity(grown);
            }
            cs.payload.writeBytes(in, pos, n);
            in.readerIndex(pos + n);
            cs.remaining -= n;
            pendingBytes -= n;
            if (cs.remaining > 0) {
                return true;
            }
            part = cs.payload;
            cs.payload = null;
            account.release(cs.reserved);
            cs.reserved = 0;
        }
        complete(csid, cs, part, out);
        return true;
    }

    private void complete(int csid, ChunkStream cs, ByteBuf payload, List<Object> out) {
        RtmpMessage message = new RtmpMessage(csid, cs.type, cs.streamId, cs.timestamp, payload);
        if (cs.streamId == 0 && cs.type == RtmpMessage.SET_CHUNK_SIZE) {
            if (payload.readableBytes() < 4) {
                message.release();
                throw new RtmpProtocolException("Set Chunk Size of " + payload.readableBytes() + " bytes; it needs 4");
            }
            long size = payload.getUnsignedInt(payload.readerIndex()) & 0x7FFFFFFFL;
            if (size < 1 || size > MAX_CHUNK_SIZE) {
                message.release();
                throw new RtmpProtocolException("Set Chunk Size " + size + " outside 1-" + MAX_CHUNK_SIZE);
            }
            chunkSize = (int) size;
        } else if (cs.streamId == 0 && cs.type == RtmpMessage.ABORT && payload.readableBytes() >= 4) {
            ChunkStream aborted = streams.get((int) payload.getUnsignedInt(payload.readerIndex()));
            if (aborted != null && aborted.remaining > 0) {
                pendingBytes -= aborted.remaining;
                aborted.remaining = 0;
                if (aborted.payload != null) {
                    account.release(aborted.reserved);
                    aborted.reserved = 0;
                    aborted.payload.release();
                    aborted.payload = null;
                }
            }
        }
        out.add(message);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePartials();
        if (account != null) {
            account.close();
        }
    }

    private void releasePartials() {
        for (ChunkStream cs : streams.values()) {
            if (cs.payload != null) {
                cs.payload.release();
                cs.payload = null;
            }
            cs.remaining = 0;
            cs.reserved = 0;
        }
        pendingBytes = 0;
        waiting = 0;
        if (account != null) {
            account.release(account.held());
        }
    }

    /** What the previous chunk of one chunk stream said, for the headers that omit it. */
    private static final class ChunkStream {
        long timestamp;
        long field;
        boolean extended;
        long extendedValue;
        int length;
        int type;
        int streamId;
        int remaining;
        ByteBuf payload;
        /** Budget reserved for {@link #payload}: its capacity. */
        long reserved;
    }
}
