package io.streamkit.server.spi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.stream.MediaFrame;
import java.util.function.Consumer;

/**
 * How a format puts a frame on the wire (an RTMP message with its chunk headers, an FLV tag):
 * called once per frame, form and event loop, and the result is shared by every player of the
 * loop that wants the same form, so that a frame is encoded once and written many times.
 *
 * <p>Keep one instance per format, in a static field, and make it a non-capturing function (a
 * static method reference): players' outputs find their shared forms by it.
 */
@FunctionalInterface
public interface WireFormat {

    /**
     * Builds a frame's wire form as leaf buffers (headers and slices of the payload, not a
     * composite), in wire order.
     *
     * @param alloc the allocator to use
     * @param frame the frame, lent
     * @param form which of the format's forms (see {@link PlayerOutput#frame})
     * @param time the time the form carries
     * @param leaves takes each leaf, and owns it once taken
     */
    void encode(ByteBufAllocator alloc, MediaFrame frame, long form, long time, Consumer<ByteBuf> leaves);
}
