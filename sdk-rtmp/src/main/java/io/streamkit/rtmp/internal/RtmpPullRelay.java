package io.streamkit.rtmp.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.streamkit.engine.StreamEngine;
import io.streamkit.relay.Puller;
import io.streamkit.relay.RelayStatus;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.server.internal.RelayProgress;
import io.streamkit.stream.StreamKey;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
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
    private final RelayProgress progress = new RelayProgress();
    private volatile boolean active;
    private volatile boolean closed;
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
        if (progress.begin()) {
            loop.execute(this::connect);
        }
        return progress.started();
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
        progress.live();
        log.info("rtmp pull {}: playing {}", localKey, target.display());
    }

    private void disconnected(Throwable cause) {
        active = false;
        if (cause != null && progress.wentLive()) {
            log.info("rtmp pull {}: disconnected: {}", localKey, cause.getMessage());
        }
        finish(cause != null ? cause : new IllegalStateException("rtmp pull " + localKey
                + (progress.wentLive() ? ": the remote stream ended" : " ended before its first track")));
    }

    private void finish(Throwable cause) {
        active = false;
        progress.finish(cause, closed, onDone);
    }

    @Override
    public RelayStatus status() {
        RtmpPullHandler h = handler;
        return progress.status(h == null ? 0 : h.mediaBytes, progress.begun() ? 1 : 0);
    }

    @Override
    public CompletionStage<Void> done() {
        return progress.done();
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
