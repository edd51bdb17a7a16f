package io.streamkit.format.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.test.TrackingAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the round trip of an FLV stream: a file header, tags written with
 * {@link FlvTagHeader#write} and {@link FlvTagHeader#writePreviousTagSize}, read back with
 * {@link FlvReader} from pieces cut at any byte.
 *
 * <p>Properties: every tag comes back with its type, its timestamp modulo 2<sup>32</sup> and
 * its body; the header's flags come back; the flyweight reads what was written; nothing is left
 * buffered and every buffer is released.
 */
class FlvTagHeaderFuzzTest {
    private static final int[] TYPES = {FlvTagHeader.TYPE_AUDIO, FlvTagHeader.TYPE_VIDEO, FlvTagHeader.TYPE_SCRIPT};

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        alloc.reset();
        boolean audio = data.consumeBoolean();
        boolean video = data.consumeBoolean();
        ByteBuf stream = Unpooled.buffer();
        FlvHeader.writeTo(stream, audio, video);
        int count = data.consumeInt(0, 8);
        List<int[]> written = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int type = data.pickValue(TYPES);
            long time = data.consumeLong(0, FlvTagHeader.MAX_TIMESTAMP * 2);
            byte[] body = data.consumeBytes(data.consumeInt(0, 512));
            int at = stream.writerIndex();
            FlvTagHeader.write(stream, type, body.length, time);
            FlvTagHeader header = new FlvTagHeader().wrap(stream, at);
            assertEquals(type, header.tagType());
            assertEquals(body.length, header.dataSize());
            assertEquals(time & 0xffffffffL, header.timestamp());
            assertEquals(0, header.streamId());
            stream.writeBytes(body);
            FlvTagHeader.writePreviousTagSize(stream, body.length);
            written.add(new int[] {type, (int) time});
            bodies.add(body);
        }
        byte[] bytes = ByteBufUtil.getBytes(stream);
        stream.release();

        FlvReader reader = new FlvReader(alloc, FlvReader.DEFAULT_MAX_TAG_SIZE);
        List<FlvTag> tags = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            // Once the input is used up, the rest goes in one piece: a byte at a time would only be slow.
            int n = data.remainingBytes() == 0 ? bytes.length - at : Math.min(bytes.length - at, data.consumeInt(1, 64));
            reader.feed(alloc.buffer(n).writeBytes(bytes, at, n));
            at += n;
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                tags.add(tag);
            }
        }
        try {
            assertEquals(audio, reader.header().audio());
            assertEquals(video, reader.header().video());
            assertEquals(written.size(), tags.size(), "tags read");
            for (int i = 0; i < tags.size(); i++) {
                assertEquals(written.get(i)[0], tags.get(i).type());
                assertEquals(Integer.toUnsignedLong(written.get(i)[1]), tags.get(i).timestamp());
                assertArrayEquals(bodies.get(i), ByteBufUtil.getBytes(tags.get(i).body()));
            }
            assertTrue(reader.bufferedBytes() == 0, reader.bufferedBytes() + " bytes left");
        } finally {
            tags.forEach(FlvTag::release);
            reader.close();
        }
        alloc.assertAllReleased("FlvReader");
    }
}
