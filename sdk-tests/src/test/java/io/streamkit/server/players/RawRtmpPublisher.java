package io.streamkit.server.players;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.format.amf0.Amf0Reader;
import io.streamkit.format.amf0.Amf0Writer;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A publisher that writes RTMP by hand, for what encoders cannot be made to send: timestamps
 * near and past 2<sup>32</sup> ms, where libavformat's FLV muxer stops (it refuses timestamps
 * of 2<sup>31</sup> ms and more), and broken encoders' clocks (jumps, zero timestamps).
 *
 * <p>It does the simple handshake, {@code connect}, {@code createStream} and {@code publish}
 * in AMF0, then sends the tags of an FLV file in real time with their timestamps moved to
 * start at a chosen 32-bit value and wrap modulo 2<sup>32</sup> as RTMP's do (RTMP spec 1.0,
 * section 5.3.1.1, "Timestamps in RTMP are given as an integer number of milliseconds ...
 * wrap around"). Every message goes in type-0 chunks with its absolute timestamp; from
 * 0xFFFFFF on, the three-byte field holds 0xFFFFFF and the time is in the four-byte extended
 * timestamp, which type-3 continuation chunks repeat (section 5.3.1.3), as FMLE and
 * libavformat do. The server's replies are read with a small chunk reader that follows
 * its Set Chunk Size.
 *
 * <p>One thread: the caller's. Not reusable: one publish per instance.
 */
public final class RawRtmpPublisher implements AutoCloseable {
    /** The chunk size this publisher announces: big enough that audio fits in one chunk, small enough that keyframes take several. */
    public static final int CHUNK_SIZE = 4096;
    /** The largest server message this reader accepts: replies to a publisher are a few hundred bytes. */
    private static final int MAX_REPLY = 1 << 16;
    private static final int HANDSHAKE = 1536;
    private static final long EXTENDED = 0xFFFFFF;
    private static final int CSID_CONTROL = 2;
    private static final int CSID_COMMAND = 3;
    private static final int CSID_AUDIO = 4;
    private static final int CSID_DATA = 5;
    private static final int CSID_VIDEO = 6;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Map<Integer, ChunkStream> inbound = new HashMap<>();
    private int inChunkSize = 128;

    /**
     * Connects and does the handshake.
     *
     * @param port the server's RTMP port on 127.0.0.1
     * @throws IOException when the server cannot be reached or the handshake fails
     */
    public RawRtmpPublisher(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        byte[] c1 = new byte[HANDSHAKE];
        new Random(1).nextBytes(c1);
        for (int i = 0; i < 8; i++) {
            c1[i] = 0;   // time 0, then the zeros of the simple handshake
        }
        out.write(3);
        out.write(c1);
        out.flush();
        int version = in.readUnsignedByte();
        if (version != 3) {
            throw new IOException("server answered RTMP version " + version);
        }
        byte[] s1 = in.readNBytes(HANDSHAKE);
        in.readNBytes(HANDSHAKE);   // S2, the echo of C1
        out.write(s1);   // C2
        out.flush();
    }

    /**
     * Connects to {@code app} and publishes {@code name}, waiting for {@code NetStream.Publish.Start}.
     *
     * @param app the application
     * @param name the stream name
     * @return the message stream id the server gave
     * @throws IOException when the server refuses or closes
     */
    public int publish(String app, String name) throws IOException {
        writeControl(1, CHUNK_SIZE);   // Set Chunk Size
        Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("app", app);
        connect.put("type", "nonprivate");
        connect.put("flashVer", "FMLE/3.0 (compatible; streamkit-test)");
        connect.put("tcUrl", "rtmp://127.0.0.1:" + socket.getPort() + "/" + app);
        writeCommand(0, "connect", 1.0, connect);
        awaitResult(1.0);
        writeCommand(0, "createStream", 2.0, null);
        List<Object> created = awaitResult(2.0);
        if (created.size() < 4 || !(created.get(3) instanceof Number id)) {
            throw new IOException("createStream answered " + created);
        }
        int streamId = id.intValue();
        writeCommand(streamId, "publish", 3.0, null, name, "live");
        while (true) {
            List<Object> cmd = readCommand();
            if (cmd.size() >= 4 && "onStatus".equals(cmd.get(0)) && cmd.get(3) instanceof Map<?, ?> info) {
                if ("NetStream.Publish.Start".equals(info.get("code"))) {
                    return streamId;
                }
                throw new IOException("publish answered " + info);
            }
        }
    }

    /**
     * Sends the tags in real time: onMetaData as {@code @setDataFrame}, then every audio and
     * video tag at {@code (firstTimestamp + its FLV time) mod 2^32}, paced by its FLV time.
     * Sequence headers keep their place and their FLV time (ffmpeg writes them at 0, with the first frames).
     *
     * @param streamId the id {@link #publish} returned
     * @param tags the FLV's tags, starting at FLV time 0
     * @param firstTimestamp the RTMP time of FLV time 0, 0 to 2<sup>32</sup>-1
     * @param stop checked between tags; when it returns true, sending stops
     * @throws IOException when the connection fails
     */
    public void send(int streamId, List<FlvTags.Tag> tags, long firstTimestamp, java.util.function.BooleanSupplier stop)
            throws IOException {
        send(streamId, tags, flvTime -> firstTimestamp + flvTime, stop);
    }

    /**
     * Sends the tags in real time, paced by their FLV time, each stamped with the RTMP time
     * {@code clock} gives for its FLV time, modulo 2<sup>32</sup>: the way to play a broken
     * encoder's clock (jumps, constant or zero timestamps) over real frames.
     *
     * @param streamId the id {@link #publish} returned
     * @param tags the tags, starting at FLV time 0
     * @param clock from a tag's FLV time to the RTMP time it is sent with, in milliseconds
     * @param stop checked between tags; when it returns true, sending stops
     * @throws IOException when the connection fails
     */
    public void send(int streamId, List<FlvTags.Tag> tags, java.util.function.LongUnaryOperator clock,
                     java.util.function.BooleanSupplier stop) throws IOException {
        long start = System.nanoTime();
        for (FlvTags.Tag tag : tags) {
            if (stop.getAsBoolean()) {
                return;
            }
            long due = start + tag.timestamp() * 1_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                out.flush();
                LockSupport.parkNanos(wait);   // pacing, as ffmpeg's -re: the tag's time has not come yet
            }
            long timestamp = clock.applyAsLong(tag.timestamp()) & 0xFFFFFFFFL;
            switch (tag.type()) {
                case FlvTags.SCRIPT -> {
                    ByteBuf body = Unpooled.buffer();
                    try {
                        Amf0Writer.write(body, "@setDataFrame");
                        body.writeBytes(tag.body());
                        writeMessage(CSID_DATA, 18, streamId, timestamp, ByteBufUtil.getBytes(body));
                    } finally {
                        body.release();
                    }
                }
                case FlvTags.AUDIO -> writeMessage(CSID_AUDIO, 8, streamId, timestamp, tag.body());
                case FlvTags.VIDEO -> writeMessage(CSID_VIDEO, 9, streamId, timestamp, tag.body());
                default -> { }
            }
        }
        out.flush();
    }

    /** Closes the connection: the server sees the publisher drop. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void writeControl(int type, int value) throws IOException {
        writeMessage(CSID_CONTROL, type, 0, 0, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
            (byte) value});
        out.flush();
    }

    private void writeCommand(int streamId, Object... values) throws IOException {
        ByteBuf body = Unpooled.buffer();
        try {
            Amf0Writer.writeAll(body, values);
            writeMessage(CSID_COMMAND, 20, streamId, 0, ByteBufUtil.getBytes(body));
        } finally {
            body.release();
        }
        out.flush();
    }

    /** Writes one message in type-0 chunks; see the class description for the extended timestamp. */
    private void writeMessage(int csid, int type, int streamId, long timestamp, byte[] body) throws IOException {
        boolean extended = timestamp >= EXTENDED;
        out.write(csid);   // fmt 0
        writeInt(extended ? EXTENDED : timestamp, 3);
        writeInt(body.length, 3);
        out.write(type);
        out.write(streamId);
        out.write(streamId >>> 8);
        out.write(streamId >>> 16);
        out.write(streamId >>> 24);   // message stream id: little-endian
        if (extended) {
            writeInt(timestamp, 4);
        }
        for (int at = 0; at < body.length; at += CHUNK_SIZE) {
            if (at > 0) {
                out.write(0xC0 | csid);   // fmt 3
                if (extended) {
                    writeInt(timestamp, 4);
                }
            }
            out.write(body, at, Math.min(CHUNK_SIZE, body.length - at));
        }
    }

    private void writeInt(long value, int bytes) throws IOException {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }

    private List<Object> awaitResult(double transaction) throws IOException {
        while (true) {
            List<Object> cmd = readCommand();
            if (cmd.size() >= 2 && cmd.get(1) instanceof Number t && t.doubleValue() == transaction) {
                if ("_result".equals(cmd.get(0))) {
                    return cmd;
                }
                throw new IOException("transaction " + transaction + " answered " + cmd);
            }
        }
    }

    /** Reads server messages until an AMF0 command (type 20), following Set Chunk Size on the way. */
    private List<Object> readCommand() throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            int fmt = b0 >>> 6;
            int csid = b0 & 0x3F;
            if (csid == 0) {
                csid = 64 + in.readUnsignedByte();
            } else if (csid == 1) {
                csid = 64 + in.readUnsignedByte() + 256 * in.readUnsignedByte();
            }
            ChunkStream cs = inbound.computeIfAbsent(csid, k -> new ChunkStream());
            if (fmt <= 2) {
                long field = readInt(3);
                if (fmt <= 1) {
                    cs.length = (int) readInt(3);
                    cs.type = in.readUnsignedByte();
                    if (fmt == 0) {
                        in.readNBytes(4);
                    }
                }
                cs.extended = field == EXTENDED;
            }
            if (cs.extended) {
                in.readNBytes(4);
            }
            if (cs.length < 0 || cs.length > MAX_REPLY) {
                throw new IOException("server message of " + cs.length + " bytes, over " + MAX_REPLY);
            }
            if (cs.body == null) {
                cs.body = new byte[cs.length];
                cs.filled = 0;
            }
            int take = Math.min(inChunkSize, cs.length - cs.filled);
            in.readFully(cs.body, cs.filled, take);
            cs.filled += take;
            if (cs.filled < cs.length) {
                continue;
            }
            byte[] body = cs.body;
            cs.body = null;
            if (cs.type == 1 && body.length >= 4) {
                inChunkSize = (int) (((body[0] & 0x7FL) << 24) | ((body[1] & 0xFFL) << 16) | ((body[2] & 0xFFL) << 8)
                        | (body[3] & 0xFFL));
                if (inChunkSize < 1 || inChunkSize > MAX_REPLY) {
                    throw new IOException("server chunk size " + inChunkSize);
                }
            } else if (cs.type == 20) {
                ByteBuf buf = Unpooled.wrappedBuffer(body);
                try {
                    return Amf0Reader.readAll(buf);
                } finally {
                    buf.release();
                }
            }
        }
    }

    private long readInt(int bytes) throws IOException {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = v << 8 | in.readUnsignedByte();
        }
        return v;
    }

    /** What the reader keeps per inbound chunk stream. */
    private static final class ChunkStream {
        int length;
        int type;
        boolean extended;
        byte[] body;
        int filled;
    }
}
