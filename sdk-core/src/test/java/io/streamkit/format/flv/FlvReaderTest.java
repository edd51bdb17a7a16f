package io.streamkit.format.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.test.TrackingAllocator;
import org.junit.jupiter.api.Test;

/** What a reader holds while a tag arrives in pieces: the bytes that came, not the size announced. */
class FlvReaderTest {

    /**
     * Found by FlvReaderFuzzTest (crash-7627ab62...): the buffer a split tag was gathered in was
     * allocated at the DataSize its header announced, so a header and one more byte pinned up
     * to the tag limit (8 MiB by default) per reader.
     */
    @Test
    void aDeclaredDataSizePinsOnlyTheBytesThatArrived() {
        TrackingAllocator alloc = new TrackingAllocator();
        FlvReader reader = new FlvReader(alloc, FlvReader.DEFAULT_MAX_TAG_SIZE);
        ByteBuf start = Unpooled.buffer();
        FlvHeader.writeTo(start, true, true);
        FlvTagHeader.write(start, FlvTagHeader.TYPE_VIDEO, 4 << 20, 0);   // announces 4 MiB
        int fed = start.readableBytes() + 1;
        reader.feed(start);
        assertNull(reader.next());
        reader.feed(Unpooled.buffer(1).writeByte(0x17));
        assertNull(reader.next());
        assertTrue(alloc.largestAllocation() <= fed, "allocated " + alloc.largestAllocation() + " for " + fed + " bytes");
        assertEquals(FlvTagHeader.SIZE + 1, reader.bufferedBytes(), "the tag header and its first byte");

        ByteBuf rest = Unpooled.buffer((4 << 20) - 1).writeZero((4 << 20) - 1);
        reader.feed(rest);
        FlvTag tag = reader.next();
        assertEquals(4 << 20, tag.body().readableBytes(), "the tag, gathered as its bytes came");
        assertEquals(0x17, tag.body().getUnsignedByte(0));
        tag.release();
        reader.close();
        alloc.assertAllReleased("FlvReader");
    }
}
