package io.streamkit.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.engine.StreamEngine;
import io.streamkit.hook.ConnectionEvent;
import io.streamkit.hook.PlayEvent;
import io.streamkit.hook.ServerListener;
import io.streamkit.hook.SkipEvent;
import io.streamkit.hook.StreamEvent;
import io.streamkit.internal.engine.Engine;
import io.streamkit.internal.engine.EngineBuilder;
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.server.internal.ClientLog;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.LoopPlayerOutputs;
import io.streamkit.server.internal.MemoryBudget;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.server.internal.Transports;
import io.streamkit.server.spi.Connections;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.PlayerOutputs;
import io.streamkit.server.spi.ProtocolModule;
import io.streamkit.server.spi.RelayScheme;
import io.streamkit.stream.StreamKey;
import io.streamkit.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running {@link MediaServer}: one event loop group shared by the engine and every module,
 * the modules started in order on one {@link ModuleContext}, and the listeners they declared,
 * bound once all of them started. It knows no protocol by name.
 */
final class RunningServer implements MediaServer {
    private static final Logger log = LoggerFactory.getLogger(RunningServer.class);

    /**
     * Write-buffer water marks for player connections: a player whose unsent bytes pass the
     * high mark is not writable and skips to the next keyframe. 8 MiB holds the GOP cache
     * burst a new player gets at 1 to 8 Mbps without skipping at once.
     */
    static final WriteBufferWaterMark PLAYER_WATER_MARK = new WriteBufferWaterMark(4 << 20, 8 << 20);

    /** Threads for modules' blocking work: files and lookups, a few at a time, never the media path. */
    private static final int BLOCKING_THREADS = 8;

    private final EventLoopGroup loops;
    private final Engine engine;
    private final Context context;
    private final List<ProtocolModule> modules;
    private final Map<String, Channel> listeners;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunningServer(EventLoopGroup loops, Engine engine, Context context, List<ProtocolModule> modules,
                          Map<String, Channel> listeners) {
        this.loops = loops;
        this.engine = engine;
        this.context = context;
        this.modules = modules;
        this.listeners = listeners;
    }

    static MediaServer start(EngineBuilder engineBuilder, int ioThreads, Transport transport,
                             ByteBufAllocator allocator, List<ProtocolModule> modules, ServerLimits limits) {
        Set<String> names = new HashSet<>();
        for (ProtocolModule m : modules) {
            if (!names.add(Objects.requireNonNull(m.name(), "module name"))) {
                throw new IllegalStateException("Streamkit could not start: two modules are named '" + m.name() + "'");
            }
        }
        Transport resolved = Transports.resolve(transport);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(ioThreads,
                new DefaultThreadFactory("streamkit-io", true), Transports.ioHandler(resolved));
        ModuleEvents events = new ModuleEvents();
        Engine engine = null;
        Context context = null;
        List<ProtocolModule> started = new ArrayList<>();
        Map<String, Channel> bound = new LinkedHashMap<>();
        try {
            engine = engineBuilder.copy().listener(events).executor(loops).build();
            context = new Context(engine, loops, allocator, events);
            context.provide(ClientRegistry.class, new ClientRegistry(engine));
            context.provide(io.streamkit.server.internal.ModuleMetrics.class, new io.streamkit.server.internal.ModuleMetrics());
            context.provide(ServerGuard.class, new ServerGuard(new ClientLog(limits.logLinesPerSecond(), limits.logBurst()),
                    new MemoryBudget(limits.memoryBudget(), limits.memoryPerAddress())));
            for (ProtocolModule module : modules) {
                context.current = module.name();
                module.start(context);
                started.add(module);
            }
            context.current = null;
            context.sealed = true;
            for (Map.Entry<String, Declared> e : context.declared.entrySet()) {
                Channel channel = bind(loops, allocator, e.getValue());
                bound.put(e.getKey(), channel);
                log.info("{} listening on {}", e.getKey().toUpperCase(Locale.ROOT), channel.localAddress());
            }
            log.info("Streamkit started with {} I/O threads ({}), modules {}", ioThreads,
                    resolved.name().toLowerCase(Locale.ROOT), names(started));
            return new RunningServer(loops, engine, context, List.copyOf(started), bound);
        } catch (Exception | Error e) {
            String failed = context == null || context.current == null ? "" : " (module " + context.current + ")";
            stop(started, bound, engine, loops, context);
            throw new IllegalStateException("Streamkit could not start" + failed + ": " + e.getMessage(), e);
        }
    }

    private static List<String> names(List<ProtocolModule> modules) {
        return modules.stream().map(ProtocolModule::name).toList();
    }

    private static Channel bind(EventLoopGroup loops, ByteBufAllocator allocator, Declared listener) {
        return new ServerBootstrap()
                .group(loops)
                .channel(Transports.serverChannel(loops))
                .option(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, PLAYER_WATER_MARK)
                .childHandler(listener.initializer())
                .bind(listener.address()).syncUninterruptibly().channel();
    }

    /** Stops what started, in reverse: modules, listeners, the engine, the loops, then what waited for them. */
    private static void stop(List<ProtocolModule> started, Map<String, Channel> bound, Engine engine,
                             EventLoopGroup loops, Context context) {
        for (int i = started.size() - 1; i >= 0; i--) {
            ProtocolModule module = started.get(i);
            try {
                module.stop();
            } catch (RuntimeException e) {
                log.warn("stopping module {} failed", module.name(), e);
            }
        }
        for (Channel c : bound.values()) {
            c.close().syncUninterruptibly();
        }
        if (engine != null) {
            engine.close();
        }
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (context != null) {
            context.terminated();
        }
    }

    @Override
    public StreamEngine streams() {
        return engine;
    }

    @Override
    public OptionalInt port(String listener) {
        Channel c = listeners.get(Objects.requireNonNull(listener, "listener"));
        return c == null ? OptionalInt.empty() : OptionalInt.of(((InetSocketAddress) c.localAddress()).getPort());
    }

    @Override
    public List<ClientInfo> clients() {
        return context.service(ClientRegistry.class).orElseThrow().list().stream()
                .sorted(java.util.Comparator.comparing(ClientRegistry.Client::connectedAt)
                        .thenComparingLong(ClientRegistry.Client::id))
                .map(c -> new ClientInfo(c.id(), c.protocol(), c.remoteAddress(), c.connectedAt(),
                        ClientInfo.Role.valueOf(c.role().name()), c.stream()))
                .toList();
    }

    @Override
    public boolean kick(long id) {
        return context.service(ClientRegistry.class).orElseThrow().kick(id);
    }

    @Override
    public Optional<io.streamkit.record.Recorder> recorder() {
        return context.service(io.streamkit.record.Recorder.class);
    }

    @Override
    public Optional<io.streamkit.cluster.Relays> relays() {
        return context.service(io.streamkit.cluster.Relays.class);
    }

    @Override
    public Puller pull(String url, StreamKey localKey) {
        return scheme(url, "pull").puller(url, localKey);
    }

    @Override
    public Pusher push(StreamKey localKey, String url) {
        return scheme(url, "push to").pusher(localKey, url);
    }

    private RelayScheme scheme(String url, String verb) {
        Objects.requireNonNull(url, "url");
        if (closed.get()) {
            throw new IllegalStateException("the server is stopped");
        }
        try {
            return context.relays(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot " + verb + " '" + url + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop(modules, listeners, engine, loops, context);
        log.info("Streamkit stopped");
    }

    /** A listener a module declared, bound once every module has started. */
    private record Declared(InetSocketAddress address, ChannelHandler initializer) {
    }

    /** The engine's events, handed to the listeners modules add after the engine was built. */
    private static final class ModuleEvents extends ServerListener {
        private final List<ServerListener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public void onConnect(ConnectionEvent event) {
            listeners.forEach(l -> l.onConnect(event));
        }

        @Override
        public void onDisconnect(ConnectionEvent event) {
            listeners.forEach(l -> l.onDisconnect(event));
        }

        @Override
        public void onPublish(StreamEvent event) {
            listeners.forEach(l -> l.onPublish(event));
        }

        @Override
        public void onUnpublish(StreamEvent event) {
            listeners.forEach(l -> l.onUnpublish(event));
        }

        @Override
        public void onPlayWaiting(PlayEvent event) {
            listeners.forEach(l -> l.onPlayWaiting(event));
        }

        @Override
        public void onPlay(PlayEvent event) {
            listeners.forEach(l -> l.onPlay(event));
        }

        @Override
        public void onStop(PlayEvent event) {
            listeners.forEach(l -> l.onStop(event));
        }

        @Override
        public void onSkip(SkipEvent event) {
            listeners.forEach(l -> l.onSkip(event));
        }

        @Override
        public void onRecordStart(io.streamkit.hook.RecordEvent event) {
            listeners.forEach(l -> l.onRecordStart(event));
        }

        @Override
        public void onRecordEnd(io.streamkit.hook.RecordEvent event) {
            listeners.forEach(l -> l.onRecordEnd(event));
        }
    }

    /** The one context every module of the server starts with. */
    private static final class Context implements ModuleContext {
        private final Engine engine;
        private final EventLoopGroup loops;
        private final ByteBufAllocator allocator;
        private final ModuleEvents events;
        private final Map<String, Declared> declared = new LinkedHashMap<>();
        private final Map<Class<?>, Object> services = new HashMap<>();
        private final Map<String, RelayScheme> schemes = new LinkedHashMap<>();
        private final List<Runnable> onTerminated = new CopyOnWriteArrayList<>();
        private ExecutorService blocking;
        /** The module starting now, named when a start fails. */
        private String current;
        /** Set once every module has started: listeners and services are declared while modules start, not later. */
        private volatile boolean sealed;

        Context(Engine engine, EventLoopGroup loops, ByteBufAllocator allocator, ModuleEvents events) {
            this.engine = engine;
            this.loops = loops;
            this.allocator = allocator;
            this.events = events;
        }

        @Override
        public StreamEngine engine() {
            return engine;
        }

        @Override
        public EventLoopGroup loops() {
            return loops;
        }

        @Override
        public ByteBufAllocator allocator() {
            return allocator;
        }

        @Override
        public synchronized void listen(String name, InetSocketAddress address, ChannelHandler initializer) {
            requireStarting("listen");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(initializer, "initializer");
            if (declared.putIfAbsent(Objects.requireNonNull(name, "name"), new Declared(address, initializer)) != null) {
                throw new IllegalArgumentException("a listener named '" + name + "' is already declared");
            }
        }

        @Override
        public synchronized <T> void provide(Class<T> type, T service) {
            requireStarting("provide");
            if (services.putIfAbsent(Objects.requireNonNull(type, "type"), type.cast(service)) != null) {
                throw new IllegalArgumentException("a service " + type.getName() + " is already provided");
            }
        }

        @Override
        public synchronized <T> Optional<T> service(Class<T> type) {
            return Optional.ofNullable(type.cast(services.get(type)));
        }

        @Override
        public synchronized void relayScheme(String scheme, RelayScheme relays) {
            requireStarting("relayScheme");
            String key = Objects.requireNonNull(scheme, "scheme").toLowerCase(Locale.ROOT);
            if (schemes.putIfAbsent(key, Objects.requireNonNull(relays, "relays")) != null) {
                throw new IllegalArgumentException("the relay scheme '" + key + "' is already registered");
            }
        }

        @Override
        public synchronized RelayScheme relays(String url) {
            int colon = Objects.requireNonNull(url, "url").indexOf("://");
            RelayScheme scheme = colon <= 0 ? null : schemes.get(url.substring(0, colon).toLowerCase(Locale.ROOT));
            if (scheme == null) {
                throw new IllegalArgumentException("only " + String.join(", ", schemes.keySet().stream()
                        .map(s -> s + "://").toList()) + " URLs are supported");
            }
            return scheme;
        }

        @Override
        public PlayerOutputs playerOutputs() {
            return LoopPlayerOutputs.INSTANCE;
        }

        @Override
        public Connections connections() {
            ClientRegistry registry = service(ClientRegistry.class).orElseThrow();
            return (protocol, remoteAddress, close) -> {
                ClientRegistry.Entry entry = registry.register(engine.newId(), protocol, remoteAddress, close);
                return new Connections.Connection() {
                    @Override
                    public long id() {
                        return entry.id();
                    }

                    @Override
                    public void publishing(StreamKey key) {
                        entry.role(ClientRegistry.Role.PUBLISH, key);
                    }

                    @Override
                    public void playing(StreamKey key) {
                        entry.role(ClientRegistry.Role.PLAY, key);
                    }

                    @Override
                    public void close() {
                        entry.unregister();
                    }
                };
            };
        }

        @Override
        public void metrics(io.streamkit.server.spi.MetricsSource source) {
            service(io.streamkit.server.internal.ModuleMetrics.class).orElseThrow().add(source);
        }

        @Override
        public ServerListener announcer() {
            return engine.announcer();
        }

        @Override
        public void events(ServerListener listener) {
            events.listeners.add(Objects.requireNonNull(listener, "listener"));
        }

        @Override
        public synchronized Executor blockingExecutor() {
            if (blocking == null) {
                ThreadPoolExecutor pool = new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 30, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(), new DefaultThreadFactory("streamkit-blocking", true));
                pool.allowCoreThreadTimeOut(true);
                blocking = pool;
            }
            return blocking;
        }

        private void requireStarting(String call) {
            if (sealed) {
                throw new IllegalStateException(call + " is for ProtocolModule.start: the server has started");
            }
        }

        @Override
        public void onTerminated(Runnable task) {
            onTerminated.add(Objects.requireNonNull(task, "task"));
        }

        /** Runs the tasks that waited for the loops to stop, and stops the blocking threads. */
        void terminated() {
            for (Runnable task : onTerminated) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("a module's task after the loops stopped failed", e);
                }
            }
            ExecutorService pool;
            synchronized (this) {
                pool = blocking;
            }
            if (pool != null) {
                pool.shutdown();
            }
        }
    }
}
