package io.streamkit.format.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.test.FuzzInput;
import io.streamkit.test.TrackingAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link FlvReader} on an FLV byte stream (an HTTP-FLV response from a remote server, a
 * file) arriving in pieces of any size.
 *
 * <p>Properties: {@link FlvReader#next()} throws nothing but {@link MediaFormatException}, and
 * after one it has failed: {@code next} throws again and {@code feed} refuses the bytes with an
 * {@link IllegalStateException}, releasing them. Each tag's body is within the tag limit; the
 * bytes buffered never exceed what was fed; no allocation is larger than what was fed so far
 * (a declared DataSize alone pins nothing); after {@code close} every buffer, the fed ones
 * included, is released. Seeds: the FLV fixtures cut short, under {@code FlvReaderFuzzTestInputs}.
 */
class FlvReaderFuzzTest {
    /** A small tag limit, so that the fuzzer reaches it. */
    private static final int MAX_TAG_SIZE = 4096;

    private final TrackingAllocator alloc = new TrackingAllocator();

    @FuzzTest
    void read(FuzzedDataProvider data) {
        alloc.reset();
        List<byte[]> pieces = FuzzInput.pieces(data);
        FlvReader reader = new FlvReader(alloc, MAX_TAG_SIZE);
        List<ByteBuf> fedBuffers = new ArrayList<>();
        long fed = 0;
        boolean failed = false;
        for (byte[] piece : pieces) {
            ByteBuf buf = Unpooled.buffer(piece.length).writeBytes(piece);
            fedBuffers.add(buf);
            if (failed) {
                assertThrows(IllegalStateException.class, () -> reader.feed(buf));
                assertEquals(0, buf.refCnt(), "feed kept the bytes it refused");
                assertThrows(MediaFormatException.class, reader::next);
                continue;
            }
            reader.feed(buf);
            fed += piece.length;
            assertTrue(alloc.largestAllocation() <= fed,
                    "allocated " + alloc.largestAllocation() + " bytes after " + fed + " were fed");
            try {
                for (FlvTag tag; (tag = reader.next()) != null; ) {
                    try {
                        assertTrue(tag.body().readableBytes() <= MAX_TAG_SIZE, "tag of " + tag.body().readableBytes());
                        assertEquals(tag.type(), tag.type() & FlvTagHeader.TYPE_MASK, "type with flag bits");
                    } finally {
                        tag.release();
                    }
                }
            } catch (MediaFormatException e) {
                failed = true;
                assertEquals(0, reader.bufferedBytes(), "a failed reader holds bytes");
            }
            assertTrue(reader.bufferedBytes() <= fed, reader.bufferedBytes() + " bytes buffered of " + fed + " fed");
        }
        reader.close();
        alloc.assertAllReleased("FlvReader");
        for (ByteBuf buf : fedBuffers) {
            assertEquals(0, buf.refCnt(), "the reader kept a buffer it was fed");
        }
    }
}
