package io.streamkit.format.amf0;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The state of reading one message: the buffer, the nesting depth and the budget of
 * references, shared by the AMF0 reader and the AMF3 values nested in it.
 */
final class ReadContext {
    final ByteBuf in;
    private int depth;
    private int references;
    private long referencedBytes;

    ReadContext(ByteBuf in) {
        this.in = in;
    }

    /** Enters a complex value, failing past {@link Amf0Reader#MAX_DEPTH}. */
    void enter(String format) {
        if (++depth > Amf0Reader.MAX_DEPTH) {
            throw new MediaFormatException(format + " nesting depth " + depth + " exceeds " + Amf0Reader.MAX_DEPTH);
        }
    }

    void exit() {
        depth--;
    }

    /** Bytes references have stood for so far; a complex value's weight is measured against it. */
    long referencedBytes() {
        return referencedBytes;
    }

    /** The bytes a complex value that began at {@code start} stands for, references expanded. */
    int weight(int start, long referencedBefore) {
        return (int) Math.min(Integer.MAX_VALUE, in.readerIndex() - start + referencedBytes - referencedBefore);
    }

    /** Counts one reference followed, standing for {@code weight} bytes, against the limits. */
    void countReference(String what, int weight) {
        if (++references > Amf0Reader.MAX_REFERENCES) {
            throw new MediaFormatException(what + " reference count " + references + " exceeds "
                    + Amf0Reader.MAX_REFERENCES + " in one message");
        }
        referencedBytes += weight;
        if (referencedBytes > Amf0Reader.MAX_REFERENCED_BYTES) {
            throw new MediaFormatException(what + " references stand for " + referencedBytes
                    + " bytes, more than the " + Amf0Reader.MAX_REFERENCED_BYTES + " allowed in one message");
        }
    }

    /** Fails unless {@code n} bytes are readable. */
    void need(long n, String what) {
        if (n > in.readableBytes()) {
            throw new MediaFormatException(what + " needs " + n + " bytes at offset " + in.readerIndex()
                    + ", " + in.readableBytes() + " left");
        }
    }

    /** Fails unless {@code count} items of at least one byte each can follow. */
    int checkCount(long count, String what) {
        if (count > in.readableBytes()) {
            throw new MediaFormatException(what + " count " + count + " exceeds the " + in.readableBytes()
                    + " bytes left");
        }
        return (int) count;
    }

    /** Reads {@code length} bytes of UTF-8, replacing malformed sequences with U+FFFD. */
    String readUtf8(long length, String what) {
        if (length > in.readableBytes()) {
            throw new MediaFormatException(what + " length " + length + " exceeds the " + in.readableBytes()
                    + " bytes left");
        }
        if (length == 0) {
            return "";
        }
        String s = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return s;
    }

    /**
     * The objects of one reference table, in the order they began; an object still being
     * read cannot be referenced, so decoded values never hold cycles.
     */
    static final class ReferenceTable {
        private static final int IN_PROGRESS = -1;
        private final String what;
        private Object[] values = new Object[8];
        private int[] weights = new int[8];
        private int size;

        ReferenceTable(String what) {
            this.what = what;
        }

        /** Reserves the next index for an object now beginning. */
        int begin() {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                weights = Arrays.copyOf(weights, size * 2);
            }
            weights[size] = IN_PROGRESS;
            return size++;
        }

        /** Stores the object read at {@code index}, which stands for {@code weight} bytes. */
        void complete(int index, Object value, int weight) {
            values[index] = value;
            weights[index] = weight;
        }

        /** Adds an object read in full. */
        void add(Object value, int weight) {
            complete(begin(), value, weight);
        }

        /** Follows a reference, checking the index and counting it against the context's limits. */
        Object get(long index, ReadContext context) {
            if (index >= size) {
                throw new MediaFormatException(what + " reference " + index + " is out of range: "
                        + size + (size == 1 ? " entry" : " entries") + " so far");
            }
            int i = (int) index;
            if (weights[i] == IN_PROGRESS) {
                throw new MediaFormatException(what + " reference " + index
                        + " points to a value still being read; cyclic values are not supported");
            }
            context.countReference(what, weights[i]);
            return values[i];
        }
    }
}
