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
 * A minimal RTMP play client: simple handshake, then connect, createStream and play, and from
 * then on every chunk parsed back into messages without keeping media payloads.
 *
 * <p>Media payloads are streamed: a chunk's header is parsed once it is complete, and its
 * payload bytes are counted and skipped as they arrive, so the cumulation buffer never holds
 * more than a partial chunk header and no buffer is allocated per media message. Only the
 * first two bytes of a video message are looked at (the keyframe test). Control and command
 * messages (types 1 to 6, 20) are gathered whole, up to {@value #MAX_COMMAND_SIZE} bytes,
 * and acted on: Set Chunk Size, Window Acknowledgement Size (acknowledgements are sent at
 * that window, RTMP spec 5.4.3), ping requests, and the {@code _result} of createStream.
 */
final class RtmpPlayHandler extends ByteToMessageDecoder {
    /** Largest control or command message kept: far above any onStatus or _result. */
    static final int MAX_COMMAND_SIZE = 64 << 10;
    /** Chunk streams tracked: csid fits in the two-byte basic header form. */
    static final int MAX_CHUNK_STREAMS = 320;
    /** Our outgoing chunk size, announced first so that every command fits in one chunk. */
    static final int OUT_CHUNK_SIZE = 4096;

    private static final int HANDSHAKE_SIZE = 1536;
    private static final int[] MESSAGE_HEADER_SIZE = {11, 7, 3, 0};

    private enum State { HANDSHAKE, CHUNKS, FAILED }

    private final PlayerStats stats;
    private final String app;
    private final String tcUrl;
    private final String name;
    private final ChunkStream[] streams = new ChunkStream[MAX_CHUNK_STREAMS];
    private State state = State.HANDSHAKE;
    private int chunkSize = 128;
    private long ackWindow;
    private long lastAck;
    private long received;
    private int playStreamId;
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

    RtmpPlayHandler(PlayerStats stats, String app, String tcUrl, String name) {
        this.stats = stats;
        this.app = app;
        this.tcUrl = tcUrl;
        this.name = name;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        stats.connectedNanos = System.nanoTime();
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
            int n = buf.readableBytes();
            received += n;
            stats.bytes += n;
        }
        super.channelRead(ctx, msg);
        if (ackWindow > 0 && received - lastAck >= ackWindow) {
            lastAck = received;
            ByteBuf ack = ctx.alloc().buffer(16);
            writeHeader(ack, 2, 3, 4, 0);
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
        writeHeader(setChunkSize, 2, 1, 4, 0);
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
        command(ctx, 0, "connect", 1.0, args);
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
        boolean extended = fmt <= 2 ? field == 0xFFFFFF : cs.extended;
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
        stats.messages++;
        switch (cs.type) {
            case 8 -> stats.media(cs.timestamp, false, System.nanoTime());
            case 9 -> stats.media(cs.timestamp, cs.b0 >= 0 && VideoTags.isKeyframe(cs.b0, cs.b1), System.nanoTime());
            default -> {
                ByteBuf payload = cs.gathered;
                cs.gathered = null;
                if (payload != null) {
                    control(ctx, cs.type, payload);
                }
            }
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
                        writeHeader(pong, 2, 4, 6, 0);
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
                if (txn == 1.0) {
                    command(ctx, 0, "createStream", 2.0, null);
                    ctx.flush();
                } else if (txn == 2.0) {
                    playStreamId = values.size() > 3 && values.get(3) instanceof Number n ? n.intValue() : 1;
                    ByteBuf bufferLength = ctx.alloc().buffer(24);
                    writeHeader(bufferLength, 2, 4, 10, 0);
                    bufferLength.writeShort(3);
                    bufferLength.writeInt(playStreamId);
                    bufferLength.writeInt(1000);
                    ctx.write(bufferLength);
                    command(ctx, playStreamId, "play", 0.0, null, name, -2.0);
                    ctx.flush();
                }
            }
            case "_error" -> fail(ctx, "_error for transaction " + txn + ": " + values);
            case "onStatus" -> {
                if (values.size() > 3 && values.get(3) instanceof Map<?, ?> info
                        && "error".equals(info.get("level"))) {
                    fail(ctx, "onStatus " + info.get("code"));
                }
            }
            default -> {
            }
        }
    }

    /** Writes an AMF0 command in one chunk on chunk stream 3 (commands stay below our chunk size). */
    private void command(ChannelHandlerContext ctx, int streamId, Object... values) {
        ByteBuf body = ctx.alloc().heapBuffer(256);
        try {
            for (Object v : values) {
                Amf0Writer.write(body, v);
            }
            ByteBuf msg = ctx.alloc().buffer(12 + body.readableBytes());
            writeHeader(msg, 3, 20, body.readableBytes(), streamId);
            msg.writeBytes(body);
            ctx.write(msg);
        } finally {
            body.release();
        }
    }

    /** A format-0 chunk header with timestamp 0 (RTMP spec 5.3.1.2.1). */
    private static void writeHeader(ByteBuf out, int csid, int type, int length, int streamId) {
        out.writeByte(csid);
        out.writeMedium(0);
        out.writeMedium(length);
        out.writeByte(type);
        out.writeIntLE(streamId);
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        state = State.FAILED;
        stats.fail(reason);
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
            stats.fail("connection closed by the server");
        }
        stats.closed = true;
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.fail(cause.toString());
        ctx.close();
    }
}
