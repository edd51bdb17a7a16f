package io.streamkit.internal.engine;

import io.streamkit.hook.AuthHandler;
import io.streamkit.hook.ServerListener;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What {@link EngineBuilder} collected, checked.
 *
 * @param onPublish publish check
 * @param onPlay play check
 * @param listeners lifecycle listeners
 * @param policy per-stream policy
 * @param executor timers and default subscriber executors, or {@code null} for the engine's own
 * @param authTimeout how long a check may take
 * @param maxStreams stream limit
 * @param loopBacklog frames queued per executor before its subscribers skip
 * @param ticker the engine's clock in nanoseconds ({@link System#nanoTime} outside tests): frame
 *     arrival for timestamp repair and the bitrate windows; read once per written frame
 */
public record EngineSettings(AuthHandler onPublish, AuthHandler onPlay, List<ServerListener> listeners,
                             Function<StreamKey, StreamPolicy> policy, ScheduledExecutorService executor,
                             Duration authTimeout, int maxStreams, int loopBacklog, LongSupplier ticker) {

    /**
     * Checks that a ticker is given.
     *
     * @param onPublish publish check
     * @param onPlay play check
     * @param listeners lifecycle listeners
     * @param policy per-stream policy
     * @param executor timers and default subscriber executors, or {@code null}
     * @param authTimeout how long a check may take
     * @param maxStreams stream limit
     * @param loopBacklog frames queued per executor before its subscribers skip
     * @param ticker the engine's clock in nanoseconds
     */
    public EngineSettings {
        java.util.Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Settings on the system's clock.
     *
     * @param onPublish publish check
     * @param onPlay play check
     * @param listeners lifecycle listeners
     * @param policy per-stream policy
     * @param executor timers and default subscriber executors, or {@code null}
     * @param authTimeout how long a check may take
     * @param maxStreams stream limit
     * @param loopBacklog frames queued per executor before its subscribers skip
     */
    public EngineSettings(AuthHandler onPublish, AuthHandler onPlay, List<ServerListener> listeners,
                          Function<StreamKey, StreamPolicy> policy, ScheduledExecutorService executor,
                          Duration authTimeout, int maxStreams, int loopBacklog) {
        this(onPublish, onPlay, listeners, policy, executor, authTimeout, maxStreams, loopBacklog, System::nanoTime);
    }
}
