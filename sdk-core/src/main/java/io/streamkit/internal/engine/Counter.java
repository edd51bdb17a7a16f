package io.streamkit.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A 64-bit counter with one writer and any number of readers.
 *
 * <p>Increments are opaque stores: no fence on the hot path (a volatile store costs a full
 * fence per subscriber per frame on x86), yet a reader on another thread sees each value
 * whole and eventually the latest one, which is all statistics need.
 */
final class Counter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")   // accessed through VALUE
    private long value;

    /** Adds {@code n}; the single writer only. */
    void add(long n) {
        VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + n);
    }

    /** Adds one; the single writer only. */
    void increment() {
        add(1);
    }

    /** Sets the value; the single writer only. */
    void set(long n) {
        VALUE.setOpaque(this, n);
    }

    /** Reads the value from any thread. */
    long get() {
        return (long) VALUE.getOpaque(this);
    }
}
