package io.streamkit.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.util.concurrent.FastThreadLocal;
import io.streamkit.stream.MediaFrame;
import java.util.Arrays;

/**
 * Encode once, write many (ARCHITECTURE.md rule 2), for any output format: the wire form of
 * a frame is built by the first player on an event loop that needs it and shared with every
 * other player on that loop that wants the same variant. Players on a loop receive a frame
 * one after the other, so remembering the last frame per loop and format is enough.
 *
 * <p>The wire form is kept as a short list of <em>leaf</em> buffers (headers and slices of
 * the frame's payload, never a composite), and a player is given each as a retained
 * duplicate written on its own ({@link #write}). With the server's pooled allocator those
 * duplicates are recycled objects, the channel's outbound buffer recycles its entries and a
 * native transport gathers the leaves into one {@code writev} by their memory addresses, so a
 * player costs no allocation per frame. A composite per player would cost one, plus a
 * {@code ByteBuffer} per component on the way to the socket.
 *
 * <p>Each format holds one {@code SharedEncoding} as a static field and calls it from its
 * players; the state behind it is per event loop (a {@link FastThreadLocal}), so nothing is
 * shared between threads. The builder must be a non-capturing function (a static method
 * reference), so a call allocates nothing.
 */
public final class SharedEncoding {
    /** Builds the wire form of one frame; called once per frame, variant and loop. */
    @FunctionalInterface
    public interface Builder {
        /**
         * Builds the bytes as leaf buffers added to {@code into}, in wire order.
         *
         * @param alloc the allocator to use
         * @param frame the frame, lent
         * @param variant what distinguishes forms of the same frame (stream id, chunk size, header form)
         * @param into where the leaves go; it owns what is added
         */
        void build(ByteBufAllocator alloc, MediaFrame frame, long variant, Parts into);
    }

    /** The leaf buffers of one frame's wire form, in order; owns one reference to each. */
    public static final class Parts {
        private ByteBuf[] leaves = new ByteBuf[8];
        private int count;

        /** An empty list. */
        public Parts() {
        }

        /**
         * Appends a leaf; ownership passes to this list.
         *
         * @param leaf a buffer that is not a composite
         */
        public void add(ByteBuf leaf) {
            if (count == leaves.length) {
                leaves = Arrays.copyOf(leaves, count * 2);
            }
            leaves[count++] = leaf;
        }

        /** @return how many leaves */
        public int count() {
            return count;
        }

        /**
         * @param i index
         * @return the leaf, still owned by this list
         */
        public ByteBuf get(int i) {
            return leaves[i];
        }

        /** Releases every leaf and empties the list. */
        public void clear() {
            for (int i = 0; i < count; i++) {
                leaves[i].release();
                leaves[i] = null;
            }
            count = 0;
        }
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
     * Writes the frame's wire form to {@code out} as retained duplicates of the shared leaves,
     * with the void promise and without a flush.
     *
     * @param out the player's channel or handler context
     * @param alloc the channel's allocator
     * @param frame the frame, lent
     * @param variant the form wanted
     * @return the number of bytes written
     */
    public int write(ChannelOutboundInvoker out, ByteBufAllocator alloc, MediaFrame frame, long variant) {
        Parts parts = parts(alloc, frame, variant);
        int bytes = 0;
        for (int i = 0; i < parts.count; i++) {
            ByteBuf leaf = parts.leaves[i];
            bytes += leaf.readableBytes();
            out.write(leaf.retainedDuplicate(), out.voidPromise());
        }
        return bytes;
    }

    /**
     * Returns the frame's wire form as one buffer, for a transport that needs one message per
     * frame (a WebSocket frame); a composite of retained duplicates, allocated per call.
     *
     * @param alloc the channel's allocator
     * @param frame the frame, lent
     * @param variant the form wanted
     * @return the bytes; the caller owns them
     */
    public ByteBuf encode(ByteBufAllocator alloc, MediaFrame frame, long variant) {
        Parts parts = parts(alloc, frame, variant);
        if (parts.count == 1) {
            return parts.leaves[0].retainedDuplicate();
        }
        CompositeByteBuf whole = alloc.compositeBuffer(parts.count);
        for (int i = 0; i < parts.count; i++) {
            whole.addComponent(true, parts.leaves[i].retainedDuplicate());
        }
        return whole;
    }

    private Parts parts(ByteBufAllocator alloc, MediaFrame frame, long variant) {
        Last last = perLoop.get();
        if (frame != last.frame || variant != last.variant || last.parts.count == 0) {
            last.forget();
            try {
                builder.build(alloc, frame, variant, last.parts);
            } catch (RuntimeException | Error e) {
                last.forget();
                throw e;
            }
            last.frame = frame;
            last.variant = variant;
        }
        return last.parts;
    }

    /** Drops what this thread remembers; for tests and benchmarks that switch streams. */
    public void forget() {
        perLoop.get().forget();
    }

    /** The last frame encoded on one loop. */
    private static final class Last {
        final Parts parts = new Parts();
        MediaFrame frame;
        long variant;

        void forget() {
            parts.clear();
            frame = null;
        }
    }
}
