package io.streamkit.internal.engine;

import io.streamkit.engine.StreamEngine;
import io.streamkit.hook.AuthHandler;
import io.streamkit.hook.ServerListener;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Configures an {@link Engine}: the application's auth checks and listeners, stream policies,
 * the executor and the engine's limits. Setters check their argument at once.
 *
 * <p>{@code MediaServer.Builder} holds one and exposes its options; tests and benchmarks build
 * an engine of their own with {@link Engine#builder()}. It lives beside the engine rather than
 * in {@link StreamEngine}, so that the API package does not depend on its implementation.
 */
public final class EngineBuilder {
    private AuthHandler onPublish = AuthHandler.allowAll();
    private AuthHandler onPlay = AuthHandler.allowAll();
    private final List<ServerListener> listeners = new ArrayList<>();
    private Function<StreamKey, StreamPolicy> policy = key -> StreamPolicy.defaults();
    private ScheduledExecutorService executor;
    private Duration authTimeout = Duration.ofSeconds(StreamEngine.DEFAULT_AUTH_TIMEOUT_SECONDS);
    private int maxStreams = StreamEngine.DEFAULT_MAX_STREAMS;
    private int loopBacklog = StreamEngine.DEFAULT_LOOP_BACKLOG;

    EngineBuilder() {
    }

    /**
     * Returns a builder with the same settings, so that a server can add its own listener and
     * executor without changing the application's builder.
     *
     * @return the copy
     */
    public EngineBuilder copy() {
        EngineBuilder b = new EngineBuilder();
        b.onPublish = onPublish;
        b.onPlay = onPlay;
        b.listeners.addAll(listeners);
        b.policy = policy;
        b.executor = executor;
        b.authTimeout = authTimeout;
        b.maxStreams = maxStreams;
        b.loopBacklog = loopBacklog;
        return b;
    }

    /**
     * Sets the check every publish request passes.
     *
     * @param handler the check; the default allows all
     * @return this builder
     */
    public EngineBuilder onPublish(AuthHandler handler) {
        this.onPublish = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Sets the check every play request passes.
     *
     * @param handler the check; the default allows all
     * @return this builder
     */
    public EngineBuilder onPlay(AuthHandler handler) {
        this.onPlay = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Adds a lifecycle listener; listeners are called in the order added.
     *
     * @param listener the listener
     * @return this builder
     */
    public EngineBuilder listener(ServerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Sets one policy for every stream.
     *
     * @param policy the policy
     * @return this builder
     */
    public EngineBuilder policy(StreamPolicy policy) {
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
    public EngineBuilder policy(Function<StreamKey, StreamPolicy> policy) {
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
    public EngineBuilder executor(ScheduledExecutorService executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Sets how long an auth check may take before it counts as a denial.
     *
     * @param timeout above zero; default {@value StreamEngine#DEFAULT_AUTH_TIMEOUT_SECONDS} s
     * @return this builder
     */
    public EngineBuilder authTimeout(Duration timeout) {
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
     * @param max at least 1; default {@value StreamEngine#DEFAULT_MAX_STREAMS}
     * @return this builder
     */
    public EngineBuilder maxStreams(int max) {
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
     * @param frames at least 16; default {@value StreamEngine#DEFAULT_LOOP_BACKLOG}
     * @return this builder
     */
    public EngineBuilder loopBacklog(int frames) {
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
    public Engine build() {
        return Engine.create(new EngineSettings(onPublish, onPlay, List.copyOf(listeners), policy, executor,
                authTimeout, maxStreams, loopBacklog));
    }
}
