package io.streamkit.rtmp.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.streamkit.engine.StreamEngine;
import io.streamkit.relay.Puller;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.stream.StreamKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTMP puller: one connection that plays a remote stream into a local publisher. It does
 * not reconnect: when the remote stream ends or the connection drops, the local publisher
 * closes (its subscribers wait out the stream's reconnect grace) and the puller is done.
 * State lives on one event loop; {@link #start()} and {@link #close()} may be called from any thread.
 */
final class RtmpPullRelay implements Puller {
    private static final Logger log = LoggerFactory.getLogger(RtmpPullRelay.class);

    private final EventLoop loop;
    private final StreamEngine engine;
    private final RtmpClientConfig config;
    private final RtmpUrls.Target target;
    private final StreamKey localKey;
    private final Runnable onDone;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final AtomicBoolean startCalled = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean active;
    private volatile boolean closed;
    private Channel channel;
    private RtmpPullHandler handler;

    RtmpPullRelay(EventLoop loop, StreamEngine engine, RtmpClientConfig config, RtmpUrls.Target target,
                  StreamKey localKey, Runnable onDone) {
        this.loop = loop;
        this.engine = engine;
        this.config = config;
        this.target = target;
        this.localKey = localKey;
        this.onDone = onDone;
    }

    @Override
    public StreamKey localKey() {
        return localKey;
    }

    @Override
    public CompletionStage<Void> start() {
        if (startCalled.compareAndSet(false, true)) {
            loop.execute(this::connect);
        }
        return started.copy();
    }

    private void connect() {
        if (closed) {
            return;
        }
        var events = RtmpPullHandler.events(this::firstTrack, this::disconnected);
        var future = RtmpClients.connect(loop, config, target, decoder -> handler =
                new RtmpPullHandler(config, target, decoder, engine, localKey, events));
        channel = future.channel();
        future.addListener(f -> {
            if (!f.isSuccess()) {
                finish(f.cause());
            }
        });
    }

    private void firstTrack() {
        active = true;
        log.info("rtmp pull {}: playing rtmp://{}/{}", localKey, target.host() + ":" + target.port() + "/" + target.app(),
                target.name());
        started.complete(null);
    }

    private void disconnected(Throwable cause) {
        active = false;
        if (cause != null && started.isDone()) {
            log.info("rtmp pull {}: disconnected: {}", localKey, cause.getMessage());
        }
        finish(cause != null ? cause : new IllegalStateException("rtmp pull " + localKey + " ended before its first track"));
    }

    private void finish(Throwable cause) {
        active = false;
        started.completeExceptionally(cause);
        if (done.compareAndSet(false, true)) {
            onDone.run();
        }
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        active = false;
        try {
            loop.execute(() -> {
                if (handler != null && handler.ctx != null) {
                    handler.end();
                } else if (channel != null) {
                    channel.close();
                }
                finish(new IllegalStateException("rtmp pull " + localKey + " closed"));
            });
        } catch (RejectedExecutionException e) {
            finish(new IllegalStateException("rtmp pull " + localKey + " closed"));   // the loops are gone
        }
    }
}
