package io.streamkit.rtsp.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.OneConnectionRelay;
import io.streamkit.stream.StreamKey;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

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
 * connection on one of the server's event loops, RTP interleaved in it or over UDP: DESCRIBE,
 * SETUP of each track this server takes, PLAY ({@link RtspPullHandler}); or ANNOUNCE, SETUP,
 * RECORD ({@link RtspPushHandler}).
 *
 * <p><b>Lifecycle.</b> {@link OneConnectionRelay}'s, {@code LIVE} at PLAY's or RECORD's answer:
 * when the connection drops, a pull's local publisher ends (its players wait out the stream's
 * reconnect grace), a push's subscription ends, and the relay is done; retrying (a camera that
 * reboots, a server that restarts) is the relay above it's job ({@code RelayConfig}'s pulls and
 * pushes).
 *
 * <p><b>Threading.</b> Every method is safe from any thread and none blocks.
 */
final class RtspRelay extends OneConnectionRelay<RtspClientHandler> implements Puller, Pusher {
    /** Time to connect. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final RtspUrl url;
    private final String kind;
    private final Function<RtspClientHandler.Events, RtspClientHandler> handlers;
    private final Consumer<? super RtspRelay> onDone;

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
        super(loop, resolver, localKey, "rtsp " + kind);
        this.url = Objects.requireNonNull(url, "url");
        this.kind = kind;
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        this.onDone = Objects.requireNonNull(onDone, "onDone");
    }

    /**
     * Looks the host up, connects and plays or records; calling it again returns the same outcome.
     *
     * @return completes when PLAY is answered and the local stream published, or RECORD answered; fails with the
     *     cause: an {@link java.net.UnknownHostException}, a {@link java.net.ConnectException}, an
     *     {@link io.streamkit.rtsp.RtspProtocolException} naming a status other than 200 or the
     *     timeout that passed, a {@link io.streamkit.codec.MediaFormatException} for an SDP
     *     without a track this server takes, a {@link io.streamkit.stream.StreamException} when
     *     the local stream could not be published, or an {@link IllegalStateException} when the
     *     relay was closed first
     */
    @Override
    public CompletionStage<Void> start() {
        return super.start();
    }

    @Override
    protected String host() {
        return url.host();
    }

    @Override
    protected int port() {
        return url.port();
    }

    @Override
    protected String display() {
        return url.display();
    }

    @Override
    protected int connectTimeoutMillis() {
        return CONNECT_TIMEOUT_SECONDS * 1000;
    }

    @Override
    protected String liveAction() {
        return kind.equals("pull") ? "playing" : "recording to";
    }

    @Override
    protected RtspClientHandler pipeline(SocketChannel ch) {
        RtspClientHandler h = handlers.apply(new RtspClientHandler.Events() {
            @Override
            public void live() {
                RtspRelay.this.live();
            }

            @Override
            public void closed(Throwable cause) {
                disconnected(cause);
            }
        });
        ch.pipeline()
                .addLast("idle", new IdleTimeoutHandler(RtspClientHandler.IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .addLast(RtspServerInitializer.DEMUX, new RtspDemuxer(RtspClientHandler.MAX_HEAD,
                        RtspClientHandler.MAX_BODY, TimeUnit.SECONDS.toNanos(RtspClientHandler.START_TIMEOUT_SECONDS)))
                .addLast("rtsp-encoder", new RtspEncoder())
                .addLast("rtsp-decoder", new RtspDecoder(RtspClientHandler.MAX_HEAD, RtspClientHandler.MAX_HEAD,
                        RtspClientHandler.MAX_BODY))
                .addLast("rtsp-aggregator", new HttpObjectAggregator(RtspClientHandler.MAX_BODY))
                .addLast("rtsp-" + kind, h);
        return h;
    }

    /** The RTP and RTCP bytes received or sent. */
    @Override
    protected long mediaBytes(RtspClientHandler handler) {
        return handler.mediaBytes();
    }

    /** Tears the session down (a pull's local publisher closes with it) before the connection closes. */
    @Override
    protected void stop(RtspClientHandler handler) {
        handler.stop();
    }

    @Override
    protected void ended() {
        onDone.accept(this);
    }

    @Override
    public String toString() {
        return "rtsp " + kind + " " + url.display() + (kind.equals("pull") ? " as " : " of ") + localKey();
    }
}
