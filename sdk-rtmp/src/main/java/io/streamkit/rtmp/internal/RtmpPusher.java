package io.streamkit.rtmp.internal;

import io.streamkit.relay.Pusher;
import io.streamkit.relay.RelayStatus;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.rtmp.RtmpProtocolException;
import io.streamkit.stream.StreamKey;
import java.util.concurrent.CompletionStage;

/**
 * Publishes a local stream of a {@code MediaServer} to a remote RTMP server: forwarding to
 * another origin, restreaming to a CDN or a platform's ingest.
 *
 * <pre>{@code
 * Pusher pusher = server.push(StreamKey.of("live", "cam1"), "rtmp://cdn.example/live/cam1?key=...");
 * pusher.start().toCompletableFuture().get(15, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p><b>Protocol.</b> Simple handshake, Set Chunk Size ({@link RtmpClientConfig#chunkSize()}),
 * {@code connect}, {@code releaseStream}, {@code FCPublish}, {@code createStream},
 * {@code publish} as {@code live}; then the tracks' sequence headers,
 * {@code @setDataFrame onMetaData}, and the frames, written exactly as the server writes them
 * to its own players (encoded once per event loop and shared).
 *
 * <p><b>Lifecycle.</b> The pusher subscribes to the local stream first (protocol
 * {@code "rtmp-push"}), so it connects only while that stream is live, and starts the remote
 * stream with the local GOP cache. {@link #start()} reports the first attempt. After that, when
 * the connection drops or the local stream ends, it tries again after a delay that doubles
 * from {@link RtmpClientConfig#reconnectMinDelay()} to {@link RtmpClientConfig#reconnectMaxDelay()}
 * and resets once a publish is accepted; each attempt waits up to the stream's play wait for
 * the local stream to be live. {@link #close()} or the server stopping ends it for good.
 * A slow remote server makes the pusher skip to the next keyframe, as a slow player does.
 *
 * <p><b>Threading.</b> Every method is safe from any thread and none blocks; the subscription
 * and the connections run on one of the server's event loops.
 */
public final class RtmpPusher implements Pusher {
    private final Pusher delegate;
    private final RtmpClientHost host;

    private RtmpPusher(RtmpClientHost host, StreamKey localKey, String rtmpUrl) {
        this.host = host;
        this.delegate = RtmpClients.pusher(host.loops(), host.streams(), host.rtmpClientConfig(), localKey, rtmpUrl,
                () -> host.unregister(this));
    }

    /**
     * Creates a pusher on a server's event loops, with its engine and client settings;
     * {@code MediaServer.push} calls it. Nothing happens until {@link #start()}.
     *
     * @param host the server
     * @param localKey the local stream to send
     * @param rtmpUrl {@code rtmp[s]://host[:port]/app/name[?query]}
     * @return the pusher, registered with the server so that it closes with it
     * @throws IllegalArgumentException when the URL is not a usable {@code rtmp://} or {@code rtmps://} URL
     * @throws IllegalStateException when the server is stopped
     */
    public static RtmpPusher create(RtmpClientHost host, StreamKey localKey, String rtmpUrl) {
        RtmpPusher pusher = new RtmpPusher(host, localKey, rtmpUrl);
        pusher.host.register(pusher);
        return pusher;
    }

    /**
     * Returns the local stream being sent.
     *
     * @return the local key
     */
    @Override
    public StreamKey localKey() {
        return delegate.localKey();
    }

    /**
     * Subscribes to the local stream, connects and publishes; calling it again returns the
     * same outcome.
     *
     * @return completes when the remote server accepted the publish; fails with the first
     *     attempt's cause (a {@link io.streamkit.stream.StreamException} when the local stream is
     *     not live within its play wait, a {@link java.net.ConnectException}, or an
     *     {@link RtmpProtocolException} with the server's description), after which the pusher stops
     */
    @Override
    public CompletionStage<Void> start() {
        return delegate.start();
    }

    /**
     * Returns whether the pusher is connected and sending.
     *
     * @return {@code true} while a publish accepted by the remote server lasts
     */
    @Override
    public boolean isActive() {
        return delegate.isActive();
    }

    /** Stops sending and disconnects for good, after {@code FCUnpublish} and {@code deleteStream}. Idempotent. */
    /**
     * Returns the pusher's state, bytes moved, attempts and last error.
     *
     * @return a snapshot
     */
    @Override
    public RelayStatus status() {
        return delegate.status();
    }

    /**
     * Returns a stage that completes when the pusher has stopped for good.
     *
     * @return the stage; it never fails
     */
    @Override
    public CompletionStage<Void> done() {
        return delegate.done();
    }

    @Override
    public void close() {
        delegate.close();
        host.unregister(this);
    }
}
