package io.streamkit.format.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** What a declared tag size makes the reader hold: only what arrived, never the declaration. */
class FlvReaderMemoryTest {

    @Test
    void aTagThatDeclaresEightMegabytesHoldsOnlyWhatArrived() {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        try (FlvReader reader = new FlvReader(alloc, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            ByteBuf head = alloc.buffer();
            FlvHeader.writeTo(head, true, true);   // with PreviousTagSize0
            // a video tag header declaring 8 MiB - 1 bytes, and 100 of them
            head.writeByte(9).writeMedium((8 << 20) - 1).writeMedium(0).writeByte(0).writeMedium(0);
            head.writeZero(100);
            reader.feed(head);
            assertNull(reader.next());
            for (int i = 0; i < 10; i++) {   // ten more small pieces, each merged
                reader.feed(alloc.buffer(100).writeZero(100));
                assertNull(reader.next());
            }
            long held = alloc.metric().usedHeapMemory();
            assertTrue(held < 64 << 10, "the reader holds " + held + " bytes for 1,124 received");
            assertTrue(reader.bufferedBytes() <= 11 + 1_100, reader.bufferedBytes() + " bytes buffered");
        }
        assertEquals(0, alloc.metric().usedHeapMemory());
    }
}
