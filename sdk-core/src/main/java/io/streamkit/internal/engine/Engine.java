package io.streamkit.internal.engine;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.streamkit.engine.StreamEngine;
import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.hook.PlayEvent;
import io.streamkit.hook.ServerListener;
import io.streamkit.hook.SkipEvent;
import io.streamkit.hook.StreamEvent;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.EngineStats;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamException;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Subscription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream registry: creates hubs on demand, runs guarded callbacks, owns timers.
 * Thread-safe; see the package comment for the locking rules.
 */
public final class Engine implements StreamEngine {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final EngineSettings settings;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private final ConcurrentHashMap<StreamKey, Hub> hubs = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    /*
     * Totals for stats(). A stream or subscription that ends moves its final counts into the
     * retired totals in the same critical section that removes it from what stats() walks, so
     * a snapshot counts everything exactly once and the totals never go down. Taken after a
     * hub's monitor, never before; nothing under it calls out.
     */
    private final Object statsLock = new Object();
    private final HashSet<Sub> liveSubs = new HashSet<>();   // guarded by statsLock: attached and not yet ended
    /** Guarded by statsLock: subscriptions per connection whose stop is not yet announced, and what waits for them. */
    private final java.util.HashMap<Long, Integer> connectionSubs = new java.util.HashMap<>();
    private final java.util.HashMap<Long, List<Runnable>> afterConnectionSubs = new java.util.HashMap<>();
    private long retiredBytesIn;                              // guarded by statsLock
    private long retiredBytesOut;                             // guarded by statsLock
    private long retiredFramesSkipped;                        // guarded by statsLock
    private final LongAdder publishesRejected = new LongAdder();
    private final LongAdder playsRejected = new LongAdder();

    private Engine(EngineSettings settings) {
        this.settings = settings;
        if (settings.executor() != null) {
            this.executor = settings.executor();
            this.ownsExecutor = false;
        } else {
            this.executor = new DefaultEventExecutorGroup(Runtime.getRuntime().availableProcessors(),
                    new DefaultThreadFactory("streamkit-engine", true));
            this.ownsExecutor = true;
        }
    }

    /**
     * Starts configuring an engine of its own, for tests, benchmarks and {@code MediaServer}.
     *
     * @return a builder with the defaults
     */
    public static EngineBuilder builder() {
        return new EngineBuilder();
    }

    /**
     * Creates a running engine.
     *
     * @param settings checked settings
     * @return the engine
     */
    public static Engine create(EngineSettings settings) {
        return new Engine(Objects.requireNonNull(settings, "settings"));
    }

    @Override
    public Publisher publish(StreamKey key, PublishOptions options) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
        for (;;) {
            Hub hub;
            try {
                hub = hubFor(key);
            } catch (StreamException e) {
                if (e.reason() == StreamException.Reason.LIMIT) {
                    publishesRejected.increment();
                }
                throw e;
            }
            Publisher publisher = hub.publish(options);
            if (publisher != null) {
                return publisher;
            }
            // The hub was removed between lookup and lock: look again.
        }
    }

    @Override
    public CompletionStage<Subscription> subscribe(StreamKey key, Subscriber subscriber, SubscribeOptions options) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(options, "options");
        Executor target = options.executor() != null ? options.executor() : defaultSubscriberExecutor();
        try {
            for (;;) {
                Hub hub = hubFor(key);
                CompletionStage<Subscription> stage = hub.subscribe(subscriber, options, target);
                if (stage != null) {
                    return stage;
                }
            }
        } catch (StreamException e) {
            if (e.reason() == StreamException.Reason.LIMIT) {
                playsRejected.increment();
            }
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<AuthResult> authorize(AuthRequest request) {
        Objects.requireNonNull(request, "request");
        CompletionStage<AuthResult> decision = decide(request);
        LongAdder rejected = request.action() == AuthRequest.Action.PUBLISH ? publishesRejected : playsRejected;
        return decision.thenApply(r -> {
            if (!r.allowed()) {
                rejected.increment();
            }
            return r;
        });
    }

    private CompletionStage<AuthResult> decide(AuthRequest request) {
        var handler = request.action() == AuthRequest.Action.PUBLISH ? settings.onPublish() : settings.onPlay();
        CompletableFuture<AuthResult> result = new CompletableFuture<>();
        CompletionStage<AuthResult> stage;
        try {
            stage = handler.authorize(request);
        } catch (Throwable t) {
            log.warn("{} auth handler threw for {} {}; denying", request.protocol(), request.action(), request.key(), t);
            return CompletableFuture.completedFuture(AuthResult.deny("authorization failed"));
        }
        if (stage == null) {
            log.warn("{} auth handler returned null for {} {}; denying", request.protocol(), request.action(), request.key());
            return CompletableFuture.completedFuture(AuthResult.deny("authorization failed"));
        }
        ScheduledFuture<?> timeout = schedule(() -> {
            if (result.complete(AuthResult.deny("authorization timed out"))) {
                log.warn("{} auth handler did not answer {} {} within {}; denying", request.protocol(),
                        request.action(), request.key(), settings.authTimeout());
            }
        }, settings.authTimeout().toNanos());
        stage.whenComplete((r, e) -> {
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (e != null) {
                log.warn("{} auth handler failed for {} {}; denying", request.protocol(), request.action(),
                        request.key(), e);
                result.complete(AuthResult.deny("authorization failed"));
            } else if (r == null) {
                log.warn("{} auth handler completed with null for {} {}; denying", request.protocol(),
                        request.action(), request.key());
                result.complete(AuthResult.deny("authorization failed"));
            } else {
                result.complete(r);
            }
        });
        return result;
    }

    @Override
    public List<StreamInfo> streams() {
        List<StreamInfo> out = new ArrayList<>(hubs.size());
        for (Hub hub : hubs.values()) {
            out.add(hub.info());
        }
        return out;
    }

    @Override
    public Optional<StreamInfo> stream(StreamKey key) {
        Hub hub = hubs.get(key);
        return hub == null ? Optional.empty() : Optional.of(hub.info());
    }

    @Override
    public EngineStats stats() {
        synchronized (statsLock) {
            int streams = 0;
            long bytesIn = retiredBytesIn;
            for (Hub hub : hubs.values()) {
                if (hub.isLive()) {
                    streams++;
                }
                bytesIn += hub.bytesIn();
            }
            long bytesOut = retiredBytesOut;
            long skipped = retiredFramesSkipped;
            for (Sub sub : liveSubs) {
                bytesOut += sub.deliveredBytes();
                skipped += sub.skippedFrames();
            }
            return new EngineStats(streams, liveSubs.size(), bytesIn, bytesOut, skipped,
                    publishesRejected.sum(), playsRejected.sum());
        }
    }

    @Override
    public boolean kick(StreamKey key) {
        Hub hub = hubs.get(key);
        return hub != null && hub.end(EndReason.KICKED);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Hub hub : hubs.values()) {
            hub.end(EndReason.SHUTDOWN);
        }
        if (ownsExecutor) {
            EventExecutorGroup group = (EventExecutorGroup) executor;
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            try {
                group.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- used by hubs ----

    long nextId() {
        return ids.incrementAndGet();
    }

    /** The engine's clock in nanoseconds; see {@link EngineSettings#ticker}. */
    java.util.function.LongSupplier ticker() {
        return settings.ticker();
    }

    int loopBacklog() {
        return settings.loopBacklog();
    }

    boolean isClosed() {
        return closed;
    }

    /** Called under the hub's monitor, after its last write: its ingest count is final. */
    void removeHub(Hub hub) {
        synchronized (statsLock) {
            if (hubs.remove(hub.key(), hub)) {
                retiredBytesIn += hub.bytesIn();
            }
        }
    }

    void subAttached(Sub sub) {
        synchronized (statsLock) {
            liveSubs.add(sub);
            if (sub.options().connectionId() != 0) {
                connectionSubs.merge(sub.options().connectionId(), 1, Integer::sum);
            }
        }
    }

    /** Called once a subscription's stop was announced: the tasks waiting for its connection's last one run. */
    void stopAnnounced(Sub sub) {
        long id = sub.options().connectionId();
        List<Runnable> waiting = null;
        synchronized (statsLock) {
            Integer open = connectionSubs.get(id);
            if (open == null) {
                return;
            }
            if (open > 1) {
                connectionSubs.put(id, open - 1);
            } else {
                connectionSubs.remove(id);
                waiting = afterConnectionSubs.remove(id);
            }
        }
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }

    /**
     * Runs a task once every subscription of a connection has ended and its stop has been
     * announced, at once if it has none: a connection's disconnect is announced after its plays'
     * stops, whatever its protocol.
     *
     * @param connectionId the connection
     * @param task runs on the thread that announced the last stop, or on the caller's
     */
    public void afterSubscriptionsOf(long connectionId, Runnable task) {
        synchronized (statsLock) {
            if (connectionSubs.containsKey(connectionId)) {
                afterConnectionSubs.computeIfAbsent(connectionId, k -> new ArrayList<>()).add(task);
                return;
            }
        }
        task.run();
    }

    /** Called on the subscription's executor after its last delivery: its counts are final. */
    void subEnded(Sub sub) {
        synchronized (statsLock) {
            if (liveSubs.remove(sub)) {
                retiredBytesOut += sub.deliveredBytes();
                retiredFramesSkipped += sub.skippedFrames();
            }
        }
    }

    void publishRejected() {
        publishesRejected.increment();
    }

    void playRejected() {
        playsRejected.increment();
    }

    /** Schedules a task, or returns {@code null} when the executor no longer takes work. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            log.debug("engine executor refused a timer", e);
            return null;
        }
    }

    /** Runs a task soon on an engine thread, outside any lock; completions of user stages go here. */
    void runLater(Runnable task) {
        try {
            executor.execute(task);
        } catch (RuntimeException e) {
            task.run();
        }
    }

    /**
     * Returns the application's listeners as one, for modules that announce events of their own
     * (a recorder's files, HLS sessions' plays and stops): each call reaches every listener, and
     * a listener that throws is logged and skipped.
     *
     * @return the composite listener
     */
    public ServerListener announcer() {
        return announcer;
    }

    private final ServerListener announcer = new ServerListener() {
        @Override
        public void onConnect(io.streamkit.hook.ConnectionEvent event) {
            fire(l -> l.onConnect(event), "onConnect");
        }

        @Override
        public void onDisconnect(io.streamkit.hook.ConnectionEvent event) {
            fire(l -> l.onDisconnect(event), "onDisconnect");
        }

        @Override
        public void onPublish(StreamEvent event) {
            fire(l -> l.onPublish(event), "onPublish");
        }

        @Override
        public void onUnpublish(StreamEvent event) {
            fire(l -> l.onUnpublish(event), "onUnpublish");
        }

        @Override
        public void onPlayWaiting(PlayEvent event) {
            fire(l -> l.onPlayWaiting(event), "onPlayWaiting");
        }

        @Override
        public void onPlay(PlayEvent event) {
            fire(l -> l.onPlay(event), "onPlay");
        }

        @Override
        public void onStop(PlayEvent event) {
            fire(l -> l.onStop(event), "onStop");
        }

        @Override
        public void onSkip(SkipEvent event) {
            fire(l -> l.onSkip(event), "onSkip");
        }

        @Override
        public void onRecordStart(io.streamkit.hook.RecordEvent event) {
            fire(l -> l.onRecordStart(event), "onRecordStart");
        }

        @Override
        public void onRecordEnd(io.streamkit.hook.RecordEvent event) {
            fire(l -> l.onRecordEnd(event), "onRecordEnd");
        }
    };

    /**
     * Tells the listeners a client connected; for protocols.
     *
     * @param event the connection
     */
    public void fireConnect(io.streamkit.hook.ConnectionEvent event) {
        announcer.onConnect(event);
    }

    /**
     * Tells the listeners a client disconnected; for protocols.
     *
     * @param event the connection
     */
    public void fireDisconnect(io.streamkit.hook.ConnectionEvent event) {
        announcer.onDisconnect(event);
    }

    /**
     * Returns a number unique within this engine, for connection ids.
     *
     * @return the next id
     */
    public long newId() {
        return nextId();
    }

    void firePublish(StreamKey key, PublishOptions options) {
        StreamEvent event = new StreamEvent(key, options.protocol(), options.remoteAddress(), options.connectionId(),
                options.attributes(), options.query());
        announcer.onPublish(event);
    }

    void fireUnpublish(StreamKey key, PublishOptions options) {
        StreamEvent event = new StreamEvent(key, options.protocol(), options.remoteAddress(), options.connectionId(),
                options.attributes(), options.query());
        announcer.onUnpublish(event);
    }

    void firePlayWaiting(StreamKey key, SubscribeOptions o) {
        if (settings.listeners().isEmpty()) {
            return;
        }
        announcer.onPlayWaiting(new PlayEvent(key, 0, o.protocol(), o.remoteAddress(), null, o.connectionId(),
                o.attributes(), o.query()));
    }

    void firePlay(Sub sub) {
        if (settings.listeners().isEmpty()) {
            return;
        }
        SubscribeOptions o = sub.options();
        PlayEvent event = new PlayEvent(sub.key(), sub.id(), o.protocol(), o.remoteAddress(), null, o.connectionId(),
                o.attributes(), o.query());
        announcer.onPlay(event);
    }

    void fireStop(Sub sub, EndReason reason) {
        if (settings.listeners().isEmpty()) {
            return;
        }
        SubscribeOptions o = sub.options();
        PlayEvent event = new PlayEvent(sub.key(), sub.id(), o.protocol(), o.remoteAddress(), reason, o.connectionId(),
                o.attributes(), o.query());
        announcer.onStop(event);
    }

    void fireSkip(Sub sub, long skips) {
        if (settings.listeners().isEmpty()) {
            return;
        }
        SkipEvent event = new SkipEvent(sub.key(), sub.id(), sub.options().protocol(), sub.options().remoteAddress(), skips,
                sub.options().connectionId());
        announcer.onSkip(event);
    }

    private void fire(Consumer<ServerListener> call, String what) {
        for (ServerListener listener : settings.listeners()) {
            try {
                call.accept(listener);
            } catch (Throwable t) {
                log.warn("listener {} threw from {}; ignored", listener.getClass().getName(), what, t);
            }
        }
    }

    private Hub hubFor(StreamKey key) {
        if (closed) {
            throw new StreamException(StreamException.Reason.CLOSED, "engine is closed");
        }
        Hub hub = hubs.get(key);
        if (hub != null) {
            return hub;
        }
        if (hubs.size() >= settings.maxStreams()) {
            throw new StreamException(StreamException.Reason.LIMIT, "stream " + key + " refused: "
                    + hubs.size() + " streams reach the limit of " + settings.maxStreams());
        }
        hub = hubs.computeIfAbsent(key, k -> new Hub(this, k, policyFor(k)));
        if (closed) {
            // close() may have swept the hubs before this one was added.
            hub.end(EndReason.SHUTDOWN);
            throw new StreamException(StreamException.Reason.CLOSED, "engine is closed");
        }
        return hub;
    }

    /**
     * Returns a stream's policy as the application's policy function gives it, the defaults when
     * the function fails; for modules that wait for a stream as a subscription does (HLS).
     *
     * @param key the stream
     * @return its policy
     */
    public StreamPolicy policyFor(StreamKey key) {
        try {
            StreamPolicy policy = settings.policy().apply(key);
            if (policy != null) {
                return policy;
            }
            log.warn("policy function returned null for {}; using the defaults", key);
        } catch (Throwable t) {
            log.warn("policy function threw for {}; using the defaults", key, t);
        }
        return StreamPolicy.defaults();
    }

    private Executor defaultSubscriberExecutor() {
        if (executor instanceof EventExecutorGroup group) {
            return group.next();
        }
        return new SerialExecutor(executor);
    }
}
