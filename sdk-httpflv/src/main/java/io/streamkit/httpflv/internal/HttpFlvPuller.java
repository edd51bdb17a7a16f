package io.streamkit.httpflv.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.streamkit.engine.StreamEngine;
import io.streamkit.httpflv.HttpFlvClientConfig;
import io.streamkit.relay.Puller;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.OneConnectionRelay;
import io.streamkit.stream.StreamKey;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
 * <p><b>Lifecycle.</b> {@link OneConnectionRelay}'s, {@code LIVE} at the first track: when the
 * body ends or the connection drops, the local publisher closes (its subscribers wait out the
 * stream's reconnect grace) and the puller is done; retrying is the relay above it's job.
 *
 * <p><b>Threading.</b> Every method is safe from any thread and none blocks; the connection's
 * state lives on its event loop.
 */
public final class HttpFlvPuller extends OneConnectionRelay<HttpFlvPullHandler> implements Puller {
    private final StreamEngine engine;
    private final HttpFlvClientConfig settings;
    private final SslContext tls;
    private final HttpFlvTarget target;
    private final Consumer<? super HttpFlvPuller> onDone;

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
        super(loop, resolver, localKey, "http-flv pull");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.target = Objects.requireNonNull(target, "target");
        this.onDone = Objects.requireNonNull(onDone, "onDone");
        if (target.tls() && tls == null) {
            throw new IllegalArgumentException(target.display() + " needs a TLS context");
        }
        this.tls = target.tls() ? tls : null;
    }

    /**
     * Looks the host up, connects and asks for the stream; calling it again returns the same outcome.
     *
     * @return completes when the first track is published locally; fails with the cause: an
     *     {@link java.net.UnknownHostException}, a {@link java.net.ConnectException} or Netty's
     *     {@code ConnectTimeoutException}, an {@code SSLException}, an
     *     {@link HttpFlvProtocolException} naming a status other than 200 or the timeout that
     *     passed, a {@link io.streamkit.codec.MediaFormatException} for a body that is not FLV or
     *     a tag over the limit, a {@link io.streamkit.stream.StreamException} when the local
     *     stream could not be published, or an {@link IllegalStateException} when the puller
     *     was closed or the body ended first
     */
    @Override
    public CompletionStage<Void> start() {
        return super.start();
    }

    @Override
    protected String host() {
        return target.host();
    }

    @Override
    protected int port() {
        return target.port();
    }

    @Override
    protected String display() {
        return target.display();
    }

    @Override
    protected int connectTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
    }

    @Override
    protected HttpFlvPullHandler pipeline(SocketChannel ch) {
        if (tls != null) {
            SslHandler ssl = tls.newHandler(ch.alloc(), target.host(), target.port());
            ssl.setHandshakeTimeoutMillis(settings.startTimeout().toMillis());
            ch.pipeline().addLast("tls", ssl);
        }
        HttpFlvPullHandler h = new HttpFlvPullHandler(settings, target, options -> engine.publish(localKey(), options),
                new HttpFlvPullHandler.Events() {
                    @Override
                    public void firstTrack() {
                        live();
                    }

                    @Override
                    public void closed(Throwable cause) {
                        disconnected(cause);
                    }
                });
        ch.pipeline()
                .addLast("idle", new IdleTimeoutHandler(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("http", HttpFlvPullHandler.codec(settings))
                .addLast("http-flv-pull", h);
        return h;
    }

    /** The FLV tag bytes received. */
    @Override
    protected long mediaBytes(HttpFlvPullHandler handler) {
        return handler.mediaBytes();
    }

    @Override
    protected void stop(HttpFlvPullHandler handler) {
        handler.stop();
    }

    @Override
    protected void ended() {
        onDone.accept(this);
    }

    @Override
    public String toString() {
        return "http-flv pull " + target.display() + " as " + localKey();
    }
}
