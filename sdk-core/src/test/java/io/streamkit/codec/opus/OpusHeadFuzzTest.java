package io.streamkit.codec.opus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;

/**
 * Fuzzes {@link OpusHead#parse} on identification headers, the body of a publisher's Enhanced
 * RTMP {@code Opus} sequence start, and the round trip through {@link OpusHead#writeTo}.
 *
 * <p>Properties: parsing throws nothing but {@link MediaFormatException} and moves no index; a
 * header that parses has channels and a mapping that agree, writes bytes that parse to an equal
 * header, and describes itself without throwing. Seeds: the .opushead fixtures, under
 * {@code OpusHeadFuzzTestInputs}.
 */
class OpusHeadFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        OpusHead head;
        try {
            head = OpusHead.parse(in);
        } catch (MediaFormatException e) {
            assertEquals(0, in.readerIndex(), "reader index moved");
            return;
        }
        assertEquals(0, in.readerIndex(), "reader index moved");
        assertTrue(head.channelCount() >= 1, "channels " + head.channelCount());
        assertEquals(head.channelCount(), head.channelMapping().length, "mapping entries");
        assertTrue(head.coupledCount() <= head.streamCount(), "coupled " + head.coupledCount());
        assertNotNull(head.audioParameters());
        ByteBuf out = Unpooled.buffer();
        try {
            head.writeTo(out);
            assertEquals(head, OpusHead.parse(out), "the header changed in a write and parse");
        } finally {
            out.release();
        }
    }
}
