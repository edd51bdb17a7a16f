package io.streamkit.rtsp.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.streamkit.engine.StreamEngine;
import io.streamkit.relay.Puller;
import io.streamkit.relay.RelayStatus;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.RelayProgress;
import io.streamkit.server.internal.Transports;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a stream from an RTSP server, an IP camera or an NVR ({@code rtsp://[user:password@]host[:port]/path}),
 * and publishes it as a local stream (protocol {@value RtspPullHandler#PROTOCOL}), which every
 * protocol then plays.
 *
 * <pre>{@code
 * Puller camera = server.pull("rtsp://admin:secret@10.0.0.20/Streaming/Channels/101", StreamKey.of("cams", "door"));
 * camera.start().toCompletableFuture().get(15, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p><b>Protocol.</b> The host name is looked up on the server's blocking executor, then one TCP
 * connection on one of the server's event loops: DESCRIBE, SETUP of each track this server takes
 * with RTP interleaved in the connection, PLAY ({@link RtspPullHandler}). Payloads become frames
 * without a copy past the depacketizers.
 *
 * <p><b>Lifecycle.</b> {@code IDLE}, {@code CONNECTING} at {@link #start()}, {@code LIVE} at
 * PLAY's answer, {@code STOPPED} for good. One connection, no reconnect: when it drops, the local
 * publisher ends (its players wait out the stream's reconnect grace) and the puller is done;
 * retrying (a camera that reboots) is the relay above it's job ({@code RelayConfig}'s pulls).
 *
 * <p><b>Threading.</b> Every method is safe from any thread and none blocks.
 */
final class RtspPuller implements Puller {
    private static final Logger log = LoggerFactory.getLogger(RtspPuller.class);
    /** Time to connect. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final EventLoop loop;
    private final Executor resolver;
    private final StreamEngine engine;
    private final RtspUrl url;
    private final StreamKey localKey;
    private final int maxAccessUnitSize;
    private final Consumer<? super RtspPuller> onDone;
    private final RelayProgress progress = new RelayProgress();
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile boolean active;
    private volatile boolean closed;
    private volatile RtspPullHandler handler;
    private Channel channel;   // event loop only

    RtspPuller(EventLoop loop, Executor resolver, StreamEngine engine, RtspUrl url, StreamKey localKey,
               int maxAccessUnitSize, Consumer<? super RtspPuller> onDone) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.url = Objects.requireNonNull(url, "url");
        this.localKey = Objects.requireNonNull(localKey, "localKey");
        this.maxAccessUnitSize = maxAccessUnitSize;
        this.onDone = Objects.requireNonNull(onDone, "onDone");
    }

    @Override
    public StreamKey localKey() {
        return localKey;
    }

    /**
     * Looks the host up, connects and plays; calling it again returns the same outcome.
     *
     * @return completes when PLAY is answered and the local stream published; fails with the
     *     cause: an {@link UnknownHostException}, a {@link java.net.ConnectException}, an
     *     {@link io.streamkit.rtsp.RtspProtocolException} naming a status other than 200 or the
     *     timeout that passed, a {@link io.streamkit.codec.MediaFormatException} for an SDP
     *     without a track this server takes, a {@link io.streamkit.stream.StreamException} when
     *     the local stream could not be published, or an {@link IllegalStateException} when the
     *     puller was closed first
     */
    @Override
    public CompletionStage<Void> start() {
        if (progress.begin()) {
            try {
                resolver.execute(this::resolve);
            } catch (RejectedExecutionException e) {
                finish(new IllegalStateException("rtsp pull " + localKey + ": the server is stopping", e));
            }
        }
        return progress.started();
    }

    private void resolve() {
        if (closed) {
            return;
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(url.host(), url.port());
        } catch (RuntimeException e) {
            finish(e);
            return;
        }
        try {
            loop.execute(() -> connect(address));
        } catch (RejectedExecutionException e) {
            finish(new IllegalStateException("rtsp pull " + localKey + ": the server is stopping", e));
        }
    }

    private void connect(InetSocketAddress address) {
        if (closed) {
            return;
        }
        if (address.isUnresolved()) {
            finish(new UnknownHostException("cannot resolve the host of " + url.display()));
            return;
        }
        RtspPullHandler.Events events = new RtspPullHandler.Events() {
            @Override
            public void live() {
                active = true;
                progress.live();
                log.info("rtsp pull {}: playing {}", localKey, url.display());
            }

            @Override
            public void closed(Throwable cause) {
                active = false;
                if (progress.wentLive()) {
                    if (cause != null) {
                        log.info("rtsp pull {}: disconnected: {}", localKey, cause.getMessage());
                    }
                    finish(cause);
                } else {
                    finish(cause != null ? cause : new IllegalStateException(url.display() + " closed before PLAY"));
                }
            }
        };
        ChannelFuture future = new Bootstrap()
                .group(loop)
                .channel(Transports.socketChannel(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_SECONDS * 1000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RtspPullHandler h = new RtspPullHandler(url, options -> engine.publish(localKey, options),
                                maxAccessUnitSize, events);
                        ch.pipeline()
                                .addLast("idle", new IdleTimeoutHandler(RtspPullHandler.IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                                .addLast(RtspServerInitializer.DEMUX, new RtspDemuxer(RtspPullHandler.MAX_HEAD,
                                        RtspPullHandler.MAX_BODY, TimeUnit.SECONDS.toNanos(RtspPullHandler.START_TIMEOUT_SECONDS)))
                                .addLast("rtsp-encoder", new RtspEncoder())
                                .addLast("rtsp-decoder", new RtspDecoder(RtspPullHandler.MAX_HEAD, RtspPullHandler.MAX_HEAD,
                                        RtspPullHandler.MAX_BODY))
                                .addLast("rtsp-aggregator", new HttpObjectAggregator(RtspPullHandler.MAX_BODY))
                                .addLast("rtsp-pull", h);
                        handler = h;
                    }
                })
                .connect(address);
        channel = future.channel();
        future.addListener(f -> {
            if (!f.isSuccess()) {
                finish(f.cause());
            }
        });
    }

    private void finish(Throwable cause) {
        active = false;
        progress.finish(cause, closed, () -> onDone.accept(this));
    }

    /**
     * Returns the puller's state, the RTP bytes received, its one attempt and the last error.
     *
     * @return a snapshot; attempts is 1 once started, 0 before
     */
    @Override
    public RelayStatus status() {
        RtspPullHandler h = handler;
        return progress.status(h == null ? 0 : h.mediaBytes(), progress.begun() ? 1 : 0);
    }

    @Override
    public CompletionStage<Void> done() {
        return progress.done();
    }

    @Override
    public boolean isActive() {
        return active;
    }

    /** Tears the session down, disconnects and closes the local publisher; a pending {@link #start()} fails. Idempotent. */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        active = false;
        IllegalStateException why = new IllegalStateException("rtsp pull " + localKey + " closed");
        try {
            loop.execute(() -> {
                RtspPullHandler h = handler;
                if (h != null) {
                    h.stop();
                }
                if (channel != null) {
                    channel.close();
                }
                finish(why);
            });
        } catch (RejectedExecutionException e) {
            finish(why);
        }
    }

    @Override
    public String toString() {
        return "rtsp pull " + url.display() + " as " + localKey;
    }
}
