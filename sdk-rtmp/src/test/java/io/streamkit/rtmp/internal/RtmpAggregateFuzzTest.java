package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.rtmp.RtmpProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link RtmpAggregate#split} on aggregate message bodies (type 22) from a publisher,
 * and the round trip of bodies built from FLV tags.
 *
 * <p>Properties: a body either splits or throws an {@link RtmpProtocolException}, nothing
 * else; the body's indexes and reference count stay; sub-messages are audio, video or data,
 * their payloads lie within the body and tile it with their headers and back pointers; a body
 * built from tags splits into exactly those tags, timed from the aggregate's timestamp
 * (modulo 2<sup>32</sup>). Seeds: the bodies of {@code RtmpAggregateTest}, under
 * {@code RtmpAggregateFuzzTestInputs}.
 */
class RtmpAggregateFuzzTest {
    private static final int[] TYPES = {RtmpMessage.AUDIO, RtmpMessage.VIDEO, RtmpMessage.DATA_AMF0};

    @FuzzTest
    void split(FuzzedDataProvider data) {
        long timestamp = data.consumeLong(0, 0xFFFFFFFFL);
        if (data.consumeBoolean()) {
            roundTrip(data, timestamp);
            return;
        }
        byte[] input = data.consumeRemainingAsBytes();
        ByteBuf body = Unpooled.buffer(input.length + 5).writeBytes(new byte[5]).writeBytes(input).skipBytes(5);
        try {
            List<RtmpAggregate.SubMessage> subs;
            try {
                subs = RtmpAggregate.split(body, timestamp);
            } catch (RtmpProtocolException e) {
                assertIndexes(body, input.length);
                return;
            }
            assertIndexes(body, input.length);
            long covered = 0;
            for (RtmpAggregate.SubMessage sub : subs) {
                assertTrue(sub.type() == RtmpMessage.AUDIO || sub.type() == RtmpMessage.VIDEO
                        || sub.type() == RtmpMessage.DATA_AMF0, "sub-message type " + sub.type());
                assertTrue(sub.timestamp() >= 0 && sub.timestamp() <= 0xFFFFFFFFL, "timestamp " + sub.timestamp());
                covered += RtmpAggregate.MIN_TAG_LENGTH + sub.payload().readableBytes();
            }
            assertEquals(input.length, covered, "the sub-messages do not tile the body");
        } finally {
            body.release();
        }
    }

    private static void roundTrip(FuzzedDataProvider data, long timestamp) {
        ByteBuf body = Unpooled.buffer();
        List<int[]> tags = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            int type = data.pickValue(TYPES);
            long time = data.consumeLong(0, 0xFFFFFFFFL);
            byte[] payload = data.consumeBytes(data.consumeInt(0, 300));
            FlvTagHeader.write(body, type, payload.length, time);
            body.writeBytes(payload);
            FlvTagHeader.writePreviousTagSize(body, payload.length);
            tags.add(new int[] {type, (int) time});
            payloads.add(payload);
        }
        try {
            List<RtmpAggregate.SubMessage> subs = RtmpAggregate.split(body, timestamp);
            assertEquals(tags.size(), subs.size(), "sub-messages");
            for (int i = 0; i < subs.size(); i++) {
                RtmpAggregate.SubMessage sub = subs.get(i);
                long offset = Integer.toUnsignedLong(tags.get(i)[1]) - Integer.toUnsignedLong(tags.get(0)[1]);
                assertEquals(tags.get(i)[0], sub.type());
                assertEquals((timestamp + offset) & 0xFFFFFFFFL, sub.timestamp(), "sub-message " + i + "'s time");
                assertArrayEquals(payloads.get(i), ByteBufUtil.getBytes(sub.payload()));
            }
        } finally {
            body.release();
        }
    }

    private static void assertIndexes(ByteBuf body, int length) {
        assertEquals(5, body.readerIndex(), "reader index moved");
        assertEquals(5 + length, body.writerIndex(), "writer index moved");
        assertEquals(1, body.refCnt(), "reference count changed");
    }
}
