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
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP client, pulling or pushing. A pull plays a stream from an RTSP server, an IP camera or
 * an NVR ({@code rtsp://[user:password@]host[:port]/path}), and publishes it as a local stream
 * (protocol {@value RtspPullHandler#PROTOCOL}), which every protocol then plays; a push sends a
 * local stream to an RTSP server with ANNOUNCE and RECORD ({@link RtspPushHandler}).
 *
 * <pre>{@code
 * Puller camera = server.pull("rtsp://admin:secret@10.0.0.20/Streaming/Channels/101", StreamKey.of("cams", "door"));
 * camera.start().toCompletableFuture().get(15, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p><b>Protocol.</b> The host name is looked up on the server's blocking executor, then one TCP
 * connection on one of the server's event loops, RTP interleaved in it: DESCRIBE, SETUP of each
 * track this server takes, PLAY ({@link RtspPullHandler}); or ANNOUNCE, SETUP, RECORD.
 *
 * <p><b>Lifecycle.</b> {@code IDLE}, {@code CONNECTING} at {@link #start()}, {@code LIVE} at
 * PLAY's or RECORD's answer, {@code STOPPED} for good. One connection, no reconnect: when it
 * drops, a pull's local publisher ends (its players wait out the stream's reconnect grace), a
 * push's subscription ends, and the relay is done; retrying (a camera that reboots, a server
 * that restarts) is the relay above it's job ({@code RelayConfig}'s pulls and pushes).
 *
 * <p><b>Threading.</b> Every method is safe from any thread and none blocks.
 */
final class RtspRelay implements Puller, Pusher {
    private static final Logger log = LoggerFactory.getLogger(RtspRelay.class);
    /** Time to connect. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final EventLoop loop;
    private final Executor resolver;
    private final RtspUrl url;
    private final StreamKey localKey;
    private final String kind;
    private final Function<RtspClientHandler.Events, RtspClientHandler> handlers;
    private final Consumer<? super RtspRelay> onDone;
    private final RelayProgress progress = new RelayProgress();
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile boolean active;
    private volatile boolean closed;
    private volatile RtspClientHandler handler;
    private Channel channel;   // event loop only

    /**
     * @param loop the connection's event loop
     * @param resolver where the host name is looked up: the server's blocking executor
     * @param url the remote stream
     * @param localKey the local stream
     * @param kind {@code "pull"} or {@code "push"}, for logs
     * @param handlers makes the connection's handler, which tells the events
     * @param onDone told once, when the relay has stopped for good
     */
    RtspRelay(EventLoop loop, Executor resolver, RtspUrl url, StreamKey localKey, String kind,
              Function<RtspClientHandler.Events, RtspClientHandler> handlers, Consumer<? super RtspRelay> onDone) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.url = Objects.requireNonNull(url, "url");
        this.localKey = Objects.requireNonNull(localKey, "localKey");
        this.kind = kind;
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        this.onDone = Objects.requireNonNull(onDone, "onDone");
    }

    @Override
    public StreamKey localKey() {
        return localKey;
    }

    /**
     * Looks the host up, connects and plays or records; calling it again returns the same outcome.
     *
     * @return completes when PLAY is answered and the local stream published, or RECORD answered; fails with the
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
                finish(new IllegalStateException("rtsp " + kind + " " + localKey + ": the server is stopping", e));
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
            finish(new IllegalStateException("rtsp " + kind + " " + localKey + ": the server is stopping", e));
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
        RtspClientHandler.Events events = new RtspClientHandler.Events() {
            @Override
            public void live() {
                active = true;
                progress.live();
                log.info("rtsp {} {}: {} {}", kind, localKey, kind.equals("pull") ? "playing" : "recording to", url.display());
            }

            @Override
            public void closed(Throwable cause) {
                active = false;
                if (progress.wentLive()) {
                    if (cause != null) {
                        log.info("rtsp {} {}: disconnected: {}", kind, localKey, cause.getMessage());
                    }
                    finish(cause);
                } else {
                    finish(cause != null ? cause : new IllegalStateException(url.display() + " closed before it started"));
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
                        RtspClientHandler h = handlers.apply(events);
                        ch.pipeline()
                                .addLast("idle", new IdleTimeoutHandler(RtspClientHandler.IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                                .addLast(RtspServerInitializer.DEMUX, new RtspDemuxer(RtspClientHandler.MAX_HEAD,
                                        RtspClientHandler.MAX_BODY, TimeUnit.SECONDS.toNanos(RtspClientHandler.START_TIMEOUT_SECONDS)))
                                .addLast("rtsp-encoder", new RtspEncoder())
                                .addLast("rtsp-decoder", new RtspDecoder(RtspClientHandler.MAX_HEAD, RtspClientHandler.MAX_HEAD,
                                        RtspClientHandler.MAX_BODY))
                                .addLast("rtsp-aggregator", new HttpObjectAggregator(RtspClientHandler.MAX_BODY))
                                .addLast("rtsp-" + kind, h);
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
     * Returns the relay's state, the RTP bytes received or sent, its one attempt and the last error.
     *
     * @return a snapshot; attempts is 1 once started, 0 before
     */
    @Override
    public RelayStatus status() {
        RtspClientHandler h = handler;
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
        IllegalStateException why = new IllegalStateException("rtsp " + kind + " " + localKey + " closed");
        try {
            loop.execute(() -> {
                RtspClientHandler h = handler;
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
        return "rtsp " + kind + " " + url.display() + (kind.equals("pull") ? " as " : " of ") + localKey;
    }
}
