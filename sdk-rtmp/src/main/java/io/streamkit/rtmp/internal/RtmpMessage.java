package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One RTMP message: its type, message stream, timestamp and payload (RTMP spec 5.4).
 * Owns one reference to its payload.
 */
final class RtmpMessage extends DefaultByteBufHolder {
    static final int SET_CHUNK_SIZE = 1;
    static final int ABORT = 2;
    static final int ACKNOWLEDGEMENT = 3;
    static final int USER_CONTROL = 4;
    static final int WINDOW_ACK_SIZE = 5;
    static final int SET_PEER_BANDWIDTH = 6;
    static final int AUDIO = 8;
    static final int VIDEO = 9;
    static final int DATA_AMF3 = 15;
    static final int SHARED_OBJECT_AMF3 = 16;
    static final int COMMAND_AMF3 = 17;
    static final int DATA_AMF0 = 18;
    static final int SHARED_OBJECT_AMF0 = 19;
    static final int COMMAND_AMF0 = 20;
    static final int AGGREGATE = 22;

    private final int chunkStreamId;
    private final int type;
    private final int streamId;
    private final long timestamp;

    RtmpMessage(int chunkStreamId, int type, int streamId, long timestamp, ByteBuf payload) {
        super(payload);
        this.chunkStreamId = chunkStreamId;
        this.type = type;
        this.streamId = streamId;
        this.timestamp = timestamp;
    }

    /** The chunk stream it arrived on, or should leave on. */
    int chunkStreamId() {
        return chunkStreamId;
    }

    /** The message type id (RTMP spec 5.4, 7.1). */
    int type() {
        return type;
    }

    /** The message stream id: 0 for the connection, else a stream from createStream. */
    int streamId() {
        return streamId;
    }

    /** The timestamp in milliseconds, 32 bits unsigned. */
    long timestamp() {
        return timestamp;
    }

    ByteBuf payload() {
        return content();
    }

    @Override
    public RtmpMessage replace(ByteBuf content) {
        return new RtmpMessage(chunkStreamId, type, streamId, timestamp, content);
    }

    @Override
    public RtmpMessage retain() {
        super.retain();
        return this;
    }

    @Override
    public RtmpMessage touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "RtmpMessage(csid " + chunkStreamId + ", type " + type + ", stream " + streamId + ", ts " + timestamp
                + ", " + content().readableBytes() + " B)";
    }
}
