package io.streamkit.httpflv.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.streamkit.engine.StreamEngine;
import io.streamkit.httpflv.HttpFlvClientConfig;
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
 * Plays a stream from an HTTP-FLV origin ({@code http://} or {@code https://}) and publishes it
 * as a local stream: an edge pulling from an origin or a CDN.
 *
 * <pre>{@code
 * Puller puller = server.pull("https://origin.example/live/cam1.flv?token=abc", StreamKey.of("live", "cam1"));
 * puller.start().toCompletableFuture().get(15, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p><b>Protocol.</b> The host name is looked up on the server's blocking executor, then one
 * connection on one of the server's event loops: TLS for {@code https://} (the JVM's trust
 * store, the host name verified, SNI), {@code GET} with {@code Host}, {@code User-Agent:
 * Streamkit} and {@code Accept: *}{@code /*}, a {@code 200} answer whose body, chunked,
 * sized or close-delimited, is an FLV stream. Its tags become tracks, frames and metadata of
 * the local publisher (protocol {@value HttpFlvPullHandler#PROTOCOL}) without copying
 * payloads; {@link HttpFlvPullHandler} lists the limits.
 *
 * <p><b>Lifecycle.</b> {@code IDLE}, then {@code CONNECTING} at {@link #start()}, {@code LIVE}
 * at the first track, {@code STOPPED} for good. One connection, no reconnect: when the body
 * ends or the connection drops, the local publisher closes (its subscribers wait out the
 * stream's reconnect grace) and the puller is done; retrying is the relay above it's job.
 *
 * <p><b>Threading.</b> Every method is safe from any thread and none blocks; the connection's
 * state lives on its event loop.
 */
public final class HttpFlvPuller implements Puller {
    private static final Logger log = LoggerFactory.getLogger(HttpFlvPuller.class);

    private final EventLoop loop;
    private final Executor resolver;
    private final StreamEngine engine;
    private final HttpFlvClientConfig settings;
    private final SslContext tls;
    private final HttpFlvTarget target;
    private final StreamKey localKey;
    private final Consumer<? super HttpFlvPuller> onDone;
    private final RelayProgress progress = new RelayProgress();
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile boolean active;
    private volatile boolean closed;
    private volatile HttpFlvPullHandler handler;
    private Channel channel;   // event loop only

    /**
     * Creates a puller; nothing happens until {@link #start()}.
     *
     * @param loop the event loop of the connection
     * @param resolver where the host name is looked up (a lookup blocks): the server's blocking executor
     * @param engine where the local stream is published
     * @param settings timeouts and limits
     * @param tls the TLS client context for an {@code https://} target; {@code null} for {@code http://}
     * @param target the origin
     * @param localKey the local stream
     * @param onDone told once, when the puller has stopped for good
     */
    HttpFlvPuller(EventLoop loop, Executor resolver, StreamEngine engine, HttpFlvClientConfig settings, SslContext tls,
                  HttpFlvTarget target, StreamKey localKey, Consumer<? super HttpFlvPuller> onDone) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.target = Objects.requireNonNull(target, "target");
        this.localKey = Objects.requireNonNull(localKey, "localKey");
        this.onDone = Objects.requireNonNull(onDone, "onDone");
        if (target.tls() && tls == null) {
            throw new IllegalArgumentException(target.display() + " needs a TLS context");
        }
        this.tls = target.tls() ? tls : null;
    }

    /**
     * Returns the local stream the remote one is published as.
     *
     * @return the local key
     */
    @Override
    public StreamKey localKey() {
        return localKey;
    }

    /**
     * Looks the host up, connects and asks for the stream; calling it again returns the same outcome.
     *
     * @return completes when the first track is published locally; fails with the cause: an
     *     {@link UnknownHostException}, a {@link java.net.ConnectException} or Netty's
     *     {@code ConnectTimeoutException}, an {@code SSLException}, an
     *     {@link HttpFlvProtocolException} naming a status other than 200 or the timeout that
     *     passed, a {@link io.streamkit.codec.MediaFormatException} for a body that is not FLV or
     *     a tag over the limit, a {@link io.streamkit.stream.StreamException} when the local
     *     stream could not be published, or an {@link IllegalStateException} when the puller
     *     was closed or the body ended first
     */
    @Override
    public CompletionStage<Void> start() {
        if (progress.begin()) {
            try {
                resolver.execute(this::resolve);
            } catch (RejectedExecutionException e) {
                finish(new IllegalStateException("http-flv pull " + localKey + ": the server is stopping", e));
            }
        }
        return progress.started();
    }

    /** On the blocking executor: a name lookup may take seconds. */
    private void resolve() {
        if (closed) {
            return;
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(target.host(), target.port());
        } catch (RuntimeException e) {
            finish(e);
            return;
        }
        try {
            loop.execute(() -> connect(address));
        } catch (RejectedExecutionException e) {
            finish(new IllegalStateException("http-flv pull " + localKey + ": the server is stopping", e));
        }
    }

    private void connect(InetSocketAddress address) {
        if (closed) {
            return;
        }
        if (address.isUnresolved()) {
            finish(new UnknownHostException("cannot resolve the host of " + target.display()));
            return;
        }
        HttpFlvPullHandler.Events events = new HttpFlvPullHandler.Events() {
            @Override
            public void firstTrack() {
                live();
            }

            @Override
            public void closed(Throwable cause) {
                disconnected(cause);
            }
        };
        ChannelFuture future = new Bootstrap()
                .group(loop)
                .channel(Transports.socketChannel(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), target.host(), target.port());
                            ssl.setHandshakeTimeoutMillis(settings.startTimeout().toMillis());
                            ch.pipeline().addLast("tls", ssl);
                        }
                        HttpFlvPullHandler h = new HttpFlvPullHandler(settings, target,
                                options -> engine.publish(localKey, options), events);
                        ch.pipeline()
                                .addLast("idle", new IdleTimeoutHandler(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast("http", HttpFlvPullHandler.codec(settings))
                                .addLast("http-flv-pull", h);
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

    private void live() {
        active = true;
        progress.live();
        log.info("http-flv pull {}: playing {}", localKey, target.display());
    }

    private void disconnected(Throwable cause) {
        active = false;
        if (progress.wentLive()) {
            if (cause != null) {
                log.info("http-flv pull {}: disconnected: {}", localKey, cause.getMessage());
            }
            finish(cause);
        } else {
            finish(cause != null ? cause : new IllegalStateException(target.display() + " ended the stream before its first track"));
        }
    }

    /** Stops for good, once: fails {@link #start()} if it is pending, records the error, tells the owner. */
    private void finish(Throwable cause) {
        active = false;
        progress.finish(cause, closed, () -> onDone.accept(this));
    }

    /**
     * Returns the puller's state, the FLV tag bytes received, its one attempt and the last error.
     *
     * @return a snapshot; attempts is 1 once started, 0 before
     */
    @Override
    public RelayStatus status() {
        HttpFlvPullHandler h = handler;
        return progress.status(h == null ? 0 : h.mediaBytes(), progress.begun() ? 1 : 0);
    }

    /**
     * Returns a stage that completes when the puller has stopped for good: closed, the body
     * ended, the connection failed or dropped.
     *
     * @return the stage; it never fails
     */
    @Override
    public CompletionStage<Void> done() {
        return progress.done();
    }

    /**
     * Returns whether the puller is connected and publishing.
     *
     * @return {@code true} from the first track until the connection ends
     */
    @Override
    public boolean isActive() {
        return active;
    }

    /** Disconnects and closes the local publisher; a pending {@link #start()} fails. Idempotent; returns without waiting. */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        active = false;
        IllegalStateException why = new IllegalStateException("http-flv pull " + localKey + " closed");
        try {
            loop.execute(() -> {
                HttpFlvPullHandler h = handler;
                if (h != null) {
                    h.stop();
                }
                if (channel != null) {
                    channel.close();
                }
                finish(why);
            });
        } catch (RejectedExecutionException e) {
            finish(why);   // the loops are gone, and with them the connection
        }
    }

    @Override
    public String toString() {
        return "http-flv pull " + target.display() + " as " + localKey;
    }
}
