package io.streamkit.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.streamkit.format.amf0.Amf0Reader;
import io.streamkit.format.amf0.Amf0Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The load tool's own minimal RTMP client, shared by the player and the publisher: simple
 * handshake, then connect and createStream, and from then on every chunk parsed back into
 * messages without keeping media payloads. What to do with the new stream (play or publish)
 * and with media messages is the subclass's.
 *
 * <p>Media payloads are streamed: a chunk's header is parsed once it is complete, and its
 * payload bytes are counted and skipped as they arrive, so the cumulation buffer never holds
 * more than a partial chunk header and no buffer is allocated per media message. Only the
 * first two bytes of a video message are looked at. Control and command messages (types 1
 * to 6, 20) are gathered whole, up to {@value #MAX_COMMAND_SIZE} bytes, and acted on: Set
 * Chunk Size, Window Acknowledgement Size (acknowledgements are sent at that window, RTMP
 * spec 5.4.3), ping requests, the {@code _result} of connect and createStream, {@code _error}
 * and {@code onStatus} (level {@code error} fails the connection).
 *
 * <p>Threads: every method runs on the channel's event loop, hooks included.
 *
 * @see <a href="https://rtmp.veriskope.com/pdf/rtmp_specification_1.0.pdf">RTMP spec (Adobe, 2012)</a>
 */
abstract class RtmpClientHandler extends ByteToMessageDecoder {
    /** Largest control or command message kept: far above any onStatus or _result. */
    static final int MAX_COMMAND_SIZE = 64 << 10;
    /** Chunk streams tracked: csid fits in the two-byte basic header form. */
    static final int MAX_CHUNK_STREAMS = 320;
    /**
     * Our outgoing chunk size, announced first so that every command fits in one chunk and
     * a 1 Mbps stream's frames take one to a dozen chunks.
     */
    static final int OUT_CHUNK_SIZE = 4096;
    /** Timestamps from here up go in the Extended Timestamp field (RTMP spec 5.3.1.3). */
    static final long EXTENDED_TIMESTAMP = 0xFFFFFF;

    static final int CSID_CONTROL = 2;
    static final int CSID_COMMAND = 3;

    private static final int HANDSHAKE_SIZE = 1536;
    private static final int[] MESSAGE_HEADER_SIZE = {11, 7, 3, 0};
    private static final double CONNECT_TXN = 1.0;
    private static final double CREATE_STREAM_TXN = 2.0;

    private enum State { HANDSHAKE, CHUNKS, FAILED }

    private final String app;
    private final String tcUrl;
    private final ChunkStream[] streams = new ChunkStream[MAX_CHUNK_STREAMS];
    private State state = State.HANDSHAKE;
    private int chunkSize = 128;
    private long ackWindow;
    private long lastAck;
    private long received;
    /** The chunk stream whose payload is being streamed, and how many of the chunk's bytes are left. */
    private ChunkStream current;
    private int chunkLeft;

    /** Per chunk stream state of the message being reassembled (RTMP spec 5.3.1). */
    private static final class ChunkStream {
        long timestamp;
        long delta;
        int length;
        int type;
        int remaining;
        boolean extended;
        int b0 = -1;
        int b1 = -1;
        ByteBuf gathered;
    }

    RtmpClientHandler(String app, String tcUrl) {
        this.app = app;
        this.tcUrl = tcUrl;
    }

    /** Called with the id from createStream's {@code _result}: send play or publish on it. */
    abstract void streamCreated(ChannelHandlerContext ctx, int streamId);

    /**
     * Called once for every complete message, media included, before a control or command
     * message is acted on.
     *
     * @param b0 the payload's first byte, or -1 (kept for video messages only)
     * @param b1 the payload's second byte, or -1 (kept for video messages only)
     */
    void message(int type, long timestamp, int b0, int b1) {
    }

    /** Called for an {@code onStatus} whose level is not {@code error}. */
    void status(ChannelHandlerContext ctx, String code) {
    }

    /** Called once when the connection fails: a protocol error, an error status, an exception or a close by the server. */
    abstract void failed(String reason);

    /** Called when the channel has closed, after {@link #failed} if it failed. */
    abstract void closed();

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf c0c1 = ctx.alloc().buffer(1 + HANDSHAKE_SIZE);
        c0c1.writeByte(3);
        c0c1.writeInt((int) System.currentTimeMillis());
        c0c1.writeInt(0);   // version zero: the simple handshake
        byte[] random = new byte[HANDSHAKE_SIZE - 8];
        ThreadLocalRandom.current().nextBytes(random);
        c0c1.writeBytes(random);
        ctx.writeAndFlush(c0c1);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            received += buf.readableBytes();
        }
        super.channelRead(ctx, msg);
        if (ackWindow > 0 && received - lastAck >= ackWindow) {
            lastAck = received;
            ByteBuf ack = ctx.alloc().buffer(16);
            writeHeader(ack, CSID_CONTROL, 3, 4, 0);
            ack.writeInt((int) received);
            ctx.writeAndFlush(ack);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case HANDSHAKE -> handshake(ctx, in);
            case CHUNKS -> chunks(ctx, in);
            case FAILED -> in.skipBytes(in.readableBytes());
        }
    }

    private void handshake(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < 1 + 2 * HANDSHAKE_SIZE) {
            return;
        }
        int version = in.readUnsignedByte();
        if (version != 3) {
            fail(ctx, "handshake: S0 version " + version);
            return;
        }
        ByteBuf c2 = ctx.alloc().buffer(HANDSHAKE_SIZE);
        c2.writeBytes(in, HANDSHAKE_SIZE);   // C2 echoes S1
        in.skipBytes(HANDSHAKE_SIZE);          // S2
        ctx.write(c2);
        ByteBuf setChunkSize = ctx.alloc().buffer(16);
        writeHeader(setChunkSize, CSID_CONTROL, 1, 4, 0);
        setChunkSize.writeInt(OUT_CHUNK_SIZE);
        ctx.write(setChunkSize);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("app", app);
        args.put("flashVer", "LNX 9,0,124,2");
        args.put("tcUrl", tcUrl);
        args.put("fpad", Boolean.FALSE);
        args.put("capabilities", 15.0);
        args.put("audioCodecs", 4071.0);
        args.put("videoCodecs", 252.0);
        args.put("videoFunction", 1.0);
        command(ctx, 0, "connect", CONNECT_TXN, args);
        ctx.flush();
        state = State.CHUNKS;
    }

    private void chunks(ChannelHandlerContext ctx, ByteBuf in) {
        while (state == State.CHUNKS) {
            if (current != null) {
                if (!payload(ctx, in)) {
                    return;
                }
            } else if (!header(ctx, in)) {
                return;
            }
        }
    }

    /** Parses one complete chunk header, or returns false leaving {@code in} untouched. */
    private boolean header(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int avail = in.readableBytes();
        if (avail < 1) {
            return false;
        }
        int b0 = in.getUnsignedByte(start);
        int fmt = b0 >> 6;
        int csid = b0 & 0x3F;
        int pos = 1;
        if (csid == 0) {
            if (avail < 2) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(start + 1);
            pos = 2;
        } else if (csid == 1) {
            if (avail < 3) {
                return false;
            }
            csid = 64 + in.getUnsignedByte(start + 1) + (in.getUnsignedByte(start + 2) << 8);
            pos = 3;
        }
        if (csid >= MAX_CHUNK_STREAMS) {
            fail(ctx, "chunk stream id " + csid + " above " + MAX_CHUNK_STREAMS);
            return false;
        }
        int headerSize = pos + MESSAGE_HEADER_SIZE[fmt];
        if (avail < headerSize) {
            return false;
        }
        ChunkStream cs = streams[csid];
        if (cs == null) {
            if (fmt != 0) {
                fail(ctx, "chunk stream " + csid + " starts with format " + fmt);
                return false;
            }
            cs = streams[csid] = new ChunkStream();
        }
        long field = fmt <= 2 ? in.getUnsignedMedium(start + pos) : 0;
        boolean extended = fmt <= 2 ? field == EXTENDED_TIMESTAMP : cs.extended;
        if (extended) {
            if (avail < headerSize + 4) {
                return false;
            }
            if (fmt <= 2) {
                field = in.getUnsignedInt(start + headerSize);
            }
            headerSize += 4;
        }
        if (cs.remaining > 0) {
            if (fmt != 3) {
                fail(ctx, "format " + fmt + " chunk inside a message on chunk stream " + csid);
                return false;
            }
        } else {
            if (fmt <= 1) {
                cs.length = in.getUnsignedMedium(start + pos + 3);
                cs.type = in.getUnsignedByte(start + pos + 6);
            }
            if (fmt == 0) {
                cs.timestamp = field;
                cs.delta = 0;
            } else if (fmt <= 2) {
                cs.delta = field;
                cs.timestamp = (cs.timestamp + field) & 0xFFFFFFFFL;
            } else {
                cs.timestamp = (cs.timestamp + cs.delta) & 0xFFFFFFFFL;
            }
            cs.extended = extended;
            cs.remaining = cs.length;
            cs.b0 = -1;
            cs.b1 = -1;
            if (isGathered(cs.type)) {
                if (cs.length > MAX_COMMAND_SIZE) {
                    fail(ctx, "type " + cs.type + " message of " + cs.length + " bytes above " + MAX_COMMAND_SIZE);
                    return false;
                }
                cs.gathered = Unpooled.buffer(cs.length);
            }
        }
        in.skipBytes(headerSize);
        current = cs;
        chunkLeft = Math.min(chunkSize, cs.remaining);
        if (chunkLeft == 0) {   // a message of zero bytes
            complete(ctx, cs);
        }
        return true;
    }

    /** Consumes the current chunk's payload bytes that have arrived; true once the chunk is done. */
    private boolean payload(ChannelHandlerContext ctx, ByteBuf in) {
        ChunkStream cs = current;
        int n = Math.min(chunkLeft, in.readableBytes());
        if (n == 0) {
            return false;
        }
        if (cs.gathered != null) {
            cs.gathered.writeBytes(in, n);
        } else {
            int offset = cs.length - cs.remaining;
            if (cs.type == 9 && offset < 2) {
                int r = in.readerIndex();
                if (offset == 0) {
                    cs.b0 = in.getUnsignedByte(r);
                    if (n > 1) {
                        cs.b1 = in.getUnsignedByte(r + 1);
                    }
                } else {
                    cs.b1 = in.getUnsignedByte(r);
                }
            }
            in.skipBytes(n);
        }
        chunkLeft -= n;
        cs.remaining -= n;
        if (chunkLeft > 0) {
            return false;
        }
        current = null;
        if (cs.remaining == 0) {
            complete(ctx, cs);
        }
        return true;
    }

    private void complete(ChannelHandlerContext ctx, ChunkStream cs) {
        current = null;
        message(cs.type, cs.timestamp, cs.b0, cs.b1);
        ByteBuf payload = cs.gathered;
        cs.gathered = null;
        if (payload != null) {
            control(ctx, cs.type, payload);
        }
    }

    private static boolean isGathered(int type) {
        return (type >= 1 && type <= 6) || type == 20;
    }

    private void control(ChannelHandlerContext ctx, int type, ByteBuf payload) {
        try {
            switch (type) {
                case 1 -> {
                    int size = payload.readInt() & 0x7FFFFFFF;
                    if (size < 1 || size > 0xFFFFFF) {
                        fail(ctx, "Set Chunk Size " + size + " outside 1-16777215");
                        return;
                    }
                    chunkSize = size;
                }
                case 5 -> ackWindow = payload.readUnsignedInt();
                case 4 -> {
                    int event = payload.readUnsignedShort();
                    if (event == 6 && payload.readableBytes() >= 4) {   // ping request: answer with the same timestamp
                        ByteBuf pong = ctx.alloc().buffer(20);
                        writeHeader(pong, CSID_CONTROL, 4, 6, 0);
                        pong.writeShort(7);
                        pong.writeInt(payload.readInt());
                        ctx.writeAndFlush(pong);
                    }
                }
                case 20 -> command(ctx, Amf0Reader.readAll(payload));
                default -> {
                }
            }
        } catch (RuntimeException e) {
            fail(ctx, "bad type " + type + " message: " + e);
        }
    }

    private void command(ChannelHandlerContext ctx, List<Object> values) {
        if (values.isEmpty() || !(values.get(0) instanceof String cmd)) {
            return;
        }
        double txn = values.size() > 1 && values.get(1) instanceof Number n ? n.doubleValue() : 0;
        switch (cmd) {
            case "_result" -> {
                if (txn == CONNECT_TXN) {
                    command(ctx, 0, "createStream", CREATE_STREAM_TXN, null);
                    ctx.flush();
                } else if (txn == CREATE_STREAM_TXN) {
                    streamCreated(ctx, values.size() > 3 && values.get(3) instanceof Number n ? n.intValue() : 1);
                }
            }
            case "_error" -> fail(ctx, "_error for transaction " + txn + ": " + values);
            case "onStatus" -> {
                if (values.size() > 3 && values.get(3) instanceof Map<?, ?> info) {
                    String code = String.valueOf(info.get("code"));
                    if ("error".equals(info.get("level"))) {
                        fail(ctx, "onStatus " + code);
                    } else {
                        status(ctx, code);
                    }
                }
            }
            default -> {
            }
        }
    }

    /** Writes an AMF0 command message on chunk stream 3 (chunked at our chunk size, timestamp 0). */
    static void command(ChannelHandlerContext ctx, int streamId, Object... values) {
        ByteBuf body = ctx.alloc().heapBuffer(256);
        try {
            for (Object v : values) {
                Amf0Writer.write(body, v);
            }
            ByteBuf msg = ctx.alloc().buffer(chunkedSize(body.readableBytes(), 0));
            writeMessage(msg, CSID_COMMAND, 20, streamId, 0, body, body.readerIndex(), body.readableBytes());
            ctx.write(msg);
        } finally {
            body.release();
        }
    }

    /** A format-0 chunk header with timestamp 0 (RTMP spec 5.3.1.2.1), for control messages of one chunk. */
    static void writeHeader(ByteBuf out, int csid, int type, int length, int streamId) {
        out.writeByte(csid);
        out.writeMedium(0);
        out.writeMedium(length);
        out.writeByte(type);
        out.writeIntLE(streamId);
    }

    /** How many bytes {@link #writeMessage} writes for a message of {@code length} bytes. */
    static int chunkedSize(int length, long timestamp) {
        int extended = timestamp >= EXTENDED_TIMESTAMP ? 4 : 0;
        int continuations = length == 0 ? 0 : (length - 1) / OUT_CHUNK_SIZE;
        return 12 + extended + length + continuations * (1 + extended);
    }

    /**
     * Appends one message as chunks at {@link #OUT_CHUNK_SIZE}: a format-0 header, then a
     * format-3 header before every further {@value #OUT_CHUNK_SIZE} bytes (RTMP spec 5.3.1).
     * A timestamp of {@value #EXTENDED_TIMESTAMP} or more goes in the Extended Timestamp
     * field, which format-3 chunks of the message repeat (spec 5.3.1.3, as nginx-rtmp, ffmpeg
     * and our parser expect). Only valid once our Set Chunk Size has been sent.
     *
     * @param csid the chunk stream, 2 to 63 (one-byte basic header)
     * @param timestamp 32-bit milliseconds
     * @param payload read from {@code from}, {@code length} bytes, indexes unchanged
     */
    static void writeMessage(ByteBuf out, int csid, int type, int streamId, long timestamp,
                             ByteBuf payload, int from, int length) {
        boolean extended = timestamp >= EXTENDED_TIMESTAMP;
        out.writeByte(csid);
        out.writeMedium(extended ? (int) EXTENDED_TIMESTAMP : (int) timestamp);
        out.writeMedium(length);
        out.writeByte(type);
        out.writeIntLE(streamId);
        for (int done = 0; ; ) {
            if (extended) {
                out.writeInt((int) timestamp);
            }
            int n = Math.min(OUT_CHUNK_SIZE, length - done);
            out.writeBytes(payload, from + done, n);
            done += n;
            if (done >= length) {
                return;
            }
            out.writeByte(0xC0 | csid);
        }
    }

    /** Moves to the failed state, reports the reason once and closes the channel. */
    void fail(ChannelHandlerContext ctx, String reason) {
        if (state != State.FAILED) {
            state = State.FAILED;
            failed(reason);
        }
        ctx.close();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        for (ChunkStream cs : streams) {
            if (cs != null && cs.gathered != null) {
                cs.gathered.release();
                cs.gathered = null;
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!LoadTool.stopping && state != State.FAILED) {
            state = State.FAILED;
            failed("connection closed by the server");
        }
        closed();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause.toString());
    }
}
