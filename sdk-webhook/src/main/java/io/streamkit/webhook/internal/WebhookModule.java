package io.streamkit.webhook.internal;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.hook.AuthHandler;
import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.hook.ConnectionEvent;
import io.streamkit.hook.PlayEvent;
import io.streamkit.hook.RecordEvent;
import io.streamkit.hook.ServerListener;
import io.streamkit.hook.StreamEvent;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import io.streamkit.webhook.HookEvent;
import io.streamkit.webhook.WebhookConfig;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP hooks as a module: {@link #decisions()} asks the backends on every publish and play (the
 * server puts it after the application's own check), before them, once per RTMP connection,
 * {@code on_connect} (with the client's app and tcUrl, and its answer decides as SRS's does), and
 * the listener it adds sends the notifications: {@code on_close} of those RTMP connections,
 * {@code on_unpublish} and {@code on_stop} of clients' publishes and plays, {@code on_dvr} of
 * finished recordings.
 *
 * <p>Events of no client (application code's publishes and subscriptions, HLS segmenters,
 * recorders: connection 0) are not sent: no decision was asked for them either.
 */
public final class WebhookModule implements ProtocolModule {
    private static final Logger log = LoggerFactory.getLogger(WebhookModule.class);
    /** At most one line per this many milliseconds about a backend that is down; the rest are counted. */
    private static final long FAILURE_LOG_INTERVAL_MILLIS = 10_000;

    private final WebhookConfig config;
    private ExecutorService httpThreads;
    private ScheduledExecutorService scheduler;
    /** Made at {@link #start}: no thread runs for a server that never started. */
    private volatile HookSender sender;
    private final String serviceId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong lastFailureLog = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong unloggedFailures = new AtomicLong();
    /**
     * The RTMP connections whose {@code on_connect} was asked, with its answer: asked once, at the
     * connection's first publish or play (when its app and tcUrl are known), and every decision of
     * the connection waits for it; {@code on_close} is sent for these connections only, and the
     * entry goes with the disconnect.
     */
    private final Map<Long, Connected> connects = new java.util.concurrent.ConcurrentHashMap<>();

    /** Requests answered, by event and by kind of answer (after retries). */
    private final java.util.EnumMap<HookEvent, java.util.concurrent.atomic.LongAdder[]> answered = new java.util.EnumMap<>(HookEvent.class);

    {
        for (HookEvent e : HookEvent.values()) {
            java.util.concurrent.atomic.LongAdder[] byKind = new java.util.concurrent.atomic.LongAdder[HookAnswer.Kind.values().length];
            for (int i = 0; i < byKind.length; i++) {
                byKind[i] = new java.util.concurrent.atomic.LongAdder();
            }
            answered.put(e, byKind);
        }
    }

    /** An RTMP connection's {@code on_connect}: what was sent and what the backends decided. */
    private record Connected(HookFacts facts, CompletableFuture<AuthResult> decision) {
    }

    /**
     * Creates the module; {@link #start} makes its threads (two for the HTTP client, one for
     * retries), daemons that stop with it.
     *
     * @param config the backends and the limits
     */
    public WebhookModule(WebhookConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void start(ModuleContext context) {
        httpThreads = Executors.newFixedThreadPool(2, new DefaultThreadFactory("streamkit-webhook", true));
        scheduler = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("streamkit-webhook-retry", true));
        HttpClient client = HttpClient.newBuilder().executor(httpThreads).connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        sender = new HookSender(client, scheduler, config.timeout(), config.retries(), config.retryDelay(),
                config.maxConcurrent(), config.maxQueued());
        context.events(listener());
        context.metrics(this::metrics);
        log.info("webhooks: {}", config.targets());
    }

    @Override
    public void stop() {
        HookSender s = sender;
        if (s != null) {
            s.close();
            scheduler.shutdownNow();
            httpThreads.shutdown();
        }
    }

    /**
     * Returns the check that asks the backends that take publish or play decisions; every one of
     * them must allow. The server runs it after the application's own check.
     *
     * @return the decisions, as an auth handler
     */
    public AuthHandler decisions() {
        return this::decide;
    }

    private CompletionStage<AuthResult> decide(AuthRequest request) {
        HookEvent event = request.action() == AuthRequest.Action.PUBLISH ? HookEvent.PUBLISH : HookEvent.PLAY;
        HookFacts facts = new HookFacts(event, request.connectionId(), request.protocol(), request.remoteAddress(),
                request.key(), request.query(), null, null, request.url());
        CompletableFuture<AuthResult> connected = connectFirst(facts);
        return connected.thenCompose(c -> c.allowed() ? ask(facts) : CompletableFuture.completedFuture(c));
    }

    /**
     * SRS asks {@code on_connect} when an RTMP client connects, and a backend may refuse there (its
     * token auth reads the tcUrl). The app and tcUrl are known here at the connection's first
     * publish or play: {@code on_connect} is asked then, once, and decides for every stream of
     * the connection.
     */
    private CompletableFuture<AuthResult> connectFirst(HookFacts facts) {
        if (facts.connectionId() == 0 || !facts.protocol().startsWith("rtmp")
                || config.targets().stream().noneMatch(t -> t.events().contains(HookEvent.CONNECT))) {
            return CompletableFuture.completedFuture(AuthResult.allow());
        }
        return connects.computeIfAbsent(facts.connectionId(), id -> {
            HookFacts connect = facts.as(HookEvent.CONNECT);
            return new Connected(connect, ask(connect));
        }).decision();
    }

    /** Asks every target that takes the event: all must allow; a failure counts by the policy. */
    private CompletableFuture<AuthResult> ask(HookFacts facts) {
        HookEvent event = facts.event();
        List<CompletableFuture<HookAnswer>> answers = new ArrayList<>();
        for (WebhookConfig.Target target : config.targets()) {
            if (target.events().contains(event)) {
                answers.add(send(target, facts, true));
            }
        }
        if (answers.isEmpty()) {
            return CompletableFuture.completedFuture(AuthResult.allow());
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(x -> {
            for (CompletableFuture<HookAnswer> f : answers) {
                HookAnswer a = f.join();
                if (a.kind() == HookAnswer.Kind.DENY) {
                    return AuthResult.deny(a.reason());
                }
                if (a.kind() == HookAnswer.Kind.FAILURE) {
                    failed(event, facts, a);
                    if (config.onFailure() == WebhookConfig.FailurePolicy.DENY) {
                        return AuthResult.deny("auth backend unavailable");
                    }
                }
            }
            return AuthResult.allow();
        });
    }

    /** The listener that sends the notifications. */
    private ServerListener listener() {
        return new ServerListener() {
            @Override
            public void onDisconnect(ConnectionEvent event) {
                Connected connected = connects.remove(event.id());
                if (connected != null) {   // on_close for the connections whose on_connect was asked
                    tell(connected.facts().as(HookEvent.CLOSE));
                }
            }

            @Override
            public void onUnpublish(StreamEvent event) {
                if (event.connectionId() != 0) {
                    tell(new HookFacts(HookEvent.UNPUBLISH, event.connectionId(), event.protocol(),
                            event.remoteAddress(), event.key(), event.query(), null, null));
                }
            }

            @Override
            public void onStop(PlayEvent event) {
                if (event.connectionId() != 0) {
                    tell(new HookFacts(HookEvent.STOP, event.connectionId(), event.protocol(), event.remoteAddress(),
                            event.key(), event.query(), null, null));
                }
            }

            @Override
            public void onRecordEnd(RecordEvent event) {
                tell(new HookFacts(HookEvent.DVR, event.connectionId(), "record", null, event.key(), event.query(),
                        event.path(), event.root()));
            }
        };
    }

    private void tell(HookFacts facts) {
        for (WebhookConfig.Target target : config.targets()) {
            if (target.events().contains(facts.event())) {
                send(target, facts, false).thenAccept(a -> {
                    if (a.kind() == HookAnswer.Kind.FAILURE) {
                        failed(facts.event(), facts, a);
                    } else if (a.kind() == HookAnswer.Kind.DENY) {
                        log.debug("webhook {} for {}: {}", facts.event().srsName(), facts.key(), a.reason());
                    }
                });
            }
        }
    }

    /** The module's numbers in {@code /metrics}: answers by event and kind, waiting and dropped requests. */
    private void metrics(io.streamkit.server.spi.MetricsWriter out) {
        out.family("streamkit_webhook_requests_total", "counter",
                "Hook requests answered, by event (SRS's names) and result: allow, deny, or failure (the backend could not be asked).");
        answered.forEach((event, byKind) -> {
            for (HookAnswer.Kind kind : HookAnswer.Kind.values()) {
                out.sample("streamkit_webhook_requests_total", byKind[kind.ordinal()].sum(), "event", event.srsName(),
                        "result", kind.name().toLowerCase(java.util.Locale.ROOT));
            }
        });
        HookSender s = sender;
        out.family("streamkit_webhook_requests_waiting", "gauge", "Hook requests waiting for a free slot now.");
        out.sample("streamkit_webhook_requests_waiting", s == null ? 0 : s.queued());
        out.family("streamkit_webhook_requests_dropped_total", "counter",
                "Hook requests not sent because the queue was full (a decision then fails by the policy).");
        out.sample("streamkit_webhook_requests_dropped_total", s == null ? 0 : s.dropped());
    }

    private CompletableFuture<HookAnswer> send(WebhookConfig.Target target, HookFacts facts, boolean decision) {
        return sendOnce(target, facts, decision).whenComplete((a, e) -> {
            if (a != null) {
                answered.get(facts.event())[a.kind().ordinal()].increment();
            }
        });
    }

    private CompletableFuture<HookAnswer> sendOnce(WebhookConfig.Target target, HookFacts facts, boolean decision) {
        HookSender sender = this.sender;
        if (sender == null) {
            return CompletableFuture.completedFuture(HookAnswer.failure("the webhook module has not started"));
        }
        return switch (target.dialect()) {
            case SRS -> sender.send(facts.connectionId(), decision,
                    () -> facts.srs(target.url(), config.serverId(), serviceId, config.timeout(), config.headers()),
                    HookAnswer::srs);
            case PLAIN -> sender.send(facts.connectionId(), decision,
                    () -> facts.plain(target.url(), config.timeout(), config.headers()), HookAnswer::plain);
        };
    }

    /** One line per {@value #FAILURE_LOG_INTERVAL_MILLIS} ms about a backend that cannot be asked; the rest counted in it. */
    private void failed(HookEvent event, HookFacts facts, HookAnswer answer) {
        long now = System.nanoTime() / 1_000_000;
        long last = lastFailureLog.get();
        if (now - last >= FAILURE_LOG_INTERVAL_MILLIS && lastFailureLog.compareAndSet(last, now)) {
            long more = unloggedFailures.getAndSet(0);
            log.warn("webhook {} for {} failed{}: {}{}", event.srsName(), facts.key() != null ? facts.key()
                    : "connection #" + facts.connectionId(), event.decision() ? " (" + config.onFailure() + " by policy)" : "",
                    answer.reason(), more > 0 ? " (" + more + " more failures since the last line)" : "");
        } else {
            unloggedFailures.incrementAndGet();
        }
    }
}
