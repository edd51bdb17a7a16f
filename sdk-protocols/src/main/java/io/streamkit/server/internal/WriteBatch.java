package io.streamkit.server.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write batching for players: instead of a system call per frame per player, a player's
 * frames are queued on its channel and flushed once per window, so one {@code writev}
 * carries a window of media (about 350 ms by default, as the merged writes of the best C
 * servers). A stream of 25 video and 43 audio frames a second then costs each player about
 * three writes a second instead of 68.
 *
 * <p>One batch exists per event loop and window length. A player that has written since its
 * last flush {@linkplain #flushLater asks} to be flushed; the first request of a window
 * schedules one task on the loop, which flushes every player that asked, in the order they
 * asked. So a frame waits at most one window on the server. Confined to its event loop: every
 * method is called there.
 */
public final class WriteBatch {
    /** A player that can be flushed by the batch. */
    public interface Member {
        /** Flushes the player's channel; called on its event loop at the end of a window. */
        void flushBatch();
    }

    private static final Logger log = LoggerFactory.getLogger(WriteBatch.class);
    private static final FastThreadLocal<List<WriteBatch>> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected List<WriteBatch> initialValue() {
            return new ArrayList<>(2);
        }
    };

    private final EventLoop loop;
    private final long windowNanos;
    private final Runnable tick = this::tick;
    private List<Member> waiting = new ArrayList<>();
    private List<Member> flushing = new ArrayList<>();

    private WriteBatch(EventLoop loop, long windowNanos) {
        this.loop = loop;
        this.windowNanos = windowNanos;
    }

    /**
     * Returns the batch of the calling event loop for a window, creating it on first use.
     *
     * @param loop the calling thread's event loop
     * @param windowNanos the window, more than 0
     * @return the loop's batch
     */
    public static WriteBatch of(EventLoop loop, long windowNanos) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("a write batch is taken on its own event loop");
        }
        List<WriteBatch> batches = PER_LOOP.get();
        for (int i = 0; i < batches.size(); i++) {
            WriteBatch b = batches.get(i);
            if (b.windowNanos == windowNanos && b.loop == loop) {
                return b;
            }
        }
        WriteBatch b = new WriteBatch(loop, windowNanos);
        batches.add(b);
        return b;
    }

    /**
     * Queues a member for the flush at the end of the current window. The member keeps a
     * flag so that it asks once per window.
     *
     * @param member the player
     */
    public void flushLater(Member member) {
        if (waiting.isEmpty()) {
            loop.schedule(tick, windowNanos, TimeUnit.NANOSECONDS);
        }
        waiting.add(member);
    }

    /** The window length in nanoseconds. */
    long windowNanos() {
        return windowNanos;
    }

    private void tick() {
        List<Member> due = waiting;
        waiting = flushing;
        flushing = due;
        for (int i = 0; i < due.size(); i++) {
            try {
                due.get(i).flushBatch();
            } catch (RuntimeException e) {
                log.warn("flushing a batched player failed; the others are flushed", e);
            }
        }
        due.clear();
    }
}
