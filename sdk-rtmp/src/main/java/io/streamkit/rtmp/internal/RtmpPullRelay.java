package io.streamkit.rtmp.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.streamkit.engine.StreamEngine;
import io.streamkit.relay.Puller;
import io.streamkit.relay.RelayState;
import io.streamkit.relay.RelayStatus;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.stream.StreamKey;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTMP or RTMPS puller: one connection that plays a remote stream into a local publisher. It does
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
    private final SslContext tls;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicBoolean startCalled = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean active;
    private volatile boolean closed;
    private volatile RelayState state = RelayState.IDLE;
    private volatile Instant since = Instant.now();
    private volatile String lastError;
    private Channel channel;
    private volatile RtmpPullHandler handler;

    RtmpPullRelay(EventLoop loop, StreamEngine engine, RtmpClientConfig config, RtmpUrls.Target target,
                  StreamKey localKey, Runnable onDone) {
        this.loop = loop;
        this.engine = engine;
        this.config = config;
        this.target = target;
        this.localKey = localKey;
        this.onDone = onDone;
        this.tls = RtmpClients.tls(config, target);
    }

    @Override
    public StreamKey localKey() {
        return localKey;
    }

    @Override
    public CompletionStage<Void> start() {
        if (startCalled.compareAndSet(false, true)) {
            state(RelayState.CONNECTING);
            loop.execute(this::connect);
        }
        return started.copy();
    }

    private void connect() {
        if (closed) {
            return;
        }
        var events = RtmpPullHandler.events(this::firstTrack, this::disconnected);
        var future = RtmpClients.connect(loop, config, target, tls, decoder -> handler =
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
        state(RelayState.LIVE);
        log.info("rtmp pull {}: playing {}", localKey, target.display());
        started.complete(null);
    }

    private void disconnected(Throwable cause) {
        active = false;
        if (cause != null && started.isDone()) {
            log.info("rtmp pull {}: disconnected: {}", localKey, cause.getMessage());
        }
        finish(cause != null ? cause : new IllegalStateException("rtmp pull " + localKey
                + (started.isDone() ? ": the remote stream ended" : " ended before its first track")));
    }

    private void finish(Throwable cause) {
        active = false;
        started.completeExceptionally(cause);
        if (done.compareAndSet(false, true)) {
            if (!closed && cause != null) {
                lastError = String.valueOf(cause.getMessage());
            }
            state(RelayState.STOPPED);
            onDone.run();
            ended.complete(null);
        }
    }

    private void state(RelayState next) {
        state = next;
        since = Instant.now();
    }

    @Override
    public RelayStatus status() {
        RtmpPullHandler h = handler;
        return RelayStatus.of(state, since, null, h == null ? 0 : h.mediaBytes, startCalled.get() ? 1 : 0, lastError);
    }

    @Override
    public CompletionStage<Void> done() {
        return ended.copy();
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
