package io.streamkit.test;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator for tests that remembers every buffer it hands out, so that a test (a fuzz
 * target above all) can check after each input that the code under test released all of them,
 * and that no allocation was larger than the bytes it was given can justify.
 *
 * <p>Buffers are unpooled heap buffers, direct ones included ({@link #directBuffer()} returns a
 * heap buffer): parsers read both alike, and a heap buffer of a hostile size fails at once in a
 * small test heap. Netty's leak detector still wraps them. Only the size asked for is recorded;
 * a buffer that grows as it is written is accounted at its first size. Not thread-safe: one
 * test thread, or the event loop of an {@code EmbeddedChannel}, allocates.
 *
 * <p>With {@code -Dstreamkit.test.allocationSites=true} it also keeps where each buffer was
 * allocated, and a failed {@link #assertAllReleased} names the site of the first buffer left:
 * the way to find a leak a fuzz target reported (slow; off by default).
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> buffers = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private final List<Throwable> sites = new ArrayList<>();
    private final boolean keepSites = Boolean.getBoolean("streamkit.test.allocationSites");
    private long bytes;
    private int largest;

    /** Creates an allocator that has handed out nothing yet. */
    public TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity), initialCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity), initialCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf track(ByteBuf buf, int initialCapacity) {
        buffers.add(buf);
        sizes.add(initialCapacity);
        if (keepSites) {
            sites.add(new Throwable("allocated here: " + initialCapacity + " bytes"));
        }
        bytes += initialCapacity;
        largest = Math.max(largest, initialCapacity);
        return buf;
    }

    /**
     * Returns how many buffers were allocated.
     *
     * @return buffers since creation or the last {@link #reset()}
     */
    public int allocations() {
        return buffers.size();
    }

    /**
     * Returns the largest size asked for in one allocation.
     *
     * @return bytes, 0 when nothing was allocated
     */
    public int largestAllocation() {
        return largest;
    }

    /**
     * Returns the sizes asked for, added up.
     *
     * @return bytes
     */
    public long bytesAllocated() {
        return bytes;
    }

    /**
     * Returns the sizes asked for by the buffers still referenced, added up: what the code
     * under test holds now.
     *
     * @return bytes
     */
    public long liveBytes() {
        long n = 0;
        for (int i = 0; i < buffers.size(); i++) {
            ByteBuf b = buffers.get(i);
            if (b.refCnt() > 0) {
                n += sizes.get(i);
            }
        }
        return n;
    }

    /**
     * Returns how many buffers are still referenced.
     *
     * @return buffers whose reference count is above 0
     */
    public int unreleased() {
        int n = 0;
        for (ByteBuf b : buffers) {
            if (b.refCnt() > 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Fails unless every buffer allocated has been released, naming how many were not.
     *
     * @param what the code under test, for the message
     * @throws AssertionError when a buffer is still referenced
     */
    public void assertAllReleased(String what) {
        int n = unreleased();
        if (n > 0) {
            Throwable site = null;
            for (int i = 0; i < buffers.size() && site == null && keepSites; i++) {
                if (buffers.get(i).refCnt() > 0) {
                    site = sites.get(i);
                }
            }
            throw new AssertionError(what + " left " + n + " of its " + buffers.size() + " buffers unreleased"
                    + (keepSites ? "" : " (-Dstreamkit.test.allocationSites=true names where they were allocated)"),
                    site);
        }
    }

    /** Forgets what was allocated, releasing nothing: call it between inputs, after the checks. */
    public void reset() {
        buffers.clear();
        sizes.clear();
        sites.clear();
        bytes = 0;
        largest = 0;
    }
}
