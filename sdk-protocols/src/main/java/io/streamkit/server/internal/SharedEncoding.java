package io.streamkit.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.streamkit.stream.MediaFrame;

/**
 * Encode once, write many (ARCHITECTURE.md rule 2), for any output format: the wire form of
 * a frame is built by the first player on an event loop that needs it and shared, as
 * retained duplicates, with every other player on that loop that wants the same variant.
 * Players on a loop receive a frame one after the other, so remembering the last frame per
 * loop and format is enough.
 *
 * <p>Each format holds one {@code SharedEncoding} as a static field and calls
 * {@link #encode} from its players; the state behind it is per event loop (a
 * {@link FastThreadLocal}), so nothing is shared between threads. The builder must be a
 * non-capturing function (a static method reference), so a call allocates nothing.
 */
public final class SharedEncoding {
    /** Builds the wire form of one frame; called once per frame, variant and loop. */
    @FunctionalInterface
    public interface Builder {
        /**
         * Builds the bytes.
         *
         * @param alloc the allocator to use
         * @param frame the frame, lent
         * @param variant what distinguishes forms of the same frame (stream id, chunk size, header form)
         * @return the encoded bytes, owned by the cache
         */
        ByteBuf build(ByteBufAllocator alloc, MediaFrame frame, long variant);
    }

    private final Builder builder;
    private final FastThreadLocal<Last> perLoop = new FastThreadLocal<>() {
        @Override
        protected Last initialValue() {
            return new Last();
        }

        @Override
        protected void onRemoval(Last value) {
            value.forget();
        }
    };

    /**
     * Creates the cache of one format.
     *
     * @param builder builds a frame's wire form; a static method reference
     */
    public SharedEncoding(Builder builder) {
        this.builder = builder;
    }

    /**
     * Returns the frame's wire form for the caller to write (the caller owns it).
     *
     * @param alloc the channel's allocator
     * @param frame the frame, lent
     * @param variant the form wanted
     * @return a retained duplicate of the shared bytes
     */
    public ByteBuf encode(ByteBufAllocator alloc, MediaFrame frame, long variant) {
        Last last = perLoop.get();
        if (frame != last.frame || variant != last.variant || last.encoded == null) {
            last.forget();
            last.encoded = builder.build(alloc, frame, variant);
            last.frame = frame;
            last.variant = variant;
        }
        return last.encoded.retainedDuplicate();
    }

    /** Drops what this thread remembers; for tests and benchmarks that switch streams. */
    public void forget() {
        perLoop.get().forget();
    }

    /** The last frame encoded on one loop. */
    private static final class Last {
        MediaFrame frame;
        long variant;
        ByteBuf encoded;

        void forget() {
            if (encoded != null) {
                encoded.release();
                encoded = null;
            }
            frame = null;
        }
    }
}
