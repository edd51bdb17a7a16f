package io.streamkit.rtmp.internal;

import io.streamkit.relay.Puller;
import io.streamkit.relay.RelayStatus;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.rtmp.RtmpProtocolException;
import io.streamkit.stream.StreamKey;
import java.util.concurrent.CompletionStage;

/**
 * Plays a stream from a remote RTMP server and publishes it as a local stream of a
 * {@code MediaServer}: an edge pulling from an origin, or ingest from a server that only
 * offers RTMP play.
 *
 * <pre>{@code
 * Puller puller = server.pull("rtmp://origin/live/cam1", StreamKey.of("live", "cam1"));
 * puller.start().toCompletableFuture().get(15, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p><b>Protocol.</b> Simple handshake, {@code connect} (app, tcUrl, flashVer, type
 * {@code nonprivate}), {@code createStream}, {@code play}; acknowledgements, Window
 * Acknowledgement Size and ping responses as the server expects. Audio, video and data
 * messages become tracks, frames and metadata of the local publisher (protocol
 * {@code "rtmp-pull"}) without copying payloads.
 *
 * <p><b>Lifecycle.</b> One connection, no reconnect: when the remote stream ends or the
 * connection drops, the local publisher closes (its subscribers wait out the stream's
 * reconnect grace) and the puller is done; a new puller pulls again. Limits and timeouts come
 * from {@link RtmpClientConfig}, set with {@code MediaServer.Builder.rtmpClient}. A server that
 * breaks the protocol, sends a message over the size limit, or answers with an {@code _error}
 * or an error status fails {@link #start()} (or ends the pull) with an
 * {@link RtmpProtocolException} carrying the server's description.
 *
 * <p><b>Threading.</b> Every method is safe from any thread and none blocks; the connection
 * runs on one of the server's event loops. The server closes its pullers when it stops.
 */
public final class RtmpPuller implements Puller {
    private final Puller delegate;
    private final RtmpClientHost host;

    private RtmpPuller(RtmpClientHost host, String rtmpUrl, StreamKey localKey) {
        this.host = host;
        this.delegate = RtmpClients.puller(host.loops(), host.streams(), host.rtmpClientConfig(), rtmpUrl, localKey,
                () -> host.unregister(this));
    }

    /**
     * Creates a puller on a server's event loops, with its engine and client settings;
     * {@code MediaServer.pull} calls it. Nothing is sent until {@link #start()}.
     *
     * @param host the server
     * @param rtmpUrl {@code rtmp[s]://host[:port]/app/name[?query]}; app and name split at the last slash
     * @param localKey the local stream to publish as
     * @return the puller, registered with the server so that it closes with it
     * @throws IllegalArgumentException when the URL is not a usable {@code rtmp://} or {@code rtmps://} URL
     * @throws IllegalStateException when the server is stopped
     */
    public static RtmpPuller create(RtmpClientHost host, String rtmpUrl, StreamKey localKey) {
        RtmpPuller puller = new RtmpPuller(host, rtmpUrl, localKey);
        host.register(puller);
        return puller;
    }

    /**
     * Returns the local stream the remote one is published as.
     *
     * @return the local key
     */
    @Override
    public StreamKey localKey() {
        return delegate.localKey();
    }

    /**
     * Connects and starts playing; calling it again returns the same outcome.
     *
     * @return completes when the first track is published locally; fails with the cause (a
     *     {@link java.net.ConnectException}, an {@link RtmpProtocolException} naming the server's
     *     refusal or the timeout passed, or a {@link io.streamkit.stream.StreamException} when the
     *     local stream could not be published)
     */
    @Override
    public CompletionStage<Void> start() {
        return delegate.start();
    }

    /**
     * Returns whether the puller is connected and publishing.
     *
     * @return {@code true} from the first track until the connection ends
     */
    @Override
    public boolean isActive() {
        return delegate.isActive();
    }

    /** Disconnects and closes the local publisher. Idempotent; returns without waiting. */
    /**
     * Returns the puller's state, bytes moved, attempts and last error.
     *
     * @return a snapshot
     */
    @Override
    public RelayStatus status() {
        return delegate.status();
    }

    /**
     * Returns a stage that completes when the puller has stopped for good.
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
