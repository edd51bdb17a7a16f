package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the round trip of the chunk stream: messages written by {@link RtmpChunkWriter} (type-0
 * and type-1 first headers, any chunk stream id, extended timestamps, a chunk size announced
 * first with Set Chunk Size) and read back by {@link RtmpChunkDecoder} from pieces cut at any
 * byte.
 *
 * <p>Properties: every message comes back whole, in order, with its chunk stream, type, message
 * stream (inherited by a type-1 header), timestamp (a type-1 header's delta added, modulo
 * 2<sup>32</sup>) and payload; nothing fails; every buffer is released.
 */
class RtmpChunkWriterFuzzTest {
    private static final int[] CHUNK_SIZES = {1, 2, 7, 128, 1000, 4096, 65_536};

    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        UnpooledByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        int chunkSize = data.pickValue(CHUNK_SIZES);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteBuf size = Unpooled.buffer(4).writeInt(chunkSize);
        write(wire, RtmpChunkWriter.encode(alloc, 2, RtmpMessage.SET_CHUNK_SIZE, 0, 0, size,
                RtmpChunkDecoder.INITIAL_CHUNK_SIZE));
        size.release();
        List<long[]> expected = new ArrayList<>();   // csid, type, stream, timestamp
        List<byte[]> payloads = new ArrayList<>();
        Map<Integer, long[]> last = new HashMap<>();
        int count = data.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            int csid = data.consumeBoolean() ? data.consumeInt(3, 63) : data.consumeInt(3, 65_599);
            int type = data.consumeInt(3, 255);   // not Set Chunk Size or Abort, which act on the decoder
            // At most 64 chunks a message: small chunk sizes test the continuation headers, not the patience.
            byte[] payload = data.consumeBytes(data.consumeInt(0, Math.min(3000, 64 * chunkSize)));
            long[] previous = last.get(csid);
            boolean delta = previous != null && data.consumeBoolean();
            long time = data.consumeBoolean() ? data.consumeLong(0, 0xFFFFFFFFL) : data.consumeLong(0, 0x1000000L);
            int streamId = delta ? (int) previous[2] : data.consumeInt();
            ByteBuf body = Unpooled.wrappedBuffer(payload);
            write(wire, RtmpChunkWriter.encode(alloc, delta ? 1 : 0, csid, type, streamId, time, body, chunkSize));
            assertEquals(1, body.refCnt(), "the writer kept a reference of the payload");
            body.release();
            long timestamp = delta ? (previous[3] + time) & 0xFFFFFFFFL : time & 0xFFFFFFFFL;
            long[] message = {csid, type, streamId, timestamp};
            expected.add(message);
            payloads.add(payload);
            last.put(csid, message);
        }
        byte[] bytes = wire.toByteArray();

        EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder(1 << 16, RtmpChunkDecoder.DEFAULT_MAX_CHUNK_STREAMS));
        List<RtmpMessage> got = new ArrayList<>();
        try {
            int at = 0;
            while (at < bytes.length) {
                // Once the input is used up, the rest goes in one piece: a byte at a time would only be slow.
                int n = data.remainingBytes() == 0 ? bytes.length - at : Math.min(bytes.length - at, data.consumeInt(1, 5000));
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, n));
                at += n;
                for (RtmpMessage m; (m = ch.readInbound()) != null; ) {
                    got.add(m);
                }
            }
            assertEquals(expected.size() + 1, got.size(), "messages read");
            assertEquals(RtmpMessage.SET_CHUNK_SIZE, got.get(0).type());
            for (int i = 0; i < expected.size(); i++) {
                RtmpMessage m = got.get(i + 1);
                long[] e = expected.get(i);
                assertArrayEquals(e, new long[] {m.chunkStreamId(), m.type(), m.streamId(), m.timestamp()},
                        "message " + i + ": chunk stream, type, message stream, timestamp");
                assertArrayEquals(payloads.get(i), ByteBufUtil.getBytes(m.payload()), "message " + i + "'s payload");
            }
        } finally {
            got.forEach(RtmpMessage::release);
            ch.finishAndReleaseAll();
        }
    }

    private static void write(ByteArrayOutputStream wire, ByteBuf chunks) {
        try {
            wire.writeBytes(ByteBufUtil.getBytes(chunks));
        } finally {
            chunks.release();
        }
    }
}
