package io.streamkit.format.amf0;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a round trip through the writer keeps of decoded AMF values, for the fuzz targets. */
final class AmfValues {
    private AmfValues() {
    }

    /**
     * Tells whether two decoded values are the same after a write and a read: numbers by value
     * (an AMF3 integer comes back a double; NaN equals NaN), dates within a millisecond (the
     * writer's double of milliseconds rounds the nanoseconds), maps in order, arrays
     * element by element.
     */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return Duration.between(x, y).abs().compareTo(Duration.ofMillis(1)) <= 0;
        }
        if (a instanceof Amf0TypedObject x && b instanceof Amf0TypedObject y) {
            return x.className().equals(y.className()) && same(x.properties(), y.properties());
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size() || (x instanceof Amf0EcmaArray) != (y instanceof Amf0EcmaArray)) {
                return false;
            }
            Iterator<? extends Map.Entry<?, ?>> i = x.entrySet().iterator();
            Iterator<? extends Map.Entry<?, ?>> j = y.entrySet().iterator();
            while (i.hasNext()) {
                Map.Entry<?, ?> e = i.next();
                Map.Entry<?, ?> f = j.next();
                if (!e.getKey().equals(f.getKey()) || !same(e.getValue(), f.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int k = 0; k < x.size(); k++) {
                if (!same(x.get(k), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    /**
     * Tells whether the writer can write a decoded value: not when it holds an AMF3 ByteArray
     * (no AMF0 form), nor when references nest it deeper than the writer allows (the reader
     * counts a reference as no level, the writer writes the value it names in full).
     */
    static boolean writable(Object value, int depth) {
        if (value instanceof byte[]) {
            return false;
        }
        if (value instanceof Amf0TypedObject t) {
            value = t.properties();
        }
        if (value instanceof Map<?, ?> map) {
            if (depth >= Amf0Reader.MAX_DEPTH) {
                return false;
            }
            for (Object v : map.values()) {
                if (!writable(v, depth + 1)) {
                    return false;
                }
            }
        } else if (value instanceof List<?> list) {
            if (depth >= Amf0Reader.MAX_DEPTH) {
                return false;
            }
            for (Object v : list) {
                if (!writable(v, depth + 1)) {
                    return false;
                }
            }
        }
        return true;
    }
}
