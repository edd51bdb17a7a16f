package io.streamkit.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.engine.StreamEngine;
import io.streamkit.hls.HlsConfig;
import io.streamkit.hls.internal.HlsRoute;
import io.streamkit.hls.internal.HlsService;
import io.streamkit.http.HttpConfig;
import io.streamkit.http.spi.HttpMount;
import io.streamkit.httpflv.internal.HttpFlvService;
import io.streamkit.http.internal.ApiRoute;
import io.streamkit.http.internal.AppRoute;
import io.streamkit.http.internal.HttpRouter;
import io.streamkit.http.internal.HttpServerInitializer;
import io.streamkit.http.internal.MetricsRoute;
import io.streamkit.internal.engine.Engine;
import io.streamkit.internal.engine.EngineBuilder;
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.rtmp.internal.RtmpClientHost;
import io.streamkit.rtmp.internal.RtmpPuller;
import io.streamkit.rtmp.internal.RtmpPusher;
import io.streamkit.rtmp.internal.RtmpServerInitializer;
import io.streamkit.server.internal.ClientLog;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.MemoryBudget;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.server.internal.Transports;
import io.streamkit.stream.StreamKey;
import io.streamkit.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running {@link MediaServer}: one event loop group shared by the engine, every protocol
 * and the relays; it lends them to RTMP pullers and pushers as their {@link RtmpClientHost}.
 */
final class RunningServer implements MediaServer, RtmpClientHost {
    private static final Logger log = LoggerFactory.getLogger(RunningServer.class);

    /**
     * Write-buffer water marks for player connections: a player whose unsent bytes pass the
     * high mark is not writable and skips to the next keyframe. 8 MiB holds the GOP cache
     * burst a new player gets at 1 to 8 Mbps without skipping at once.
     */
    static final WriteBufferWaterMark PLAYER_WATER_MARK = new WriteBufferWaterMark(4 << 20, 8 << 20);

    private final EventLoopGroup loops;
    private final StreamEngine engine;
    private final Channel rtmpChannel;
    private final Channel rtmpsChannel;
    private final Channel httpChannel;
    private final Channel httpsChannel;
    private final HlsService hls;
    private final RtmpClientConfig rtmpClient;
    private final Set<AutoCloseable> relays = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunningServer(EventLoopGroup loops, StreamEngine engine, Channel rtmpChannel, Channel rtmpsChannel,
                          Channel httpChannel, Channel httpsChannel, HlsService hls, RtmpClientConfig rtmpClient) {
        this.hls = hls;
        this.loops = loops;
        this.engine = engine;
        this.rtmpChannel = rtmpChannel;
        this.rtmpsChannel = rtmpsChannel;
        this.httpChannel = httpChannel;
        this.httpsChannel = httpsChannel;
        this.rtmpClient = rtmpClient;
    }

    static MediaServer start(EngineBuilder engineBuilder, int ioThreads, Transport transport,
                             ByteBufAllocator allocator, RtmpConfig rtmp, HttpConfig http,
                             HlsConfig hlsConfig, RtmpClientConfig rtmpClient, ServerLimits limits) {
        Transport resolved = Transports.resolve(transport);
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(ioThreads,
                new DefaultThreadFactory("streamkit-io", true), Transports.ioHandler(resolved));
        Engine engine = null;
        Channel rtmpChannel = null;
        Channel rtmpsChannel = null;
        Channel httpChannel = null;
        Channel httpsChannel = null;
        HlsService hls = hlsConfig == null ? null : new HlsService(hlsConfig, loops);
        try {
            if (hls != null) {
                engineBuilder.listener(hls.listener());
            }
            engine = engineBuilder.executor(loops).build();
            if (hls != null) {
                hls.start(engine);
            }
            ClientRegistry clients = new ClientRegistry();
            ServerGuard guard = new ServerGuard(new ClientLog(limits.logLinesPerSecond(), limits.logBurst()),
                    new MemoryBudget(limits.memoryBudget(), limits.memoryPerAddress()));
            if (rtmp != null) {
                RtmpServerInitializer plain = new RtmpServerInitializer(engine, rtmp, clients, guard);
                rtmpChannel = bind(loops, allocator, plain, rtmp.port());
                log.info("RTMP listening on {}", rtmpChannel.localAddress());
                if (rtmp.tls() != null) {
                    rtmpsChannel = bind(loops, allocator, plain.withTls(), rtmp.tls().port());
                    log.info("RTMPS listening on {}", rtmpsChannel.localAddress());
                }
            }
            if (http != null) {
                List<HttpMount> mounts = new ArrayList<>();
                mounts.add(new HttpFlvService(engine, clients, http.writeBatch(), http.absoluteTime()));
                if (hls != null) {
                    mounts.add(new HlsRoute(hls));
                }
                HttpServerInitializer plainHttp = new HttpServerInitializer(http, mounts, routes(engine, clients, http, guard),
                        guard);
                httpChannel = bind(loops, allocator, plainHttp, http.port());
                if (http.tls() != null) {
                    httpsChannel = bind(loops, allocator, plainHttp.withTls(), http.tls().port());
                    log.info("HTTPS listening on {}", httpsChannel.localAddress());
                }
                log.info("HTTP listening on {}", httpChannel.localAddress());
            }
            log.info("Streamkit started with {} I/O threads ({})", ioThreads, resolved.name().toLowerCase(java.util.Locale.ROOT));
            return new RunningServer(loops, engine, rtmpChannel, rtmpsChannel, httpChannel, httpsChannel, hls, rtmpClient);
        } catch (Exception | Error e) {
            for (Channel c : new Channel[] {rtmpChannel, rtmpsChannel, httpChannel, httpsChannel}) {
                if (c != null) {
                    c.close().syncUninterruptibly();
                }
            }
            if (hls != null) {
                hls.close();
            }
            if (engine != null) {
                engine.close();
            }
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("Streamkit could not start: " + e.getMessage(), e);
        }
    }

    /** The HTTP port's routes, longest prefix first so that nested prefixes resolve to the closest. */
    private static Map<String, HttpRouter.Route> routes(StreamEngine engine, ClientRegistry clients, HttpConfig http,
                                                        ServerGuard guard) {
        List<Map.Entry<String, HttpRouter.Route>> all = new ArrayList<>();
        all.add(Map.entry("/api", new ApiRoute(engine, clients, http.apiToken())));
        all.add(Map.entry("/metrics", new MetricsRoute(engine, clients, guard)));
        http.routes().forEach((prefix, route) -> all.add(Map.entry(prefix, new AppRoute(route))));
        all.sort(Comparator.comparingInt((Map.Entry<String, HttpRouter.Route> e) -> e.getKey().length()).reversed());
        Map<String, HttpRouter.Route> routes = new LinkedHashMap<>();
        for (Map.Entry<String, HttpRouter.Route> e : all) {
            routes.put(e.getKey(), e.getValue());
        }
        return routes;
    }

    private static Channel bind(EventLoopGroup loops, ByteBufAllocator allocator,
                                io.netty.channel.ChannelHandler initializer, int port) {
        return new ServerBootstrap()
                .group(loops)
                .channel(Transports.serverChannel(loops))
                .option(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, PLAYER_WATER_MARK)
                .childHandler(initializer)
                .bind(port).syncUninterruptibly().channel();
    }

    @Override
    public StreamEngine streams() {
        return engine;
    }

    @Override
    public OptionalInt rtmpPort() {
        return rtmpChannel == null ? OptionalInt.empty()
                : OptionalInt.of(((InetSocketAddress) rtmpChannel.localAddress()).getPort());
    }

    @Override
    public OptionalInt rtmpsPort() {
        return rtmpsChannel == null ? OptionalInt.empty()
                : OptionalInt.of(((InetSocketAddress) rtmpsChannel.localAddress()).getPort());
    }

    @Override
    public OptionalInt httpsPort() {
        return httpsChannel == null ? OptionalInt.empty()
                : OptionalInt.of(((InetSocketAddress) httpsChannel.localAddress()).getPort());
    }

    @Override
    public OptionalInt httpPort() {
        return httpChannel == null ? OptionalInt.empty()
                : OptionalInt.of(((InetSocketAddress) httpChannel.localAddress()).getPort());
    }

    @Override
    public Puller pull(String url, StreamKey localKey) {
        Objects.requireNonNull(url, "url");
        if (url.regionMatches(true, 0, "rtmp://", 0, 7)) {
            return RtmpPuller.create(this, url, localKey);
        }
        throw new IllegalArgumentException("cannot pull '" + url + "': only rtmp:// URLs are supported");
    }

    @Override
    public Pusher push(StreamKey localKey, String url) {
        Objects.requireNonNull(url, "url");
        if (url.regionMatches(true, 0, "rtmp://", 0, 7)) {
            return RtmpPusher.create(this, localKey, url);
        }
        throw new IllegalArgumentException("cannot push to '" + url + "': only rtmp:// URLs are supported");
    }

    @Override
    public EventLoopGroup loops() {
        return loops;
    }

    @Override
    public RtmpClientConfig rtmpClientConfig() {
        return rtmpClient;
    }

    @Override
    public void register(AutoCloseable relay) {
        if (closed.get()) {
            throw new IllegalStateException("the server is stopped");
        }
        relays.add(relay);
    }

    @Override
    public void unregister(AutoCloseable relay) {
        relays.remove(relay);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (AutoCloseable relay : List.copyOf(relays)) {
            try {
                relay.close();
            } catch (Exception e) {
                log.warn("closing relay {} failed", relay, e);
            }
        }
        for (Channel c : new Channel[] {rtmpChannel, rtmpsChannel, httpChannel, httpsChannel}) {
            if (c != null) {
                c.close().syncUninterruptibly();
            }
        }
        if (hls != null) {
            hls.close();
        }
        engine.close();
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (hls != null) {
            hls.release();
        }
        log.info("Streamkit stopped");
    }
}
