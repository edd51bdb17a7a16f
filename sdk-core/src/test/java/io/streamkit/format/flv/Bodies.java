package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds tag bodies byte by byte for tests, and renders parsed tags in one line each. */
final class Bodies {
    private Bodies() {
    }

    /**
     * Concatenates parts: an Integer is one byte, a String its ASCII bytes (a FourCC), a
     * byte[] itself, an Object[] its own parts (a track entry).
     */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        append(out, parts);
        return out.toByteArray();
    }

    private static void append(ByteArrayOutputStream out, Object[] parts) {
        for (Object part : parts) {
            if (part instanceof Integer i) {
                out.write(i);
            } else if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            } else if (part instanceof byte[] b) {
                out.writeBytes(b);
            } else if (part instanceof Object[] nested) {
                append(out, nested);
            } else {
                throw new IllegalArgumentException("part " + part);
            }
        }
    }

    /** A 24-bit big-endian value (UI24 or SI24). */
    static byte[] u24(int v) {
        return new byte[] {(byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    /** A track entry of a multitrack list. */
    static Object[] track(Object... parts) {
        return parts;
    }

    static ByteBuf buf(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    /** "t{id} {codec} {kind} {key|inter} cts{n} @{offset}+{length}", "legacy" appended for the legacy form. */
    static String line(FlvVideoTag t) {
        if (t.kind() == FlvPacketKind.IGNORED) {
            return "t" + t.trackId() + " " + t.codec() + " IGNORED";
        }
        return "t" + t.trackId() + " " + t.codec() + " " + t.kind() + " " + (t.keyframe() ? "key" : "inter")
                + " cts" + t.compositionTime() + " @" + t.payloadOffset() + "+" + t.payloadLength()
                + (t.enhanced() ? "" : " legacy");
    }

    /** "t{id} {codec} {kind} @{offset}+{length}", "legacy" appended for the legacy form. */
    static String line(FlvAudioTag t) {
        if (t.kind() == FlvPacketKind.IGNORED) {
            return "t" + t.trackId() + " " + t.codec() + " IGNORED";
        }
        return "t" + t.trackId() + " " + t.codec() + " " + t.kind() + " @" + t.payloadOffset() + "+"
                + t.payloadLength() + (t.enhanced() ? "" : " legacy");
    }
}
