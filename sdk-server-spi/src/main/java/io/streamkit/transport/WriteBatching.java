package io.streamkit.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The write batch window that players' protocols share: how long a player's frames may wait
 * to go out in one write with the frames after them. Batching trades that much latency for
 * far fewer system calls per megabit (what SRS calls merged read/write); the first frames
 * of a player go at once either way.
 */
public final class WriteBatching {
    /**
     * Default window in milliseconds: about the media SRS merges into one write. A player's
     * frames then reach it at most this late; its first frames are written at once.
     */
    public static final int DEFAULT_WINDOW_MILLIS = 350;

    /** Longest window: past a second a player's buffer would be all that kept it going. */
    public static final int MAX_WINDOW_MILLIS = 1000;

    private WriteBatching() {
    }

    /**
     * Checks a window, for the protocols' configurations.
     *
     * @param window 0 (every frame written as it comes) to {@value #MAX_WINDOW_MILLIS} ms
     * @return the window
     * @throws IllegalArgumentException when it is negative or longer
     */
    public static Duration check(Duration window) {
        Objects.requireNonNull(window, "writeBatch");
        if (window.isNegative() || window.toMillis() > MAX_WINDOW_MILLIS) {
            throw new IllegalArgumentException("writeBatch " + window.toMillis() + " ms outside 0-"
                    + MAX_WINDOW_MILLIS + " ms");
        }
        return window;
    }
}
