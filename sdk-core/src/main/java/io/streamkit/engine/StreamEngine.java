package io.streamkit.engine;

import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.EngineStats;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamException;
import io.streamkit.stream.StreamInfo;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The registry of live streams: where publishers write and subscribers attach.
 *
 * <p>A {@code MediaServer} owns one ({@code server.streams()}) and its protocols go through
 * it; application code uses the same calls to publish a custom source or attach a custom
 * sink, with no protocol in between:
 * <pre>{@code
 * try (MediaServer server = MediaServer.builder().start()) {
 *     Publisher pub = server.streams().publish(StreamKey.of("live", "synthetic"));
 *     Track video = pub.addTrack(TrackFormat.of(Codec.H264, avcConfig));
 *     pub.write(video, 0, 0, true, payload);
 * }
 * }</pre>
 *
 * <p>All methods are safe from any thread and never block.
 */
public interface StreamEngine extends AutoCloseable {

    /** Tracks per stream: far above what a publisher sends (a video, a few audio languages), low enough to bound state. */
    int MAX_TRACKS = 16;

    /** Default auth timeout: a web service that has not answered in 10 s is down; the client should not hang on it. */
    int DEFAULT_AUTH_TIMEOUT_SECONDS = 10;

    /** Default stream limit: far above one machine's ingest, a bound against a flood of names. */
    int DEFAULT_MAX_STREAMS = 10_000;

    /** Default frames queued for one executor: about 30 s of a 30 fps stream with audio, far past any healthy loop's lag. */
    int DEFAULT_LOOP_BACKLOG = 2_048;

    /**
     * Starts publishing a stream as application code.
     *
     * @param key the stream
     * @return the publisher, which now owns the stream
     * @throws StreamException when the stream has a publisher and the policy rejects a second one
     */
    default Publisher publish(StreamKey key) {
        return publish(key, PublishOptions.defaults());
    }

    /**
     * Starts publishing a stream. Authorisation is not checked here: a protocol calls
     * {@link #authorize} first.
     *
     * @param key the stream
     * @param options who publishes and how its timestamps behave
     * @return the publisher, which now owns the stream
     * @throws StreamException when a publisher owns the stream and the policy rejects a
     *     second one, when the engine holds its maximum of streams, or when it is closed
     */
    Publisher publish(StreamKey key, PublishOptions options);

    /**
     * Attaches a subscriber on an engine executor as application code.
     *
     * @param key the stream
     * @param subscriber the sink
     * @return completes when attached; see {@link #subscribe(StreamKey, Subscriber, SubscribeOptions)}
     */
    default CompletionStage<Subscription> subscribe(StreamKey key, Subscriber subscriber) {
        return subscribe(key, subscriber, SubscribeOptions.defaults());
    }

    /**
     * Attaches a subscriber to a stream.
     *
     * <p>When the stream is live (or waiting out a reconnect grace), the subscriber attaches
     * at once: it gets every track, then the frames since the last keyframe (the GOP cache),
     * then live frames. When it is not, the subscriber waits up to the stream's
     * {@link io.streamkit.stream.StreamPolicy#playWait()}; the stage then fails with a {@link StreamException}
     * of reason {@link StreamException.Reason#NOT_FOUND}, and the subscriber is not called.
     *
     * @param key the stream
     * @param subscriber the sink
     * @param options its executor and identity
     * @return completes with the subscription once attached
     */
    CompletionStage<Subscription> subscribe(StreamKey key, Subscriber subscriber, SubscribeOptions options);

    /**
     * Runs the application's publish or play check, guarded: a check that throws, fails or
     * outlasts the server's auth timeout denies.
     *
     * @param request the request
     * @return the decision; never completes exceptionally
     */
    CompletionStage<AuthResult> authorize(AuthRequest request);

    /**
     * Lists the streams that are live, waiting for a publisher to return, or awaited by players.
     *
     * @return snapshots, in no particular order
     */
    List<StreamInfo> streams();

    /**
     * Looks one stream up.
     *
     * @param key the stream
     * @return its snapshot, or empty if the engine does not know it
     */
    Optional<StreamInfo> stream(StreamKey key);

    /**
     * Returns the engine's totals: streams and subscribers now, bytes and skipped frames since
     * start, and refused requests. Cheap enough to call on every metrics scrape: it walks the
     * live streams and subscriptions and reads their counters without locking their writers.
     *
     * @return the snapshot
     */
    EngineStats stats();

    /**
     * Ends a stream's publisher at once, with no grace; subscribers end with {@link EndReason#KICKED}.
     *
     * @param key the stream
     * @return whether there was a stream to end
     */
    boolean kick(StreamKey key);

    /**
     * Shuts down: publishers and subscribers end with {@link EndReason#SHUTDOWN}, every cached
     * frame is released, and executors the engine created are stopped. Idempotent.
     */
    @Override
    void close();
}
