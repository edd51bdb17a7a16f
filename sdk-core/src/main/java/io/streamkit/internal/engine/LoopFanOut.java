package io.streamkit.internal.engine;

import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Track;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out of one stream on one executor: the hub offers each frame here once; the
 * executor hands it to every local subscriber in turn and flushes each once per batch.
 *
 * <p>Producers (the hub, under its lock) call {@link #offer} and {@link #offerFrame} from
 * any thread; {@link #run} and the subscriber list are confined to the executor. Frames in
 * the queue are bounded by {@code backlog}: beyond it a frame is not queued, and the next
 * frame that is delivered first makes every local subscriber skip to a keyframe.
 */
final class LoopFanOut implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LoopFanOut.class);

    /** Items per run before yielding the executor to other work, such as reads and other streams. */
    private static final int BATCH = 64;

    private final Hub hub;
    private final Executor executor;
    private final int backlog;
    private final MpscUnboundedArrayQueue<Object> queue = new MpscUnboundedArrayQueue<>(64);
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean overflowed;

    /** Subscribers attached on this executor, counted by the hub under its lock. */
    int attached;

    // confined to the executor
    private final ArrayList<Sub> subs = new ArrayList<>();

    LoopFanOut(Hub hub, Executor executor, int backlog) {
        this.hub = hub;
        this.executor = executor;
        this.backlog = backlog;
    }

    Executor executor() {
        return executor;
    }

    Hub hub() {
        return hub;
    }

    /** Queues a control command. */
    void offer(Object command) {
        queue.offer(command);
        schedule();
    }

    /** Queues a frame, retained for this executor, unless the executor is too far behind. */
    void offerFrame(MediaFrame frame) {
        if (queuedFrames.incrementAndGet() > backlog) {
            queuedFrames.decrementAndGet();
            overflowed = true;
            return;
        }
        queue.offer(frame.retain());
        schedule();
    }

    private void schedule() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                log.debug("executor of {} refused fan-out; releasing its queue", hub.key());
                discard();
            }
        }
    }

    @Override
    public void run() {
        Track primaryVideo = hub.primaryVideo();
        Object item;
        int n = 0;
        while (n < BATCH && (item = queue.poll()) != null) {
            n++;
            if (item instanceof MediaFrame frame) {
                queuedFrames.decrementAndGet();
                deliver(frame, primaryVideo);
            } else {
                handle(item, primaryVideo);
            }
        }
        for (int i = 0, size = subs.size(); i < size; i++) {
            subs.get(i).flushIfDirty();
        }
        scheduled.set(false);
        if (!queue.isEmpty()) {
            schedule();
        }
    }

    private void deliver(MediaFrame frame, Track primaryVideo) {
        try {
            if (overflowed) {
                overflowed = false;
                for (int i = 0, size = subs.size(); i < size; i++) {
                    subs.get(i).fellBehind();
                }
            }
            for (int i = 0; i < subs.size(); i++) {
                Sub sub = subs.get(i);
                if (!sub.deliver(frame, primaryVideo)) {
                    subs.remove(i--);   // it threw and ended
                }
            }
        } finally {
            frame.release();
        }
    }

    private void handle(Object command, Track primaryVideo) {
        if (command instanceof Control.Join join) {
            Sub sub = join.sub();
            MediaFrame[] cached = join.cached();
            try {
                if (sub.start(join.tracks(), join.metadata())) {
                    subs.add(sub);
                    for (MediaFrame f : cached) {
                        if (!sub.deliver(f, primaryVideo)) {
                            subs.remove(sub);
                            break;
                        }
                    }
                }
            } finally {
                for (MediaFrame f : cached) {
                    f.release();
                }
            }
        } else if (command instanceof Control.Leave leave) {
            if (subs.remove(leave.sub())) {
                leave.sub().end(leave.reason());
            }
        } else if (command instanceof Control.Metadata meta) {
            for (int i = 0; i < subs.size(); i++) {
                if (!subs.get(i).metadataChanged(meta.values())) {
                    subs.remove(i--);
                }
            }
        } else if (command instanceof Control.TrackChanged changed) {
            for (int i = 0; i < subs.size(); i++) {
                if (!subs.get(i).trackChanged(changed.track())) {
                    subs.remove(i--);
                }
            }
        } else if (command == Control.UNPUBLISHED || command == Control.REPUBLISHED || command == Control.LOST) {
            boolean back = command == Control.REPUBLISHED;
            boolean lost = command == Control.LOST;
            for (int i = 0; i < subs.size(); i++) {
                if (!subs.get(i).publisherChanged(back, lost)) {
                    subs.remove(i--);
                }
            }
        } else if (command instanceof Control.End end) {
            EndReason reason = end.reason();
            for (Sub sub : subs) {
                sub.end(reason);
            }
            subs.clear();
        }
    }

    /** The executor is gone: release what the queue holds, calling no subscriber. */
    private void discard() {
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof MediaFrame frame) {
                queuedFrames.decrementAndGet();
                frame.release();
            } else if (item instanceof Control.Join join) {
                for (MediaFrame f : join.cached()) {
                    f.release();
                }
            }
        }
        scheduled.set(false);
    }
}
