package io.streamkit.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * The frames that players of one event loop flush one after the other, as one buffer they
 * share when their queues are the same. In steady state they are: every player of a stream
 * and form received the same frames since its last flush, whether that was the last engine
 * batch (no write batching) or its slot of the last window ({@link WriteBatch}).
 *
 * <p>The first player with a queue is told to write its own, and its queue is remembered; the
 * second with the same queue copies the frames once into one pooled buffer, and every further
 * one writes a duplicate of it: one {@code send} of one buffer a player, instead of a
 * {@code writev} of two or three leaves per frame (or as many outbound entries). Queues are
 * compared by the identity of their shared frame forms, which are never reused, so two queues
 * match only when they hold the very same frames. Confined to its event loop.
 */
final class JoinedFrames {
    private static final FastThreadLocal<JoinedFrames> PER_LOOP = LoopLocal.of(JoinedFrames::new, JoinedFrames::forget);

    private SharedEncoding.Parts[] lastQueue = new SharedEncoding.Parts[16];
    private int lastCount;
    private ByteBuf joined;

    /** @return the calling event loop's instance, for players that flush every engine batch */
    static JoinedFrames forThisLoop() {
        return PER_LOOP.get();
    }

    /**
     * Returns the queued frames as one buffer shared with the players before, or {@code null}
     * to write them as they are.
     *
     * @param queue the player's queued frames, in order
     * @param count how many
     * @param alloc the player's allocator
     * @return a retained duplicate of the shared bytes, or {@code null} to write the queue itself
     */
    ByteBuf joined(SharedEncoding.Parts[] queue, int count, ByteBufAllocator alloc) {
        if (count == lastCount && Arrays.equals(queue, 0, count, lastQueue, 0, count)) {
            if (joined == null) {
                joined = SharedEncoding.Parts.copy(queue, count, alloc);
            }
            return joined.retainedDuplicate();
        }
        forget();
        if (lastQueue.length < count) {
            lastQueue = new SharedEncoding.Parts[Math.max(count, lastQueue.length * 2)];
        }
        System.arraycopy(queue, 0, lastQueue, 0, count);
        lastCount = count;
        return null;
    }

    /** Drops the remembered queue and the shared copy; the next player starts afresh. */
    void forget() {
        if (joined != null) {
            joined.release();
            joined = null;
        }
        Arrays.fill(lastQueue, 0, lastCount, null);
        lastCount = 0;
    }
}
