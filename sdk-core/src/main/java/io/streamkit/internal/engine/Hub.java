package io.streamkit.internal.engine;

import io.netty.buffer.ByteBuf;
import io.streamkit.engine.StreamEngine;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamException;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Subscription;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/**
 * One stream: its publisher, tracks, GOP cache, and the executors its subscribers live on.
 * Every field is guarded by this object's monitor; application code is never called while
 * it is held (stages are completed and listeners fired after release).
 */
final class Hub {
    private static final LoopFanOut[] NO_LOOPS = new LoopFanOut[0];
    /** The out bitrate spans about this long: one second, like the tracks' in bitrate. */
    private static final long RATE_WINDOW_NANOS = 1_000_000_000L;
    /** Snapshots closer together than this share one sample, so a burst of calls keeps the window. */
    private static final long SAMPLE_SPACING_NANOS = 250_000_000L;
    /** Below this span a rate is too noisy to report; the previous one stands. */
    private static final long MIN_RATE_SPAN_NANOS = 200_000_000L;
    /** Samples kept: at the minimum spacing, twice the window. */
    private static final int SAMPLES = 8;

    private final Engine engine;
    private final StreamKey key;
    private final StreamPolicy policy;
    private final GopCache gop;
    private final long maxJumpMicros;
    private final java.util.function.LongSupplier ticker;

    private final List<EngineTrack> tracks = new ArrayList<>();
    private final IdentityHashMap<Executor, LoopFanOut> loopByExecutor = new IdentityHashMap<>();
    private LoopFanOut[] loops = NO_LOOPS;
    private final List<Pending> pending = new ArrayList<>();

    private PublisherSession publisher;
    private java.util.Map<String, Object> metadata;
    private PublishOptions lastPublish;
    private Instant publishedAt;
    private int generation;
    private long maxDts = Long.MIN_VALUE;
    private int subscribers;
    private boolean published;
    private boolean removed;
    private ScheduledFuture<?> graceTimer;
    /** The first video track: its keyframes start players and the GOP cache; {@code null} without video. */
    private volatile EngineTrack primaryVideo;
    private volatile boolean live;

    // statistics: bytesIn has one writer at a time (under the lock), read anywhere; the rest guarded
    private final Counter bytesIn = new Counter();
    private final Set<Sub> subs = Collections.newSetFromMap(new IdentityHashMap<>());   // attached, not yet ended
    private long retiredBytesOut;
    private long retiredFramesSkipped;
    private final long[] sampleNanos = new long[SAMPLES];
    private final long[] sampleBytes = new long[SAMPLES];
    private int sampleCount;
    private int sampleNewest = -1;
    private long outRate;

    Hub(Engine engine, StreamKey key, StreamPolicy policy) {
        this.engine = engine;
        this.key = key;
        this.policy = policy;
        this.gop = new GopCache(policy.gopCacheMaxBytes(), policy.audioWindow().toNanos() / 1000);
        this.maxJumpMicros = policy.maxTimestampJump().toNanos() / 1000;
        this.ticker = engine.ticker();
    }

    StreamKey key() {
        return key;
    }

    Engine engine() {
        return engine;
    }

    boolean hasVideo() {
        return primaryVideo != null;
    }

    /**
     * Returns the stream's first video track: a multitrack stream's other video tracks have
     * keyframes of their own, and a player that started at one would start the first track
     * on a picture it cannot decode. Any thread.
     *
     * @return the track, or {@code null} when the stream has no video
     */
    Track primaryVideo() {
        return primaryVideo;
    }

    /** Whether a publisher owns the stream now; any thread. */
    boolean isLive() {
        return live;
    }

    /** Payload bytes written so far; any thread. */
    long bytesIn() {
        return bytesIn.get();
    }

    // ---- publishing ----

    /** Returns the new publisher, or {@code null} when this hub was removed meanwhile. */
    Publisher publish(PublishOptions options) {
        PublisherSession previous;
        PublisherSession session;
        List<Pending> woken;
        synchronized (this) {
            if (removed) {
                return null;
            }
            previous = publisher;
            if (previous != null) {
                if (policy.onConflict() == StreamPolicy.Conflict.REJECT) {
                    engine.publishRejected();
                    throw new StreamException(StreamException.Reason.ALREADY_PUBLISHING,
                            "stream " + key + " is already being published");
                }
                previous.markClosed();
                gop.clear();
                metadata = null;
            }
            cancelGrace();
            boolean returning = published && previous == null;
            session = new PublisherSession(this, options, ++generation);
            publisher = session;
            live = true;
            published = true;
            lastPublish = options;
            publishedAt = Instant.now();
            if (returning || previous != null) {
                offerAll(Control.REPUBLISHED);
            }
            woken = new ArrayList<>(pending);
            pending.clear();
            for (Pending p : woken) {
                p.cancelTimer();
                p.sub = attach(p.subscriber, p.options, p.executor);
            }
        }
        if (previous != null) {
            previous.completeClosed(EndReason.TAKEN_OVER);
            engine.fireUnpublish(key, previous.options());
        }
        engine.firePublish(key, options);
        for (Pending p : woken) {
            engine.firePlay(p.sub);
            completeLater(p.future, p.sub);
        }
        return session;
    }

    Track addTrack(PublisherSession session, TrackFormat format) {
        synchronized (this) {
            requireCurrent(session);
            EngineTrack track = null;
            for (EngineTrack t : tracks) {
                if (t.session() != session && t.type() == format.type()) {
                    track = t;   // continue the same-typed track of a previous publisher
                    break;
                }
            }
            if (track == null) {
                if (tracks.size() >= StreamEngine.MAX_TRACKS) {
                    throw new IllegalStateException("stream " + key + " has " + tracks.size()
                            + " tracks, the limit is " + StreamEngine.MAX_TRACKS);
                }
                track = new EngineTrack(key, tracks.size(), ticker.getAsLong());
                tracks.add(track);
            }
            track.claim(session, format);
            if (format.type() == MediaType.VIDEO && primaryVideo == null) {
                primaryVideo = track;
            }
            offerAll(new Control.TrackChanged(track));
            return track;
        }
    }

    void updateTrack(PublisherSession session, EngineTrack track, TrackFormat format) {
        synchronized (this) {
            requireCurrent(session);
            if (track.session() != session) {
                throw new IllegalArgumentException("track " + track.id() + " does not belong to this publisher");
            }
            if (track.type() != format.type()) {
                throw new IllegalArgumentException("track " + track.id() + " is " + track.type()
                        + ", the new format is " + format.type());
            }
            if (!track.format().equals(format)) {
                track.setFormat(format);
                offerAll(new Control.TrackChanged(track));
            }
        }
    }

    void updateMetadata(PublisherSession session, java.util.Map<String, Object> values) {
        synchronized (this) {
            requireCurrent(session);
            metadata = values;
            offerAll(new Control.Metadata(values));
        }
    }

    boolean write(PublisherSession session, EngineTrack track, long dts, long pts, boolean keyframe, ByteBuf payload) {
        synchronized (this) {
            if (publisher != session || track.session() != session) {
                payload.release();
                return false;
            }
            long now = ticker.getAsLong();
            long outDts = track.normalize(dts, session, maxJumpMicros, maxDts, now);
            long cts = pts - dts;
            if (cts < 0 || cts > maxJumpMicros) {
                cts = 0;
            }
            if (outDts > maxDts) {
                maxDts = outDts;
            }
            boolean key = keyframe || track.type() == MediaType.AUDIO;
            MediaFrame frame = MediaFrame.of(track, outDts, outDts + cts, key, payload);
            track.count(frame, now);
            bytesIn.add(frame.content().readableBytes());
            gop.add(frame, primaryVideo);
            LoopFanOut[] targets = loops;
            for (LoopFanOut loop : targets) {
                loop.offerFrame(frame);
            }
            frame.release();
            return true;
        }
    }

    /** The publisher leaves on its own: subscribers wait out the grace period. */
    void unpublish(PublisherSession session, EndReason reason) {
        unpublish(session, reason, false);
    }

    /** Ends a publish; {@code lost} tells subscribers the source was lost rather than stopped. */
    void unpublish(PublisherSession session, EndReason reason, boolean lost) {
        boolean endNow = false;
        synchronized (this) {
            if (publisher != session) {
                return;
            }
            session.markClosed();
            publisher = null;
            live = false;
            gop.clear();
            metadata = null;
            long graceNanos = policy.reconnectGrace().toNanos();
            if (subscribers == 0 || graceNanos == 0) {
                endNow = true;
            } else {
                offerAll(lost ? Control.LOST : Control.UNPUBLISHED);
                graceTimer = engine.schedule(this::graceExpired, graceNanos);
            }
        }
        session.completeClosed(reason);
        engine.fireUnpublish(key, session.options());
        if (endNow) {
            end(EndReason.UNPUBLISHED);
        }
    }

    private void graceExpired() {
        synchronized (this) {
            if (publisher != null || removed) {
                return;
            }
        }
        end(EndReason.UNPUBLISHED);
    }

    /** Ends the stream now: publisher, subscribers and waiting players. Returns false if already ended. */
    boolean end(EndReason reason) {
        PublisherSession session;
        List<Pending> refused;
        synchronized (this) {
            if (removed) {
                return false;
            }
            removed = true;
            engine.removeHub(this);
            cancelGrace();
            session = publisher;
            publisher = null;
            live = false;
            if (session != null) {
                session.markClosed();
            }
            gop.clear();
            offerAll(new Control.End(reason));
            loops = NO_LOOPS;
            loopByExecutor.clear();
            subscribers = 0;
            refused = new ArrayList<>(pending);
            pending.clear();
        }
        if (session != null) {
            session.completeClosed(reason);
            engine.fireUnpublish(key, session.options());
        }
        for (Pending p : refused) {
            p.cancelTimer();
            if (reason != EndReason.SHUTDOWN) {
                engine.playRejected();
            }
            failLater(p.future, reason == EndReason.SHUTDOWN
                    ? new StreamException(StreamException.Reason.CLOSED, "engine is closed")
                    : new StreamException(StreamException.Reason.NOT_FOUND, "stream " + key + " not found"));
        }
        return true;
    }

    // ---- subscribing ----

    /** Returns the stage, or {@code null} when this hub was removed meanwhile. */
    CompletionStage<Subscription> subscribe(Subscriber subscriber, SubscribeOptions options, Executor executor) {
        Sub sub;
        Pending waiting = null;
        synchronized (this) {
            if (removed) {
                return null;
            }
            if (!published) {
                long waitNanos = policy.playWait().toNanos();
                if (waitNanos == 0) {
                    engine.playRejected();
                    removeIfIdle();
                    return CompletableFuture.failedFuture(new StreamException(StreamException.Reason.NOT_FOUND,
                            "stream " + key + " not found"));
                }
                waiting = new Pending(subscriber, options, executor);
                pending.add(waiting);
                Pending p = waiting;
                p.timer = engine.schedule(() -> playWaitExpired(p), waitNanos);
                sub = null;
            } else {
                sub = attach(subscriber, options, executor);
            }
        }
        if (waiting != null) {
            engine.firePlayWaiting(key, options);
            return waiting.future;
        }
        engine.firePlay(sub);
        return CompletableFuture.completedFuture(sub);
    }

    private void playWaitExpired(Pending p) {
        synchronized (this) {
            if (!pending.remove(p)) {
                return;
            }
            removeIfIdle();
        }
        engine.playRejected();
        p.future.completeExceptionally(new StreamException(StreamException.Reason.NOT_FOUND,
                "stream " + key + " was not published within " + policy.playWait()));
    }

    /** Guarded. */
    private Sub attach(Subscriber subscriber, SubscribeOptions options, Executor executor) {
        LoopFanOut loop = loopByExecutor.get(executor);
        if (loop == null) {
            loop = new LoopFanOut(this, executor, engine.loopBacklog());
            loopByExecutor.put(executor, loop);
            loops = Arrays.copyOf(loops, loops.length + 1);
            loops[loops.length - 1] = loop;
        }
        Sub sub = new Sub(engine.nextId(), this, subscriber, options, loop);
        subs.add(sub);
        engine.subAttached(sub);
        loop.attached++;
        subscribers++;
        Track[] trackSnapshot = tracks.toArray(new Track[0]);
        loop.offer(new Control.Join(sub, trackSnapshot, metadata, gop.snapshot()));
        return sub;
    }

    /** Detaches a subscription from the hub's counts; idempotent. The loop forgets it on its own. */
    void detach(Sub sub, EndReason reason) {
        synchronized (this) {
            if (sub.detached) {
                return;
            }
            sub.detached = true;
            if (removed) {
                return;
            }
            subscribers--;
            LoopFanOut loop = sub.loop();
            if (reason != null) {
                loop.offer(new Control.Leave(sub, reason));
            }
            if (--loop.attached == 0) {
                loopByExecutor.remove(loop.executor());
                LoopFanOut[] next = new LoopFanOut[loops.length - 1];
                int i = 0;
                for (LoopFanOut l : loops) {
                    if (l != loop) {
                        next[i++] = l;
                    }
                }
                loops = next;
            }
            removeIfIdle();
        }
    }

    /**
     * A subscription ended, on its executor after its last delivery: its counts move to the
     * retired totals, here and in the engine.
     */
    void retire(Sub sub) {
        synchronized (this) {
            if (subs.remove(sub)) {
                retiredBytesOut += sub.deliveredBytes();
                retiredFramesSkipped += sub.skippedFrames();
            }
        }
        engine.subEnded(sub);
    }

    StreamInfo info() {
        synchronized (this) {
            long bytesOut = retiredBytesOut;
            long skipped = retiredFramesSkipped;
            Map<String, Integer> byProtocol = new TreeMap<>();
            for (Sub sub : subs) {
                bytesOut += sub.deliveredBytes();
                skipped += sub.skippedFrames();
                if (!sub.detached) {
                    byProtocol.merge(sub.options().protocol(), 1, Integer::sum);
                }
            }
            return new StreamInfo(key, publisher != null, List.copyOf(tracks), subscribers,
                    lastPublish == null ? null : lastPublish.protocol(),
                    lastPublish == null ? null : lastPublish.remoteAddress(), publishedAt,
                    Collections.unmodifiableMap(byProtocol), bytesIn.get(), bytesOut, skipped,
                    outBitrate(ticker.getAsLong(), bytesOut));
        }
    }

    /**
     * The delivered bitrate, from samples that snapshots leave behind (no timer runs for it):
     * the span from the newest sample at least a window old to now, or from the oldest sample
     * when none is that old yet. Guarded.
     */
    private long outBitrate(long now, long totalOut) {
        int from = -1;
        for (int n = 0, i = sampleNewest; n < sampleCount; n++, i = (i + SAMPLES - 1) % SAMPLES) {
            from = i;
            if (now - sampleNanos[i] >= RATE_WINDOW_NANOS) {
                break;
            }
        }
        if (from >= 0 && now - sampleNanos[from] >= MIN_RATE_SPAN_NANOS) {
            outRate = (long) ((totalOut - sampleBytes[from]) * 8e9 / (now - sampleNanos[from]));
        }
        if (sampleCount == 0 || now - sampleNanos[sampleNewest] >= SAMPLE_SPACING_NANOS) {
            sampleNewest = (sampleNewest + 1) % SAMPLES;
            sampleNanos[sampleNewest] = now;
            sampleBytes[sampleNewest] = totalOut;
            sampleCount = Math.min(sampleCount + 1, SAMPLES);
        }
        return outRate;
    }

    // ---- guarded helpers ----

    private void offerAll(Object command) {
        for (LoopFanOut loop : loops) {
            loop.offer(command);
        }
    }

    private void requireCurrent(PublisherSession session) {
        if (publisher != session) {
            throw new IllegalStateException("publisher of " + key + " is closed");
        }
    }

    private void cancelGrace() {
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
    }

    /** A hub nobody publishes to, plays from or waits for goes away, unless it waits out a grace. */
    private void removeIfIdle() {
        if (publisher == null && subscribers == 0 && pending.isEmpty() && graceTimer == null && !removed) {
            removed = true;
            engine.removeHub(this);
        }
    }

    private void completeLater(CompletableFuture<Subscription> future, Sub sub) {
        engine.runLater(() -> future.complete(sub));
    }

    private void failLater(CompletableFuture<Subscription> future, Throwable cause) {
        engine.runLater(() -> future.completeExceptionally(cause));
    }

    /** A player waiting for its stream to be published. */
    private static final class Pending {
        final Subscriber subscriber;
        final SubscribeOptions options;
        final Executor executor;
        final CompletableFuture<Subscription> future = new CompletableFuture<>();
        ScheduledFuture<?> timer;
        Sub sub;

        Pending(Subscriber subscriber, SubscribeOptions options, Executor executor) {
            this.subscriber = subscriber;
            this.options = options;
            this.executor = executor;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    /** Stream address for logs. */
    @Override
    public String toString() {
        return "Hub(" + key + ")";
    }
}
