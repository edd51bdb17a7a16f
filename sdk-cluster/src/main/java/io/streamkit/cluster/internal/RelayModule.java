package io.streamkit.cluster.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.cluster.ForwardRule;
import io.streamkit.cluster.RelayConfig;
import io.streamkit.cluster.RelayInfo;
import io.streamkit.cluster.RelayKind;
import io.streamkit.cluster.Relays;
import io.streamkit.hook.PlayEvent;
import io.streamkit.hook.ServerListener;
import io.streamkit.hook.StreamEvent;
import io.streamkit.http.spi.HttpMounts;
import io.streamkit.relay.StreamDirectory;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays and clusters as a module: forwards published streams by rule, keeps the pushes and
 * pulls added at runtime, pulls missing streams on demand (from the application's source, the
 * directory's origin, or fixed origins), claims an origin's streams in the directory, and
 * reports it all in {@code /api/relays} and {@code /metrics}.
 *
 * <p><b>Threading.</b> Engine events arrive on event loops and are handed to one loop of the
 * server, the module's, which alone touches the forwards by stream, the on-demand pulls and the
 * claims; it also runs the one-second tick (idle pulls, claim renewals). The relays' table is
 * concurrent: {@link Relays} calls from any thread read and change it. Each relay guards its own
 * state ({@link RetryingRelay}).
 */
public final class RelayModule implements ProtocolModule, Relays {
    private static final Logger log = LoggerFactory.getLogger(RelayModule.class);
    /** How long a demand keeps an on-demand pull retrying with no player on it yet: the default play wait players wait. */
    private static final long DEMAND_WINDOW_NANOS = StreamPolicy.DEFAULT_PLAY_WAIT.toNanos();

    private final RelayConfig config;
    private final RelayMetrics metrics = new RelayMetrics();
    private final ConcurrentSkipListMap<Long, RetryingRelay> relays = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    // module loop only:
    private final Map<StreamKey, List<RetryingRelay>> forwardsByStream = new HashMap<>();
    private final Map<StreamKey, OnDemandPull> onDemand = new HashMap<>();
    private final Map<StreamKey, Long> claims = new HashMap<>();
    private volatile int claimCount;
    private volatile boolean stopped;
    private ModuleContext context;
    private EventLoop loop;
    private ScheduledFuture<?> tick;

    /**
     * Creates the module.
     *
     * @param config the rules, pulls and cluster role
     */
    public RelayModule(RelayConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "relays";
    }

    @Override
    public void start(ModuleContext context) {
        this.context = context;
        this.loop = context.loops().next();
        context.provide(Relays.class, this);
        context.events(new Events());
        context.metrics(out -> metrics.write(out, list(), claimCount));
        Optional<HttpMounts> mounts = context.service(HttpMounts.class);
        mounts.ifPresent(m -> m.mount(new RelaysRoute(this)));
        tick = loop.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        config.pulls().forEach((key, url) -> pull(url, key));
    }

    @Override
    public void stop() {
        stopped = true;
        if (tick != null) {
            tick.cancel(false);
        }
        for (RetryingRelay r : List.copyOf(relays.values())) {
            r.close();
        }
        relays.clear();
        StreamDirectory directory = config.originDirectory();
        if (directory != null) {
            try {
                loop.submit(() -> {
                    claims.keySet().forEach(key -> release(directory, key));
                    claims.clear();
                    claimCount = 0;
                }).await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RejectedExecutionException e) {
                log.debug("relays: the loops stopped before the claims were released; they expire with their lease");
            }
        }
    }

    // ---- Relays: the application's and the API's calls

    @Override
    public List<RelayInfo> list() {
        return relays.values().stream().map(RetryingRelay::info).toList();
    }

    @Override
    public Optional<RelayInfo> get(String id) {
        return relays.values().stream().filter(r -> r.id().equals(id)).findFirst().map(RetryingRelay::info);
    }

    @Override
    public RelayInfo push(StreamKey stream, String url) {
        checkUrlAndRoom(url);
        RetryingRelay r = add(RelayKind.PUSH, stream, url, null,
                n -> context.relays(url).pusher(stream, url), () -> true);
        return r.info();
    }

    @Override
    public RelayInfo pull(String url, StreamKey stream) {
        checkUrlAndRoom(url);
        RetryingRelay r = add(RelayKind.PULL, stream, url, null,
                n -> context.relays(url).puller(url, stream), () -> true);
        return r.info();
    }

    @Override
    public boolean remove(String id) {
        for (var e : relays.entrySet()) {
            if (e.getValue().id().equals(id)) {
                RetryingRelay r = e.getValue();
                r.close();
                forget(r);
                log.info("relay {} ({} {} {}) removed", id, r.kind(), r.stream(), r.info().url());
                return true;
            }
        }
        return false;
    }

    private void checkUrlAndRoom(String url) {
        if (stopped) {
            throw new IllegalStateException("the server is stopped");
        }
        context.relays(url);   // throws naming the schemes when none takes the URL
        if (relays.size() >= config.maxRelays()) {
            throw new IllegalStateException("already " + relays.size() + " relays, the limit (maxRelays)");
        }
    }

    /** Makes, registers and starts a relay; a URL the scheme refuses unregisters it and is rethrown. */
    private RetryingRelay add(RelayKind kind, StreamKey stream, String url, String rule, RetryingRelay.Legs legs,
                              java.util.function.BooleanSupplier keepGoing) {
        return add(kind, stream, url, rule, legs, keepGoing, r -> { });
    }

    private RetryingRelay add(RelayKind kind, StreamKey stream, String url, String rule, RetryingRelay.Legs legs,
                              java.util.function.BooleanSupplier keepGoing,
                              java.util.function.Consumer<RetryingRelay> beforeStart) {
        long seq = ids.incrementAndGet();
        String id = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + seq;
        RetryingRelay[] self = new RetryingRelay[1];
        RetryingRelay r = new RetryingRelay(id, kind, stream, url, rule, legs, loop, config.retryMin(),
                kind == RelayKind.ON_DEMAND ? config.onDemandRetryMax() : config.retryMax(), keepGoing,
                () -> relayStopped(self[0]), metrics);
        self[0] = r;
        beforeStart.accept(r);
        relays.put(seq, r);
        try {
            r.start();
        } catch (RuntimeException e) {
            forget(r);
            throw e;
        }
        log.info("relay {}: {} {} {}{}", id, kind, stream, kind == RelayKind.PULL || kind == RelayKind.ON_DEMAND ? "<-" : "->",
                " " + r.info().url());
        return r;
    }

    private void relayStopped(RetryingRelay r) {
        if (r != null && r.kind() != RelayKind.PUSH && r.kind() != RelayKind.PULL) {
            forget(r);   // forwards and on-demand pulls go; pushes and pulls added by hand stay listed, stopped, until removed
        }
        if (r != null && r.kind() == RelayKind.ON_DEMAND) {
            execute(() -> onDemand.computeIfPresent(r.stream(), (k, p) -> p.relay == r ? null : p));
        }
    }

    /** Takes a relay off the table, its bytes into the removed relays' count; once, whoever calls first. */
    private void forget(RetryingRelay r) {
        if (relays.values().remove(r)) {
            metrics.removed(r.info());
        }
    }

    private void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("relays: the loops have stopped");
        }
    }

    // ---- engine events, on the module's loop

    private final class Events extends ServerListener {
        @Override
        public void onPublish(StreamEvent event) {
            execute(() -> published(event));
        }

        @Override
        public void onUnpublish(StreamEvent event) {
            execute(() -> unpublished(event));
        }

        @Override
        public void onPlayWaiting(PlayEvent event) {
            execute(() -> demanded(event.key(), "hls".equals(event.protocol())));
        }

        @Override
        public void onPlay(PlayEvent event) {
            if (event.connectionId() != 0) {
                execute(() -> players(event.key(), +1));
            }
        }

        @Override
        public void onStop(PlayEvent event) {
            if (event.connectionId() != 0) {
                execute(() -> players(event.key(), -1));
            }
        }
    }

    /** A stream published by a relay of this server (a pull), which is neither claimed nor forwarded to the origins. */
    static boolean relayed(StreamEvent event) {
        return event.protocol() != null && event.protocol().endsWith("-pull");
    }

    private void published(StreamEvent event) {
        if (stopped) {
            return;
        }
        StreamKey key = event.key();
        for (RetryingRelay r : relays.values()) {
            if (r.kind() == RelayKind.PUSH && r.stream().equals(key)) {
                r.kick();
            }
        }
        List<RetryingRelay> made = new ArrayList<>();
        for (ForwardRule rule : config.forwards()) {
            String url;
            try {
                url = rule.destination(event);
            } catch (RuntimeException e) {
                log.warn("forward rule {} failed for {}", rule.name(), key, e);
                continue;
            }
            forward(key, url, rule.name(), made);
        }
        if (!config.origins().isEmpty() && !relayed(event)) {
            forward(key, config.origins().get(0) + "/" + key.path() + query(event.query()), "edge", made);
        }
        if (!made.isEmpty()) {
            forwardsByStream.computeIfAbsent(key, k -> new ArrayList<>()).addAll(made);
        }
        if (config.originDirectory() != null && !relayed(event)) {
            claims.put(key, System.nanoTime());
            claimCount = claims.size();
            config.originDirectory().claim(key, config.selfUrl(), config.lease()).whenComplete((ok, e) -> {
                if (e != null) {
                    log.warn("relays: could not claim {} in {}: {}", key, config.originDirectory(), e.getMessage());
                }
            });
        }
    }

    private void forward(StreamKey key, String url, String rule, List<RetryingRelay> made) {
        if (url == null) {
            return;
        }
        if (relays.size() >= config.maxRelays()) {
            log.warn("relays: not forwarding {} to {}: already {} relays (maxRelays)", key, RetryingRelay.displayed(url),
                    relays.size());
            return;
        }
        try {
            made.add(add(RelayKind.FORWARD, key, url, rule,
                    n -> context.relays(url).pusher(key, url), () -> true));
        } catch (RuntimeException e) {
            log.warn("relays: cannot forward {} to {} (rule {}): {}", key, RetryingRelay.displayed(url), rule, e.getMessage());
        }
    }

    private static String query(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        return "?" + query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private void unpublished(StreamEvent event) {
        StreamKey key = event.key();
        List<RetryingRelay> forwards = forwardsByStream.remove(key);
        if (forwards != null) {
            for (RetryingRelay r : forwards) {
                r.close();
                forget(r);
            }
        }
        if (claims.remove(key) != null) {
            claimCount = claims.size();
            release(config.originDirectory(), key);
        }
    }

    private void release(StreamDirectory directory, StreamKey key) {
        directory.release(key, config.selfUrl()).whenComplete((ok, e) -> {
            if (e != null) {
                log.info("relays: could not release {} in {} ({}); it expires with its lease", key, directory, e.getMessage());
            }
        });
    }

    /**
     * A player waits for a missing stream: start or keep its on-demand pull. A waiting RTMP or
     * FLV player becomes a player (its play event) the moment the pull publishes; an HLS viewer
     * only once the first segment is out, so its request holds the pull for the play wait.
     */
    private void demanded(StreamKey key, boolean segmented) {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        OnDemandPull pull = onDemand.get(key);
        if (pull != null) {
            pull.demanded(now, segmented);
            pull.relay.kick();
            return;
        }
        if (config.onDemand() == null && config.edgeDirectory() == null && config.origins().isEmpty()) {
            return;
        }
        if (config.pulls().containsKey(key) || relays.size() >= config.maxRelays()) {
            return;
        }
        if (config.edgeDirectory() == null && config.origins().isEmpty() && sourceOf(key) == null) {
            return;   // the application has no source for it: the player waits out its play wait and is refused
        }
        OnDemandPull p = new OnDemandPull(key, now, segmented);
        try {
            onDemand.put(key, p);
            add(RelayKind.ON_DEMAND, key, "(resolving)", null,
                    n -> new OnDemandPull.Resolving(key, source(key, n), url -> {
                        p.relay.url(url);
                        return context.relays(url).puller(url, key);
                    }),
                    () -> !stopped && p.wanted(System.nanoTime(), DEMAND_WINDOW_NANOS),
                    r -> p.relay = r);
        } catch (RuntimeException e) {
            onDemand.remove(key);
            log.warn("relays: cannot pull {} on demand: {}", key, e.getMessage());
        }
    }

    /** Where a stream is pulled from on demand: the directory's origin, the application's source, the fixed origins in turn. */
    private CompletionStage<String> source(StreamKey key, int attempt) {
        CompletionStage<Optional<String>> fromDirectory = config.edgeDirectory() == null
                ? CompletableFuture.completedFuture(Optional.empty())
                : config.edgeDirectory().lookup(key);
        return fromDirectory.thenApply(node -> {
            if (node.isPresent()) {
                return node.get().replaceAll("/+$", "") + "/" + key.path();
            }
            String url = sourceOf(key);
            if (url != null) {
                return url;
            }
            List<String> origins = config.origins();
            return origins.isEmpty() ? null : origins.get((attempt - 1) % origins.size()) + "/" + key.path();
        });
    }

    /** The application's source for a stream, or null; a throwing function counts as none. */
    private String sourceOf(StreamKey key) {
        if (config.onDemand() == null) {
            return null;
        }
        try {
            return config.onDemand().apply(key);
        } catch (RuntimeException e) {
            log.warn("relays: the on-demand source failed for {}", key, e);
            return null;
        }
    }

    private void players(StreamKey key, int delta) {
        OnDemandPull p = onDemand.get(key);
        if (p == null) {
            return;
        }
        p.players = Math.max(0, p.players + delta);
        if (p.players == 0) {
            p.idleSinceNanos = System.nanoTime();
        }
    }

    /**
     * A renewal found the claim gone: when nobody holds the stream (the lease ran out while the
     * directory was unreachable) and it is still published here, claim it again; when another
     * origin holds it, the publisher moved there: let it go.
     */
    private void lostClaim(StreamDirectory directory, StreamKey key, Optional<String> holder) {
        if (!claims.containsKey(key)) {
            return;
        }
        if (holder != null && holder.isEmpty()) {
            log.info("relays: the claim on {} lapsed; claiming it again", key);
            directory.claim(key, config.selfUrl(), config.lease());
            return;
        }
        claims.remove(key);
        claimCount = claims.size();
        metrics.claimLost();
        log.warn("relays: lost the claim on {}: {} holds it now", key, holder == null ? "(unknown)" : holder.get());
    }

    private void tick() {
        long now = System.nanoTime();
        long idle = config.idleTimeout().toNanos();
        for (var it = onDemand.values().iterator(); it.hasNext(); ) {
            OnDemandPull p = it.next();
            if (p.idle(now, idle, DEMAND_WINDOW_NANOS) || (!p.wanted(now, DEMAND_WINDOW_NANOS) && p.players == 0
                    && p.relay.status().state() != io.streamkit.relay.RelayState.LIVE)) {
                it.remove();
                log.info("relay {}: no player on {} for {}; stopping the pull", p.relay.id(), p.key, config.idleTimeout());
                p.relay.close();
                forget(p.relay);
            }
        }
        StreamDirectory directory = config.originDirectory();
        long renewEvery = config.lease().toNanos() / 3;
        if (directory != null) {
            for (var e : claims.entrySet()) {
                if (now - e.getValue() < renewEvery) {
                    continue;
                }
                e.setValue(now);
                StreamKey key = e.getKey();
                directory.renew(key, config.selfUrl(), config.lease()).whenComplete((held, error) -> {
                    if (error != null) {
                        log.warn("relays: could not renew the claim on {} in {}: {}", key, directory, error.getMessage());
                    } else if (!held) {
                        directory.lookup(key).whenComplete((holder, e2) -> execute(() -> lostClaim(directory, key, holder)));
                    }
                });
            }
        }
    }
}
