package io.streamkit.server.internal;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** State kept per event loop: made on the loop's first use, released when its thread ends. */
final class LoopLocal {
    private LoopLocal() {
    }

    /**
     * @param initial makes the loop's value
     * @param release frees what the value holds (pooled buffers) when the thread's locals are removed
     * @param <T> the value's type
     * @return the per-loop value; {@code get()} on the loop itself
     */
    static <T> FastThreadLocal<T> of(Supplier<T> initial, Consumer<T> release) {
        return new FastThreadLocal<>() {
            @Override
            protected T initialValue() {
                return initial.get();
            }

            @Override
            protected void onRemoval(T value) {
                release.accept(value);
            }
        };
    }
}
