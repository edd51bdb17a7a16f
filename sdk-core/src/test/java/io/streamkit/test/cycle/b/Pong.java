package io.streamkit.test.cycle.b;

import io.streamkit.test.cycle.a.Ping;
import java.util.List;

/** The other half of the deliberate package cycle: it depends on {@link Ping} through a signature only. */
public final class Pong {
    private Pong() {
    }

    /**
     * Takes the first half's type in a generic signature, which the check must see too.
     *
     * @param pings ignored
     * @return their count
     */
    public static int count(List<Ping> pings) {
        return pings.size();
    }
}
