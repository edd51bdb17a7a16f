package io.streamkit.server.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write batching for players: instead of a system call per frame per player, a player's
 * frames are written and flushed once per window, so one {@code writev} carries a window of
 * media (about 350 ms by default, as the merged writes of the best C servers). A stream of 25
 * video and 43 audio frames a second then costs each player about three writes a second
 * instead of 68.
 *
 * <p>One batch exists per event loop and window length. Its players are spread over
 * {@value #SLOTS} slots (round robin, as they join) and a timer visits one slot every
 * window / {@value #SLOTS}: a player that has something to flush {@linkplain #flushLater asks}
 * and is flushed when its slot comes, so a frame waits at most one window and the loop flushes
 * an eighth of its players at a time rather than all of them in one burst. The timer starts
 * with the first request and stops after a round without any. Confined to its event loop:
 * every method is called there.
 */
public final class WriteBatch {
    /** Slots per window: a loop flushes an eighth of its players at a time. */
    static final int SLOTS = 8;

    /** A player that can be flushed by the batch. */
    public interface Member {
        /** Writes and flushes the player's queued frames; called on its event loop when its slot comes. */
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
    @SuppressWarnings("unchecked")
    private final List<Member>[] waiting = new List[SLOTS];
    private List<Member> spare = new ArrayList<>();
    private int nextSlot;
    private int tickSlot;
    private int waitingMembers;
    private int idleTicks;
    private ScheduledFuture<?> timer;

    // during a tick: the queue of the member flushed last, and its bytes once a second member had the same
    private final JoinedFrames joined = new JoinedFrames();

    private WriteBatch(EventLoop loop, long windowNanos) {
        this.loop = loop;
        this.windowNanos = windowNanos;
        for (int i = 0; i < SLOTS; i++) {
            waiting[i] = new ArrayList<>();
        }
    }

    /**
     * Returns the calling loop's batch for a configured window, or {@code null} when the window
     * is zero (no batching: players flush every engine batch).
     *
     * @param loop the calling thread's event loop
     * @param window the configured window
     * @return the loop's batch, or {@code null}
     */
    public static WriteBatch forWindow(EventLoop loop, Duration window) {
        return window.isZero() ? null : of(loop, window.toNanos());
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
     * Gives a new member its slot.
     *
     * @return the slot to pass to {@link #flushLater}
     */
    public int slot() {
        int slot = nextSlot;
        nextSlot = (nextSlot + 1) % SLOTS;
        return slot;
    }

    /**
     * Queues a member for the flush of its slot, at most one window away. The member keeps a
     * flag so that it asks once per window.
     *
     * @param member the player
     * @param slot the member's slot, from {@link #slot()}
     */
    public void flushLater(Member member, int slot) {
        waiting[slot].add(member);
        waitingMembers++;
        if (timer == null) {
            long period = Math.max(1, windowNanos / SLOTS);
            idleTicks = 0;
            timer = loop.scheduleAtFixedRate(tick, period, period, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        List<Member> due = waiting[tickSlot];
        waiting[tickSlot] = spare;
        spare = due;
        tickSlot = (tickSlot + 1) % SLOTS;
        waitingMembers -= due.size();
        for (int i = 0; i < due.size(); i++) {
            try {
                due.get(i).flushBatch();
            } catch (RuntimeException e) {
                log.warn("flushing a batched player failed; the others are flushed", e);
            }
        }
        joined.forget();
        idleTicks = due.isEmpty() && waitingMembers == 0 ? idleTicks + 1 : 0;
        due.clear();
        if (idleTicks >= SLOTS && timer != null) {   // a whole round with nothing to flush
            timer.cancel(false);
            timer = null;
        }
    }

    /**
     * The shared window of the slot being flushed: members of a slot that queued the same
     * frames (in steady state all of a slot's players of one stream and form, flushed together
     * last time) write one copy of them. Forgotten after each tick.
     *
     * @return the batch's joined frames, for members while their slot is being flushed
     */
    JoinedFrames joined() {
        return joined;
    }
}
