package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;

/**
 * A bounded forward reader over a region of a tag body, by absolute index: it never moves
 * the buffer's reader index and never reads past {@code end}. Offsets in messages are
 * relative to the start of the body, so they match a hex dump of it.
 */
final class TagCursor {
    private final ByteBuf buf;
    private final int base;
    private final String what;
    private int pos;
    private int end;

    TagCursor(ByteBuf buf, String what) {
        this.buf = buf;
        this.base = buf.readerIndex();
        this.what = what;
        this.pos = base;
        this.end = buf.writerIndex();
    }

    /** Returns the offset of the next byte from the start of the body. */
    int offset() {
        return pos - base;
    }

    int remaining() {
        return end - pos;
    }

    /** Restricts reading to the next {@code length} bytes (a multitrack track). */
    void limit(int start, int length) {
        pos = base + start;
        end = pos + length;
    }

    void need(int n, String field) {
        if (end - pos < n) {
            throw truncated(n, field);
        }
    }

    /** Built off the hot path, which stays small enough for the JIT to inline. */
    private MediaFormatException truncated(int n, String field) {
        return new MediaFormatException(what + " truncated: " + field + " needs " + n + " byte"
                + (n == 1 ? "" : "s") + " at offset " + offset() + ", " + remaining() + " left");
    }

    int u8(String field) {
        need(1, field);
        return buf.getUnsignedByte(pos++);
    }

    int u24(String field) {
        need(3, field);
        int v = buf.getUnsignedMedium(pos);
        pos += 3;
        return v;
    }

    /** Reads a big-endian signed 24-bit integer (SI24), sign-extended. */
    int si24(String field) {
        need(3, field);
        int v = buf.getMedium(pos);
        pos += 3;
        return v;
    }

    int u16(String field) {
        need(2, field);
        int v = buf.getUnsignedShort(pos);
        pos += 2;
        return v;
    }

    int fourCc(String field) {
        need(4, field);
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    void skip(int n, String field) {
        need(n, field);
        pos += n;
    }

    /** Renders a FourCC for a message: quoted when printable, as hex otherwise. */
    static String fourCcName(int fourCc) {
        StringBuilder sb = new StringBuilder(6).append('\'');
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = fourCc >>> shift & 0xff;
            if (c < 0x20 || c > 0x7e) {
                return String.format("0x%08x", fourCc);
            }
            sb.append((char) c);
        }
        return sb.append('\'').toString();
    }
}
