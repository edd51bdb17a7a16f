package io.streamkit.test.cycle.a;

import io.streamkit.test.cycle.b.Pong;

/** One half of a deliberate package cycle that {@code PackageCyclesTest} must find. */
public final class Ping {
    private Ping() {
    }

    /**
     * Names the other half, so this package depends on it.
     *
     * @return the other half's name
     */
    public static String other() {
        return Pong.class.getName();
    }
}
