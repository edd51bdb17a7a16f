package io.streamkit.internal.engine;

import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.SubscriberStats;
import io.streamkit.stream.Subscription;
import io.streamkit.stream.Track;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's delivery state. Everything but {@link #close()}, the counters' reads and
 * {@link #detached} (guarded by the hub) is confined to the subscriber's executor.
 */
final class Sub implements Subscription {
    private static final Logger log = LoggerFactory.getLogger(Sub.class);

    private final long id;
    private final Hub hub;
    private final Subscriber subscriber;
    private final SubscribeOptions options;
    private final LoopFanOut loop;
    private final AtomicBoolean closeRequested = new AtomicBoolean();

    /** Guarded by the hub: whether the hub's counts no longer include this subscription. */
    boolean detached;

    // confined to the executor
    private boolean waitingForKeyframe = true;
    /** Whether the wait is a skip (the subscriber fell behind), whose frames count as skipped, not a start. */
    private boolean skipping;
    private boolean dirty;
    private boolean ended;

    // one writer (the executor), read anywhere
    private final Counter framesDelivered = new Counter();
    private final Counter bytesDelivered = new Counter();
    private final Counter framesSkipped = new Counter();
    private final Counter skips = new Counter();

    Sub(long id, Hub hub, Subscriber subscriber, SubscribeOptions options, LoopFanOut loop) {
        this.id = id;
        this.hub = hub;
        this.subscriber = subscriber;
        this.options = options;
        this.loop = loop;
    }

    @Override
    public StreamKey key() {
        return hub.key();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public SubscriberStats stats() {
        return new SubscriberStats(framesDelivered.get(), bytesDelivered.get(), framesSkipped.get(), skips.get());
    }

    @Override
    public void close() {
        if (closeRequested.compareAndSet(false, true)) {
            hub.detach(this, EndReason.CANCELLED);
        }
    }

    SubscribeOptions options() {
        return options;
    }

    /** Payload bytes delivered so far; any thread. */
    long deliveredBytes() {
        return bytesDelivered.get();
    }

    /** Frames skipped so far; any thread. */
    long skippedFrames() {
        return framesSkipped.get();
    }

    LoopFanOut loop() {
        return loop;
    }

    // ---- on the executor; each returns false when the subscriber threw and has ended ----

    boolean start(Track[] tracks, java.util.Map<String, Object> metadata) {
        for (Track t : tracks) {
            if (!trackChanged(t)) {
                return false;
            }
        }
        return metadata == null || metadataChanged(metadata);
    }

    boolean metadataChanged(java.util.Map<String, Object> metadata) {
        if (ended) {
            return false;
        }
        try {
            subscriber.onMetadata(metadata);
            return true;
        } catch (Throwable t) {
            return failed("onMetadata", t);
        }
    }

    boolean trackChanged(Track track) {
        if (ended) {
            return false;
        }
        try {
            subscriber.onTrack(track);
            return true;
        } catch (Throwable t) {
            return failed("onTrack", t);
        }
    }

    /** The publisher left ({@code lost}: its source was lost) or returned. */
    boolean publisherChanged(boolean returned, boolean lost) {
        if (ended) {
            return false;
        }
        try {
            if (returned) {
                waitingForKeyframe = true;
                subscriber.onRepublished();
            } else if (lost) {
                subscriber.onPublisherLost();
            } else {
                subscriber.onUnpublished();
            }
            return true;
        } catch (Throwable t) {
            return failed(returned ? "onRepublished" : lost ? "onPublisherLost" : "onUnpublished", t);
        }
    }

    /** The executor fell behind and frames were dropped before reaching it. */
    void fellBehind() {
        if (!waitingForKeyframe) {
            waitingForKeyframe = true;
            skipping = true;
            skips.increment();
            hub.engine().fireSkip(this, skips.get());
        }
    }

    /**
     * Hands a frame to the subscriber unless it waits for a keyframe or cannot take it.
     *
     * @param frame the frame, lent
     * @param primaryVideo the stream's first video track, whose keyframes start and restart
     *     subscribers; {@code null} without video (every audio frame is a start)
     * @return false when the subscriber threw and has ended
     */
    boolean deliver(MediaFrame frame, Track primaryVideo) {
        if (ended) {
            return false;
        }
        if (waitingForKeyframe) {
            boolean startable = frame.keyframe() && (primaryVideo == null || frame.track() == primaryVideo);
            if (!startable) {
                if (skipping) {
                    framesSkipped.increment();   // frames before a new player's (or publisher's) first keyframe are no skip
                }
                return true;
            }
        }
        try {
            if (!subscriber.writable()) {
                framesSkipped.increment();
                if (!waitingForKeyframe) {
                    waitingForKeyframe = true;
                    skipping = true;
                    skips.increment();
                    hub.engine().fireSkip(this, skips.get());
                }
                return true;
            }
            waitingForKeyframe = false;
            skipping = false;
            subscriber.onFrame(frame);
        } catch (Throwable t) {
            return failed("onFrame", t);
        }
        framesDelivered.increment();
        bytesDelivered.add(frame.content().readableBytes());
        dirty = true;
        return true;
    }

    void flushIfDirty() {
        if (dirty && !ended) {
            dirty = false;
            try {
                subscriber.onFlush();
            } catch (Throwable t) {
                failed("onFlush", t);
            }
        }
    }

    void end(EndReason reason) {
        if (ended) {
            return;
        }
        ended = true;
        hub.retire(this);   // first: whoever learns of the end from onEnd sees it in the stats too
        try {
            subscriber.onEnd(reason);
        } catch (Throwable t) {
            log.warn("subscriber {} of {} threw from onEnd", id, hub.key(), t);
        }
        hub.engine().fireStop(this, reason);
        hub.engine().stopAnnounced(this);
    }

    private boolean failed(String method, Throwable t) {
        log.warn("subscriber {} of {} ({}) threw from {}; detaching it", id, hub.key(), options.protocol(), method, t);
        hub.detach(this, null);
        end(EndReason.FAILED);
        return false;
    }

    @Override
    public String toString() {
        return "Subscription(" + id + " of " + hub.key() + " via " + options.protocol() + ")";
    }
}
