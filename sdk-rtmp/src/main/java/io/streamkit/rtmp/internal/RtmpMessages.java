package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.format.amf0.Amf0Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builders for the messages a server sends: protocol control, user control events and
 * AMF0 commands (RTMP spec 5.4, 6.2, 7.1). Chunk stream ids follow what Flash Media Server
 * used and clients expect: 2 for control, 3 for connection commands, 5 for stream status.
 */
final class RtmpMessages {
    static final int CSID_CONTROL = 2;
    static final int CSID_COMMAND = 3;
    static final int CSID_STATUS = 5;
    static final int CSID_AUDIO = 4;
    static final int CSID_VIDEO = 6;
    static final int CSID_DATA = 5;

    /** User control event types (RTMP spec 7.1.7). */
    static final int STREAM_BEGIN = 0;
    static final int STREAM_EOF = 1;
    static final int STREAM_IS_RECORDED = 4;
    static final int PING_REQUEST = 6;
    static final int PING_RESPONSE = 7;

    private RtmpMessages() {
    }

    static RtmpMessage setChunkSize(ByteBufAllocator alloc, int size) {
        return control(alloc, RtmpMessage.SET_CHUNK_SIZE, alloc.buffer(4).writeInt(size));
    }

    static RtmpMessage windowAckSize(ByteBufAllocator alloc, int size) {
        return control(alloc, RtmpMessage.WINDOW_ACK_SIZE, alloc.buffer(4).writeInt(size));
    }

    static RtmpMessage setPeerBandwidth(ByteBufAllocator alloc, int size) {
        return control(alloc, RtmpMessage.SET_PEER_BANDWIDTH, alloc.buffer(5).writeInt(size).writeByte(2));
    }

    static RtmpMessage acknowledgement(ByteBufAllocator alloc, long bytesRead) {
        return control(alloc, RtmpMessage.ACKNOWLEDGEMENT, alloc.buffer(4).writeInt((int) bytesRead));
    }

    static RtmpMessage userControl(ByteBufAllocator alloc, int event, int value) {
        return control(alloc, RtmpMessage.USER_CONTROL, alloc.buffer(6).writeShort(event).writeInt(value));
    }

    private static RtmpMessage control(ByteBufAllocator alloc, int type, ByteBuf payload) {
        return new RtmpMessage(CSID_CONTROL, type, 0, 0, payload);
    }

    /** An AMF0 command (type 20) with the given values. */
    static RtmpMessage command(ByteBufAllocator alloc, int csid, int streamId, Object... values) {
        ByteBuf payload = alloc.buffer(256);
        try {
            Amf0Writer.writeAll(payload, values);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        return new RtmpMessage(csid, RtmpMessage.COMMAND_AMF0, streamId, 0, payload);
    }

    /** An AMF0 data message (type 18) with the given values. */
    static RtmpMessage data(ByteBufAllocator alloc, int streamId, long timestamp, Object... values) {
        ByteBuf payload = alloc.buffer(256);
        try {
            Amf0Writer.writeAll(payload, values);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        return new RtmpMessage(CSID_DATA, RtmpMessage.DATA_AMF0, streamId, timestamp, payload);
    }

    /** {@code onStatus} on a stream: level, code and description, as NetStream expects. */
    static RtmpMessage onStatus(ByteBufAllocator alloc, int streamId, String level, String code, String description,
                                Map<String, Object> extra) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        if (extra != null) {
            info.putAll(extra);
        }
        return command(alloc, CSID_STATUS, streamId, "onStatus", 0.0, null, info);
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
