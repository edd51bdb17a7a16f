package io.streamkit.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.internal.engine.Engine;
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.rtmp.RtmpPuller;
import io.streamkit.rtmp.RtmpPusher;
import io.streamkit.rtmp.internal.RtmpClientHost;
import io.streamkit.rtmp.internal.RtmpServerInitializer;
import io.streamkit.stream.StreamEngine;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.util.List;
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
    private final RtmpClientConfig rtmpClient;
    private final Set<AutoCloseable> relays = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunningServer(EventLoopGroup loops, StreamEngine engine, Channel rtmpChannel, RtmpClientConfig rtmpClient) {
        this.loops = loops;
        this.engine = engine;
        this.rtmpChannel = rtmpChannel;
        this.rtmpClient = rtmpClient;
    }

    static MediaServer start(StreamEngine.Builder engineBuilder, int ioThreads, RtmpConfig rtmp,
                             RtmpClientConfig rtmpClient) {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(ioThreads,
                new DefaultThreadFactory("streamkit-io", true), NioIoHandler.newFactory());
        StreamEngine engine = null;
        try {
            engine = engineBuilder.executor(loops).build();
            Channel rtmpChannel = null;
            if (rtmp != null) {
                rtmpChannel = new ServerBootstrap()
                        .group(loops)
                        .channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, PLAYER_WATER_MARK)
                        .childHandler(new RtmpServerInitializer((Engine) engine, rtmp))
                        .bind(rtmp.port()).syncUninterruptibly().channel();
                log.info("RTMP listening on {}", rtmpChannel.localAddress());
            }
            log.info("Streamkit started with {} I/O threads", ioThreads);
            return new RunningServer(loops, engine, rtmpChannel, rtmpClient);
        } catch (RuntimeException | Error e) {
            if (engine != null) {
                engine.close();
            }
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("Streamkit could not start: " + e.getMessage(), e);
        }
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
        if (rtmpChannel != null) {
            rtmpChannel.close().syncUninterruptibly();
        }
        engine.close();
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        log.info("Streamkit stopped");
    }
}
