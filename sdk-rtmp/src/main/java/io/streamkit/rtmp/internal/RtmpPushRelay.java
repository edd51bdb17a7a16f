package io.streamkit.rtmp.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.engine.StreamEngine;
import io.streamkit.relay.Pusher;
import io.streamkit.relay.RelayState;
import io.streamkit.relay.RelayStatus;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.server.internal.RelayProgress;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscription;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTMP pusher: attempts, one after the other, each of which subscribes to the local stream
 * (waiting up to its play wait for it to be live), connects, publishes, and writes the stream
 * until the connection drops or the local stream ends.
 *
 * <p>The first attempt decides {@link #start()}: it completes when the remote server accepted
 * the publish, or fails with the cause, after which the pusher stops. Once started, every
 * ended attempt is followed by another after a delay that starts at the configured minimum,
 * doubles after each attempt that fails to publish, is capped at the maximum, and returns to
 * the minimum once a publish is accepted; each delay is drawn from its upper half (jitter). {@link #close()} stops for good; so does the local
 * engine shutting down. State lives on one event loop, which also runs the subscription and
 * the connections; {@code start} and {@code close} may be called from any thread.
 */
final class RtmpPushRelay implements Pusher {
    private static final Logger log = LoggerFactory.getLogger(RtmpPushRelay.class);

    private final EventLoop loop;
    private final StreamEngine engine;
    private final RtmpClientConfig config;
    private final StreamKey localKey;
    private final RtmpUrls.Target target;
    private final Runnable onDone;
    private final SslContext tls;
    private final RelayProgress progress = new RelayProgress();
    private volatile boolean active;
    private volatile boolean closed;
    private volatile long bytesOfEndedAttempts;
    private long delayMillis;
    private volatile int attempts;
    private volatile Attempt current;
    private ScheduledFuture<?> retry;

    /** One subscription and connection. */
    private final class Attempt implements RtmpPushHandler.Events {
        final int number;
        final RtmpPushSession session;
        Subscription subscription;
        Channel channel;
        RtmpPushHandler handler;
        boolean over;

        Attempt(int number) {
            this.number = number;
            this.session = new RtmpPushSession(this::localEnded);
        }

        @Override
        public void publishing(RtmpPushHandler h) {
            if (over) {
                return;
            }
            active = true;
            progress.live();
            delayMillis = config.reconnectMinDelay().toMillis();
            log.info("rtmp push {}: publishing to {}", localKey, target.display());
        }

        @Override
        public void closed(Throwable cause) {
            ended(cause != null ? cause : new IllegalStateException("connection closed"));
        }

        void localEnded(EndReason reason) {
            if (over) {
                return;
            }
            log.info("rtmp push {}: local stream ended ({})", localKey, reason);
            if (handler != null) {
                handler.unpublish();   // closed() follows and ends the attempt
            } else {
                ended(new IllegalStateException("local stream " + localKey + " ended (" + reason + ")"));
            }
            if (reason == EndReason.SHUTDOWN) {
                stop();
            }
        }

        /** Ends this attempt once; schedules the next unless the pusher is stopping. */
        void ended(Throwable cause) {
            if (over) {
                return;
            }
            over = true;
            active = false;
            bytesOfEndedAttempts += session.mediaBytes;
            session.disconnected();
            if (subscription != null) {
                subscription.close();
            }
            if (channel != null) {
                channel.close();
            }
            if (current == this) {
                current = null;
            }
            attemptEnded(cause);
        }

        /** Closes without scheduling another. */
        void abandon() {
            over = true;
            bytesOfEndedAttempts += session.mediaBytes;
            session.disconnected();
            if (subscription != null) {
                subscription.close();
            }
            if (handler != null && handler.ctx != null) {
                handler.unpublish();
            } else if (channel != null) {
                channel.close();
            }
        }
    }

    RtmpPushRelay(EventLoop loop, StreamEngine engine, RtmpClientConfig config, StreamKey localKey,
                  RtmpUrls.Target target, Runnable onDone) {
        this.loop = loop;
        this.engine = engine;
        this.config = config;
        this.localKey = localKey;
        this.target = target;
        this.onDone = onDone;
        this.delayMillis = config.reconnectMinDelay().toMillis();
        this.tls = RtmpClients.tls(config, target);
    }

    @Override
    public StreamKey localKey() {
        return localKey;
    }

    @Override
    public CompletionStage<Void> start() {
        if (progress.begin()) {
            loop.execute(this::attempt);
        }
        return progress.started();
    }

    /** How many attempts were made so far, the first included; for tests and logs. */
    int attempts() {
        return attempts;
    }

    private void attempt() {
        retry = null;
        if (closed) {
            return;
        }
        Attempt a = new Attempt(++attempts);
        current = a;
        progress.state(RelayState.CONNECTING, null);
        engine.subscribe(localKey, a.session, SubscribeOptions.defaults().executor(loop).protocol("rtmp-push"))
                .whenComplete((sub, error) -> loop.execute(() -> subscribed(a, sub, error)));
    }

    private void subscribed(Attempt a, Subscription sub, Throwable error) {
        if (error != null) {
            a.ended(error.getCause() != null ? error.getCause() : error);
            return;
        }
        a.subscription = sub;
        if (a.over || closed) {
            sub.close();
            return;
        }
        var future = RtmpClients.connect(loop, config, target, tls, decoder -> a.handler =
                new RtmpPushHandler(config, target, decoder, a.session, a));
        a.channel = future.channel();
        future.addListener(f -> {
            if (!f.isSuccess()) {
                a.ended(f.cause());
            }
        });
    }

    private void attemptEnded(Throwable cause) {
        if (closed) {
            return;
        }
        progress.error(cause);
        if (progress.failStart(cause)) {
            log.debug("rtmp push {}: could not publish to {}: {}", localKey, target.display(), cause.getMessage());   // start() carries it
            stop();
            return;
        }
        long delay = jittered(delayMillis);
        delayMillis = Math.min(delayMillis * 2, config.reconnectMaxDelay().toMillis());
        log.info("rtmp push {}: {}; attempt {} in {} ms", localKey, cause.getMessage(), attempts + 1, delay);
        progress.state(RelayState.RETRYING, Instant.now().plusMillis(delay));
        retry = loop.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * A delay spread over its upper half (the "equal jitter" of exponential backoff), so that
     * pushers cut off together, as every destination of a server that restarts, do not come
     * back in one burst.
     */
    static long jittered(long delayMillis) {
        long half = delayMillis / 2;
        return half + ThreadLocalRandom.current().nextLong(delayMillis - half + 1);
    }

    /** Stops for good, on the loop. */
    private void stop() {
        closed = true;
        active = false;
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        if (current != null) {
            Attempt a = current;
            current = null;
            a.abandon();
        }
        finished();
    }

    /** Stops for good: a pending start() fails as closed; an attempt's failure is already the last error. */
    private void finished() {
        progress.finish(new IllegalStateException("rtmp push " + localKey + " closed"), true, onDone);
    }

    @Override
    public RelayStatus status() {
        Attempt a = current;
        long bytes = bytesOfEndedAttempts + (a != null && !a.over ? a.session.mediaBytes : 0);
        return progress.status(bytes, attempts);
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
            loop.execute(this::stop);
        } catch (RejectedExecutionException e) {
            finished();   // the loops are gone, and with them the connection
        }
    }
}
