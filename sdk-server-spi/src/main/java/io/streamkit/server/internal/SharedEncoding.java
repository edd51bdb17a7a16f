package io.streamkit.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCounted;
import io.netty.util.concurrent.FastThreadLocal;
import io.streamkit.server.spi.WireFormat;
import io.streamkit.stream.MediaFrame;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Encode once, write many (ARCHITECTURE.md rule 2), for any output format: the wire form of
 * a frame is built by the first player on an event loop that needs it and shared with every
 * other player on that loop that wants the same form: the same variant and the same time. Players
 * on a loop receive a frame
 * one after the other, so remembering the last frames per loop and format is enough; the
 * last {@value #RECENT} also serve players that start from the GOP cache, whose frames were
 * encoded when they were live.
 *
 * <p>The wire form is kept as a short, reference-counted list of <em>leaf</em> buffers (headers and slices of
 * the frame's payload, never a composite). A player keeps the list itself ({@link #acquire})
 * until its flush, which sends the leaves' memory straight to the socket or, through the
 * channel, retained duplicates of them; a pusher writes the duplicates at once
 * ({@link #write}). With the server's pooled allocator those duplicates are recycled objects,
 * the channel's outbound buffer recycles its entries and a native transport gathers the
 * leaves into one {@code writev} by their memory addresses, so a player costs no allocation
 * per frame. A composite per player would cost one, plus a {@code ByteBuffer} per component
 * on the way to the socket.
 *
 * <p>Each format holds one {@code SharedEncoding} as a static field and calls it from its
 * players; the state behind it is per event loop (a {@link FastThreadLocal}), so nothing is
 * shared between threads. The builder must be a non-capturing function (a static method
 * reference), so a call allocates nothing.
 */
public final class SharedEncoding {
    /**
     * The leaf buffers of one frame's wire form, in order; owns one reference to each and is
     * itself reference counted, so that a player can keep a frame's form until its flush,
     * after the loop has moved on to the next frame. Confined to the event loop that built it,
     * so its count is a plain field: every player of the loop takes and drops a reference per
     * frame, and an atomic count would make each of those a locked instruction.
     */
    public static final class Parts implements ReferenceCounted, Consumer<ByteBuf> {
        private ByteBuf[] leaves = new ByteBuf[8];
        private int count;
        private int bytes;
        private int refCnt = 1;

        /** An empty list with one reference. */
        public Parts() {
        }

        /** @return the bytes of all leaves */
        public int bytes() {
            return bytes;
        }

        /**
         * Writes retained duplicates of the leaves, with the void promise and without a flush.
         *
         * @param out a channel or handler context
         * @return the bytes written
         */
        public int writeTo(ChannelOutboundInvoker out) {
            for (int i = 0; i < count; i++) {
                out.write(leaves[i].retainedDuplicate(), out.voidPromise());
            }
            return bytes;
        }

        /**
         * Copies the bytes of several frames' forms, in order, into one new buffer.
         *
         * @param parts the forms
         * @param count how many of {@code parts}
         * @param alloc where the buffer comes from
         * @return the bytes; the caller owns them
         */
        public static ByteBuf copy(Parts[] parts, int count, ByteBufAllocator alloc) {
            int total = 0;
            for (int i = 0; i < count; i++) {
                total += parts[i].bytes;
            }
            ByteBuf whole = alloc.directBuffer(total);
            for (int i = 0; i < count; i++) {
                Parts p = parts[i];
                for (int j = 0; j < p.count; j++) {
                    ByteBuf leaf = p.leaves[j];
                    whole.writeBytes(leaf, leaf.readerIndex(), leaf.readableBytes());
                }
            }
            return whole;
        }

        @Override
        public int refCnt() {
            return refCnt;
        }

        @Override
        public Parts retain() {
            return retain(1);
        }

        @Override
        public Parts retain(int increment) {
            if (refCnt <= 0 || increment <= 0) {
                throw new IllegalReferenceCountException(refCnt, increment);
            }
            refCnt += increment;
            return this;
        }

        @Override
        public Parts touch() {
            return this;
        }

        @Override
        public Parts touch(Object hint) {
            return this;
        }

        @Override
        public boolean release() {
            return release(1);
        }

        @Override
        public boolean release(int decrement) {
            if (decrement <= 0 || refCnt < decrement) {
                throw new IllegalReferenceCountException(refCnt, -decrement);
            }
            refCnt -= decrement;
            if (refCnt == 0) {
                clear();
                return true;
            }
            return false;
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
            bytes += leaf.readableBytes();
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

        /** Appends a leaf, as {@link #add}: the list a {@link WireFormat} fills. */
        @Override
        public void accept(ByteBuf leaf) {
            add(leaf);
        }

        private void clear() {
            for (int i = 0; i < count; i++) {
                leaves[i].release();
                leaves[i] = null;
            }
            count = 0;
            bytes = 0;
        }
    }

    /**
     * How many encoded frames a loop remembers per format: a little more than a 2 s GOP of
     * one stream at 25 fps video and 48 kHz AAC (about 150 frames), so that players starting
     * from the GOP cache find its frames already encoded.
     */
    static final int RECENT = 256;

    /** The shared forms of the formats opened through the SPI ({@link LoopPlayerOutputs}), by format. */
    private static final ConcurrentMap<WireFormat, SharedEncoding> OF_FORMAT = new ConcurrentHashMap<>();

    private final WireFormat format;
    private final FastThreadLocal<Recent> perLoop = LoopLocal.of(Recent::new, Recent::forget);

    /**
     * Creates the cache of one format.
     *
     * @param format builds a frame's wire form; a static method reference
     */
    public SharedEncoding(WireFormat format) {
        this.format = format;
    }

    /**
     * Returns the one cache of a format, made on its first use.
     *
     * @param format the format, one instance per format
     * @return its cache
     */
    static SharedEncoding of(WireFormat format) {
        return OF_FORMAT.computeIfAbsent(format, SharedEncoding::new);
    }

    /**
     * Writes the frame's wire form to {@code out} as retained duplicates of the shared leaves,
     * with the void promise and without a flush.
     *
     * @param out the player's channel or handler context
     * @param alloc the channel's allocator
     * @param frame the frame, lent
     * @param variant the form wanted
     * @param time the time the form carries
     * @return the number of bytes written
     */
    public int write(ChannelOutboundInvoker out, ByteBufAllocator alloc, MediaFrame frame, long variant, long time) {
        return parts(alloc, frame, variant, time).writeTo(out);
    }

    /**
     * Returns the frame's wire form for the caller to keep: the shared parts, retained.
     *
     * @param alloc the channel's allocator
     * @param frame the frame, lent
     * @param variant the form wanted
     * @param time the time the form carries
     * @return the parts; the caller owns one reference
     */
    public Parts acquire(ByteBufAllocator alloc, MediaFrame frame, long variant, long time) {
        return parts(alloc, frame, variant, time).retain();
    }

    private Parts parts(ByteBufAllocator alloc, MediaFrame frame, long variant, long time) {
        Recent recent = perLoop.get();
        Parts parts = recent.find(frame, variant, time);
        if (parts == null) {
            parts = new Parts();
            try {
                format.encode(alloc, frame, variant, time, parts);
            } catch (RuntimeException | Error e) {
                parts.release();
                throw e;
            }
            recent.add(frame, variant, time, parts);
        }
        return parts;
    }

    /** Drops what this thread remembers; for tests and benchmarks that switch streams. */
    public void forget() {
        perLoop.get().forget();
    }

    /**
     * The frames last encoded on one loop, as a ring of {@value #RECENT}. A live frame is
     * asked for by every player one after the other, so the newest entry answers; a player
     * starting from the GOP cache asks for its frames in order, which were encoded when they
     * were live, so the entry after its last hit answers, and the last hit itself answers the
     * players after it; anything else is looked for in the whole ring, once per frame and
     * loop rather than per player. The ring holds one
     * reference to each form, so it keeps at most {@value #RECENT} frames' bytes beyond their
     * time (most of them are in a GOP cache anyway), until newer frames take their places or
     * the loop ends.
     */
    private static final class Recent {
        private static final int MASK = RECENT - 1;
        private final MediaFrame[] frames = new MediaFrame[RECENT];
        private final long[] variants = new long[RECENT];
        private final long[] times = new long[RECENT];
        private final Parts[] forms = new Parts[RECENT];
        private int newest = MASK;
        private int lastHit = MASK;
        private int count;

        Parts find(MediaFrame frame, long variant, long time) {
            if (count == 0) {
                return null;
            }
            if (is(newest, frame, variant, time)) {
                return forms[newest];
            }
            if (is(lastHit, frame, variant, time)) {
                return forms[lastHit];
            }
            int next = (lastHit + 1) & MASK;
            if (is(next, frame, variant, time)) {
                lastHit = next;
                return forms[next];
            }
            for (int k = 1, i = newest; k < count; k++) {
                i = (i - 1) & MASK;
                if (is(i, frame, variant, time)) {
                    lastHit = i;
                    return forms[i];
                }
            }
            return null;
        }

        private boolean is(int i, MediaFrame frame, long variant, long time) {
            return frames[i] == frame && variants[i] == variant && times[i] == time;
        }

        void add(MediaFrame frame, long variant, long time, Parts parts) {
            newest = (newest + 1) & MASK;
            if (forms[newest] != null) {
                forms[newest].release();
            }
            frames[newest] = frame;
            variants[newest] = variant;
            times[newest] = time;
            forms[newest] = parts;
            lastHit = newest;
            count = Math.min(count + 1, RECENT);
        }

        void forget() {
            for (int i = 0; i < RECENT; i++) {
                if (forms[i] != null) {
                    forms[i].release();
                    forms[i] = null;
                }
                frames[i] = null;
            }
            count = 0;
        }
    }
}
