package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.rtmp.RtmpProtocolException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Aggregate bodies split into sub-messages, good ones and every way of lying about sizes. */
class RtmpAggregateTest {

    @Test
    void splitsTagsIntoSlicesTimedFromTheAggregate() {
        ByteBuf body = Unpooled.buffer();
        tag(body, 9, 1_000, "17010000000000000a");
        tag(body, 8, 1_040, "af01aabb");
        tag(body, 18, 1_020, "02000a6f6e4d65746144617461");   // tags need not be in time order
        int reader = body.readerIndex();
        int writer = body.writerIndex();
        List<RtmpAggregate.SubMessage> subs = RtmpAggregate.split(body, 5_000);

        assertEquals(List.of(9, 8, 18), subs.stream().map(RtmpAggregate.SubMessage::type).toList());
        assertEquals(List.of(5_000L, 5_040L, 5_020L), subs.stream().map(RtmpAggregate.SubMessage::timestamp).toList());
        assertEquals(List.of("17010000000000000a", "af01aabb", "02000a6f6e4d65746144617461"),
                subs.stream().map(s -> ByteBufUtil.hexDump(s.payload())).toList());
        assertEquals(reader, body.readerIndex(), "the body's indexes are not moved");
        assertEquals(writer, body.writerIndex());

        body.setByte(RtmpAggregate.MIN_TAG_LENGTH + 9 + 11 + 2, 0x77);   // the audio tag's third data byte
        assertEquals("af0177bb", ByteBufUtil.hexDump(subs.get(1).payload()), "a payload is a slice of the body, not a copy");
        assertEquals(1, body.refCnt(), "slices take no reference of their own");
        body.release();
    }

    @Test
    void aBodyAtAnOffsetInALargerBufferIsReadFromItsReaderIndex() {
        ByteBuf body = Unpooled.buffer().writeBytes(new byte[] {1, 2, 3});
        tag(body, 8, 7, "af01");
        body.skipBytes(3);
        List<RtmpAggregate.SubMessage> subs = RtmpAggregate.split(body, 100);
        assertEquals(1, subs.size());
        assertEquals(100, subs.get(0).timestamp());
        assertEquals("af01", ByteBufUtil.hexDump(subs.get(0).payload()));
        body.release();
    }

    @Test
    void anEmptyBodyHasNoSubMessages() {
        assertEquals(List.of(), RtmpAggregate.split(Unpooled.EMPTY_BUFFER, 42));
    }

    @Test
    void timestampsUseTheExtendedByteAndWrapAt32Bits() {
        ByteBuf body = Unpooled.buffer();
        tag(body, 9, 0x01_000000L, "1701");
        tag(body, 9, 0x01_000020L, "2701");
        List<RtmpAggregate.SubMessage> subs = RtmpAggregate.split(body, 0xffff_fff0L);
        assertEquals(0xffff_fff0L, subs.get(0).timestamp());
        assertEquals(0x10L, subs.get(1).timestamp(), "0xfffffff0 + 0x20, modulo 2^32");
        body.release();
    }

    @Test
    void aZeroLengthTagIsASubMessageWithAnEmptyPayload() {
        ByteBuf body = Unpooled.buffer();
        tag(body, 8, 0, "");
        List<RtmpAggregate.SubMessage> subs = RtmpAggregate.split(body, 3);
        assertEquals(1, subs.size());
        assertEquals(0, subs.get(0).payload().readableBytes());
        body.release();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // name                     | body (hex)                                              | the message names
        "header cut                 | 0900000200                                              | tag 0 at offset 0: needs a 11-byte tag header, 5 bytes left",
        "header without pointer     | 09000000000000000000 00                                 | tag 0 at offset 0: data size 0 runs past the end: 0 bytes left",
        "size past the end          | 09 0003e8 000000 00 000000 17010000000000000a 0000000f  | data size 1000 runs past the end: 13 bytes left",
        "largest size, tiny body    | 09 ffffff 000000 00 000000 1701 0000000d                | data size 16777215 runs past the end: 6 bytes left",
        "pointer missing            | 09 000002 000000 00 000000 1701                         | data size 2 runs past the end: 2 bytes left",
        "pointer cut                | 09 000002 000000 00 000000 1701 0000                    | data size 2 runs past the end: 4 bytes left",
        "pointer lies               | 09 000002 000000 00 000000 1701 0000000e                | back pointer 14 is not 11 + data size 2 = 13",
        "pointer without header     | 09 000002 000000 00 000000 1701 00000002                | back pointer 2 is not 11 + data size 2 = 13",
        "command tag                | 14 000002 000000 00 000000 0200 0000000d                | unknown tag type 20",
        "nested aggregate           | 16 000002 000000 00 000000 0000 0000000d                | unknown tag type 22",
        "encrypted tag              | 29 000002 000000 00 000000 1701 0000000d                | unknown tag type 41",
        "zero type                  | 00 000000 000000 00 000000 0000000b                     | unknown tag type 0",
        "second tag cut             | 08 000001 000000 00 000000 af 0000000c 09 0000          | tag 1 at offset 16: needs a 11-byte tag header, 3 bytes left",
        "second tag lies            | 08 000001 000000 00 000000 af 0000000c 09 000009 000000 00 000000 17 0000000c | tag 1 at offset 16: data size 9 runs past the end: 5 bytes left",
    })
    void malformedBodiesAreProtocolErrorsNamingTheValue(String name, String hex, String expected) {
        ByteBuf body = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
        RtmpProtocolException e = assertThrows(RtmpProtocolException.class, () -> RtmpAggregate.split(body, 0), name);
        assertTrue(e.getMessage().startsWith("aggregate message of " + body.readableBytes() + " bytes: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
        body.release();
    }

    /** Mutated and cut aggregates: every outcome is a split that accounts for every byte, or a protocol error. */
    @Test
    void anyInputEndsInSubMessagesOrAProtocolError() {
        ByteBuf good = Unpooled.buffer();
        tag(good, 9, 10, "17010000000000000a0b0c");
        tag(good, 8, 30, "af01aabb");
        tag(good, 18, 20, "02000a6f6e4d65746144617461");
        byte[] original = ByteBufUtil.getBytes(good);
        good.release();
        Random random = new Random(22);
        int split = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = original.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
            ByteBuf body = Unpooled.wrappedBuffer(bytes, 0, length);
            try {
                List<RtmpAggregate.SubMessage> subs = RtmpAggregate.split(body, random.nextInt() & 0xffffffffL);
                int total = subs.stream().mapToInt(s -> s.payload().readableBytes() + RtmpAggregate.MIN_TAG_LENGTH).sum();
                assertEquals(length, total, "a split accounts for every byte");
                split++;
            } catch (RtmpProtocolException expected) {
                // named and bounded: the connection would be closed
            }
        }
        assertTrue(split > 0, "some mutations still split");
    }

    /** Appends one FLV tag: header, data and the back pointer 11 + size. */
    private static void tag(ByteBuf out, int type, long timestamp, String dataHex) {
        byte[] data = ByteBufUtil.decodeHexDump(dataHex);
        out.writeByte(type);
        out.writeMedium(data.length);
        out.writeMedium((int) timestamp & 0xffffff);
        out.writeByte((int) (timestamp >>> 24));
        out.writeMedium(0);
        out.writeBytes(data);
        out.writeInt(11 + data.length);
    }
}
