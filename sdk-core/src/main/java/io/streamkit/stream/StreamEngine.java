package io.streamkit.stream;

import io.streamkit.hook.AuthHandler;
import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.hook.ServerListener;
import io.streamkit.internal.engine.Engine;
import io.streamkit.internal.engine.EngineSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The registry of live streams: where publishers write and subscribers attach.
 *
 * <p>A {@code MediaServer} owns one and its protocols go through it; application code
 * uses the same calls to publish a custom source or attach a custom sink, with no
 * protocol in between:
 * <pre>{@code
 * try (StreamEngine engine = StreamEngine.builder().build()) {
 *     Publisher pub = engine.publish(StreamKey.of("live", "synthetic"));
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
     * Starts building an engine.
     *
     * @return a builder with the defaults
     */
    static Builder builder() {
        return new Builder();
    }

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
     * {@link StreamPolicy#playWait()}; the stage then fails with a {@link StreamException}
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
     * outlasts {@link Builder#authTimeout} denies.
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

    /**
     * Configures a {@link StreamEngine}. Setters check their argument at once.
     */
    final class Builder {
        private AuthHandler onPublish = AuthHandler.allowAll();
        private AuthHandler onPlay = AuthHandler.allowAll();
        private final List<ServerListener> listeners = new ArrayList<>();
        private Function<StreamKey, StreamPolicy> policy = key -> StreamPolicy.defaults();
        private ScheduledExecutorService executor;
        private Duration authTimeout = Duration.ofSeconds(DEFAULT_AUTH_TIMEOUT_SECONDS);
        private int maxStreams = DEFAULT_MAX_STREAMS;
        private int loopBacklog = DEFAULT_LOOP_BACKLOG;

        Builder() {
        }

        /**
         * Sets the check every publish request passes.
         *
         * @param handler the check; the default allows all
         * @return this builder
         */
        public Builder onPublish(AuthHandler handler) {
            this.onPublish = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Sets the check every play request passes.
         *
         * @param handler the check; the default allows all
         * @return this builder
         */
        public Builder onPlay(AuthHandler handler) {
            this.onPlay = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Adds a lifecycle listener; listeners are called in the order added.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(ServerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Sets one policy for every stream.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder policy(StreamPolicy policy) {
            Objects.requireNonNull(policy, "policy");
            this.policy = key -> policy;
            return this;
        }

        /**
         * Chooses a policy per stream, when the stream first appears. A function that throws
         * or returns {@code null} gives the default policy.
         *
         * @param policy from stream key to policy
         * @return this builder
         */
        public Builder policy(Function<StreamKey, StreamPolicy> policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets the executor for timers and for subscribers that name none. When unset the engine
         * creates its own threads, one per core, and stops them on close; one that is set here
         * stays the caller's to stop.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(ScheduledExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets how long an auth check may take before it counts as a denial.
         *
         * @param timeout above zero; default {@value #DEFAULT_AUTH_TIMEOUT_SECONDS} s
         * @return this builder
         */
        public Builder authTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("authTimeout " + timeout + " must be above zero");
            }
            this.authTimeout = timeout;
            return this;
        }

        /**
         * Sets how many streams (live, in grace, or awaited) the engine holds at most.
         *
         * @param max at least 1; default {@value #DEFAULT_MAX_STREAMS}
         * @return this builder
         */
        public Builder maxStreams(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxStreams " + max + " must be at least 1");
            }
            this.maxStreams = max;
            return this;
        }

        /**
         * Sets how many frames may wait for one executor before its subscribers are made to
         * skip to the next keyframe: the bound on a stalled event loop's backlog.
         *
         * @param frames at least 16; default {@value #DEFAULT_LOOP_BACKLOG}
         * @return this builder
         */
        public Builder loopBacklog(int frames) {
            if (frames < 16) {
                throw new IllegalArgumentException("loopBacklog " + frames + " must be at least 16");
            }
            this.loopBacklog = frames;
            return this;
        }

        /**
         * Creates the engine.
         *
         * @return a running engine
         */
        public StreamEngine build() {
            return Engine.create(new EngineSettings(onPublish, onPlay, List.copyOf(listeners), policy, executor,
                    authTimeout, maxStreams, loopBacklog));
        }
    }
}
