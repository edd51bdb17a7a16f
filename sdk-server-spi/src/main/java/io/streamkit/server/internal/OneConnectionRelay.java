package io.streamkit.server.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.streamkit.relay.Relay;
import io.streamkit.relay.RelayStatus;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay of one connection, the life that the clients pulling and pushing over one TCP
 * connection share (HTTP-FLV's pull, RTSP's pull and push): the host name looked up on the
 * server's blocking executor, one connection on one event loop, {@link #live()} when the protocol
 * has started, and the end when the connection does. No reconnect: retrying is the relay above
 * it's job (the relays' pulls and pushes).
 *
 * <p><b>Lifecycle.</b> {@code IDLE}; {@code CONNECTING} at {@link #start()}; {@code LIVE} at
 * {@link #live()}; {@code STOPPED} for good when the connection ends, fails or is
 * {@linkplain #close() closed}, after which {@link #ended()} is called once. {@link #start()}'s
 * stage completes at {@code LIVE} or fails with why it never got there.
 *
 * <p><b>Threading.</b> Every public method is safe from any thread and none blocks; the
 * connection, its handler and the subclass's hooks run on the connection's event loop, except
 * {@link #ended()}, which runs wherever the end is seen, and {@link #mediaBytes}, which reads a
 * volatile count from any thread.
 *
 * @param <H> the connection's protocol handler
 */
public abstract class OneConnectionRelay<H> implements Relay {
    private static final Logger log = LoggerFactory.getLogger(OneConnectionRelay.class);

    private final EventLoop loop;
    private final Executor resolver;
    private final StreamKey localKey;
    private final String name;
    private final RelayProgress progress = new RelayProgress();
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile boolean active;
    private volatile boolean closed;
    private volatile H handler;
    private Channel channel;   // event loop only

    /**
     * Creates the relay; nothing happens until {@link #start()}.
     *
     * @param loop the connection's event loop
     * @param resolver where the host name is looked up (a lookup blocks): the server's blocking executor
     * @param localKey the local stream
     * @param name what it is, for logs and errors: {@code "rtsp pull"}, {@code "http-flv pull"}
     */
    protected OneConnectionRelay(EventLoop loop, Executor resolver, StreamKey localKey, String name) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.localKey = Objects.requireNonNull(localKey, "localKey");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** @return the remote host */
    protected abstract String host();

    /** @return the remote port */
    protected abstract int port();

    /** @return the remote URL as logs may show it: without a password or a query */
    protected abstract String display();

    /** @return how long connecting may take */
    protected abstract int connectTimeoutMillis();

    /**
     * Builds the connection's pipeline. On the event loop.
     *
     * @param ch the new connection
     * @return its protocol handler, which calls {@link #live()} and {@link #disconnected(Throwable)}
     */
    protected abstract H pipeline(SocketChannel ch);

    /**
     * Returns the media bytes a handler has moved, for {@link #status()}.
     *
     * @param handler the handler
     * @return the count; read from any thread
     */
    protected abstract long mediaBytes(H handler);

    /**
     * Ends the protocol's session politely (a TEARDOWN, the local publisher closed) before the
     * connection closes. On the event loop.
     *
     * @param handler the handler
     */
    protected abstract void stop(H handler);

    /** Told once, when the relay has stopped for good. */
    protected abstract void ended();

    /** @return what a live relay does, for its log line: {@code "playing"} */
    protected String liveAction() {
        return "playing";
    }

    @Override
    public StreamKey localKey() {
        return localKey;
    }

    /**
     * Looks the host up, connects and starts the protocol; calling it again returns the same outcome.
     *
     * @return completes at {@link #live()}; fails with the cause: an {@link UnknownHostException}, a
     *     {@link java.net.ConnectException} or Netty's {@code ConnectTimeoutException}, what the
     *     protocol failed with, or an {@link IllegalStateException} when the relay was closed or
     *     the connection ended first
     */
    @Override
    public CompletionStage<Void> start() {
        if (progress.begin()) {
            try {
                resolver.execute(this::resolve);
            } catch (RejectedExecutionException e) {
                finish(new IllegalStateException(this.name + " " + localKey + ": the server is stopping", e));
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
            address = new InetSocketAddress(host(), port());
        } catch (RuntimeException e) {
            finish(e);
            return;
        }
        try {
            loop.execute(() -> connect(address));
        } catch (RejectedExecutionException e) {
            finish(new IllegalStateException(name + " " + localKey + ": the server is stopping", e));
        }
    }

    private void connect(InetSocketAddress address) {
        if (closed) {
            return;
        }
        if (address.isUnresolved()) {
            finish(new UnknownHostException("cannot resolve the host of " + display()));
            return;
        }
        ChannelFuture future = new Bootstrap()
                .group(loop)
                .channel(Transports.socketChannel(loop))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        handler = pipeline(ch);
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

    /** The protocol has started: the relay is live, and {@link #start()}'s stage completes. */
    protected final void live() {
        active = true;
        progress.live();
        log.info("{} {}: {} {}", name, localKey, liveAction(), display());
    }

    /**
     * The connection ended.
     *
     * @param cause why, or {@code null} for an orderly end
     */
    protected final void disconnected(Throwable cause) {
        active = false;
        if (progress.wentLive()) {
            if (cause != null) {
                log.info("{} {}: disconnected: {}", name, localKey, cause.getMessage());
            }
            finish(cause);
        } else {
            finish(cause != null ? cause : new IllegalStateException(display() + " closed before it started"));
        }
    }

    /** Stops for good, once: fails {@link #start()} if it is pending, records the error, tells the owner. */
    private void finish(Throwable cause) {
        active = false;
        progress.finish(cause, closed, this::ended);
    }

    /**
     * Returns the relay's state, the media bytes moved, its one attempt and the last error.
     *
     * @return a snapshot; attempts is 1 once started, 0 before
     */
    @Override
    public RelayStatus status() {
        H h = handler;
        return progress.status(h == null ? 0 : mediaBytes(h), progress.begun() ? 1 : 0);
    }

    /**
     * Returns a stage that completes when the relay has stopped for good.
     *
     * @return the stage; it never fails
     */
    @Override
    public CompletionStage<Void> done() {
        return progress.done();
    }

    /**
     * Returns whether the relay is connected and live.
     *
     * @return {@code true} from {@link #live()} until the connection ends
     */
    @Override
    public boolean isActive() {
        return active;
    }

    /** Ends the session, disconnects; a pending {@link #start()} fails. Idempotent; returns without waiting. */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        active = false;
        IllegalStateException why = new IllegalStateException(name + " " + localKey + " closed");
        try {
            loop.execute(() -> {
                H h = handler;
                if (h != null) {
                    stop(h);
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
}
