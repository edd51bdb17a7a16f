package io.streamkit.format.amf0;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Writes plain Java values as AMF0, for RTMP command replies ({@code _result},
 * {@code onStatus}) and data messages ({@code @setDataFrame}, {@code onMetaData}).
 *
 * <table class="striped">
 * <caption>What each Java type is written as</caption>
 * <thead><tr><th>Java value</th><th>AMF0 type (AMF0 spec (Adobe, 2006) section)</th></tr></thead>
 * <tbody>
 * <tr><td>{@code null}</td><td>null (2.7)</td></tr>
 * <tr><td>{@link Amf0#UNDEFINED}</td><td>undefined (2.8)</td></tr>
 * <tr><td>{@code Boolean}</td><td>boolean (2.3)</td></tr>
 * <tr><td>any {@code Number}</td><td>number, its {@code doubleValue()} (2.2)</td></tr>
 * <tr><td>{@code CharSequence}</td><td>string (2.4) up to {@value Amf0#MAX_SHORT_STRING_BYTES} UTF-8
 *     bytes, long string (2.14) beyond</td></tr>
 * <tr><td>{@link Amf0EcmaArray}</td><td>ECMA array (2.10), its size as the count</td></tr>
 * <tr><td>any other {@code Map}</td><td>anonymous object (2.5); keys must be strings</td></tr>
 * <tr><td>{@code List}</td><td>strict array (2.12)</td></tr>
 * <tr><td>{@code Instant}, {@code java.util.Date}</td><td>date (2.13), time zone 0</td></tr>
 * <tr><td>{@link Amf0TypedObject}</td><td>typed object (2.18)</td></tr>
 * <tr><td>{@link Amf0XmlDocument}</td><td>XML document (2.17)</td></tr>
 * </tbody>
 * </table>
 *
 * <p>References are never written: a value that appears twice is written twice. Nesting
 * deeper than {@value Amf0Reader#MAX_DEPTH}, which is what a cyclic value looks like, is
 * refused, as are names longer than 65535 UTF-8 bytes and every other Java type, with an
 * {@link IllegalArgumentException} naming the type or the limit. On such a failure the
 * writer index is put back where it was, so nothing half-written stays in {@code out}.
 *
 * <p>Stateless and thread-safe. The caller owns {@code out}, which grows as needed.
 *
 * @see <a href="https://rtmp.veriskope.com/pdf/amf0-file-format-specification.pdf">AMF0 spec (Adobe, 2006)</a>
 */
public final class Amf0Writer {

    private Amf0Writer() {
    }

    /**
     * Writes one value at the writer index of {@code out}.
     *
     * @param out the buffer to append to; owned by the caller
     * @param value the value, of a type in the class description's table
     * @throws IllegalArgumentException if the value or something in it cannot be written;
     *     {@code out} is then unchanged
     */
    public static void write(ByteBuf out, Object value) {
        int start = out.writerIndex();
        try {
            writeValue(out, value, 0);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /**
     * Writes values one after the other, as in an RTMP command message body.
     *
     * <p>A single {@code List} argument is one strict array, not a list of values: Java
     * passes it as one element of {@code values}.
     *
     * @param out the buffer to append to; owned by the caller
     * @param values the values in order
     * @throws IllegalArgumentException if a value cannot be written; {@code out} is then unchanged
     */
    public static void writeAll(ByteBuf out, Object... values) {
        int start = out.writerIndex();
        try {
            for (Object value : values) {
                writeValue(out, value, 0);
            }
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
    }

    private static void writeValue(ByteBuf out, Object value, int depth) {
        if (value == null) {
            out.writeByte(Amf0.NULL);
        } else if (value == Amf0.UNDEFINED) {
            out.writeByte(Amf0.UNDEFINED_MARKER);
        } else if (value instanceof Boolean b) {
            out.writeByte(Amf0.BOOLEAN).writeByte(b ? 1 : 0);
        } else if (value instanceof Number n) {
            out.writeByte(Amf0.NUMBER).writeDouble(n.doubleValue());
        } else if (value instanceof CharSequence s) {
            int length = ByteBufUtil.utf8Bytes(s);
            if (length > Amf0.MAX_SHORT_STRING_BYTES) {
                out.writeByte(Amf0.LONG_STRING).writeInt(length);
            } else {
                out.writeByte(Amf0.STRING).writeShort(length);
            }
            ByteBufUtil.reserveAndWriteUtf8(out, s, length);
        } else if (value instanceof Instant instant) {
            writeDate(out, instant.getEpochSecond() * 1000.0 + instant.getNano() / 1e6);
        } else if (value instanceof Date date) {
            writeDate(out, date.getTime());
        } else if (value instanceof Amf0XmlDocument xml) {
            int length = ByteBufUtil.utf8Bytes(xml.xml());
            out.writeByte(Amf0.XML_DOCUMENT).writeInt(length);
            ByteBufUtil.reserveAndWriteUtf8(out, xml.xml(), length);
        } else if (value instanceof Amf0EcmaArray array) {
            enter(depth);
            out.writeByte(Amf0.ECMA_ARRAY).writeInt(array.size());
            writeProperties(out, array, depth + 1);
        } else if (value instanceof Map<?, ?> map) {
            enter(depth);
            out.writeByte(Amf0.OBJECT);
            writeProperties(out, map, depth + 1);
        } else if (value instanceof Amf0TypedObject typed) {
            enter(depth);
            out.writeByte(Amf0.TYPED_OBJECT);
            writeName(out, typed.className());
            writeProperties(out, typed.properties(), depth + 1);
        } else if (value instanceof List<?> list) {
            enter(depth);
            out.writeByte(Amf0.STRICT_ARRAY).writeInt(list.size());
            for (Object element : list) {
                writeValue(out, element, depth + 1);
            }
        } else {
            throw new IllegalArgumentException("AMF0 cannot write a " + value.getClass().getName());
        }
    }

    private static void enter(int depth) {
        if (depth >= Amf0Reader.MAX_DEPTH) {
            throw new IllegalArgumentException("AMF0 nesting deeper than " + Amf0Reader.MAX_DEPTH
                    + " (a value that contains itself?)");
        }
    }

    private static void writeDate(ByteBuf out, double millis) {
        out.writeByte(Amf0.DATE).writeDouble(millis).writeShort(0);
    }

    private static void writeProperties(ByteBuf out, Map<?, ?> map, int depth) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new IllegalArgumentException("AMF0 property names are strings, not "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
            }
            writeName(out, name);
            writeValue(out, e.getValue(), depth);
        }
        out.writeShort(0).writeByte(Amf0.OBJECT_END);
    }

    /** Writes a UTF-8 string with a U16 length and no marker: a property or class name. */
    private static void writeName(ByteBuf out, String name) {
        int length = ByteBufUtil.utf8Bytes(name);
        if (length > Amf0.MAX_SHORT_STRING_BYTES) {
            throw new IllegalArgumentException("AMF0 name of " + length + " UTF-8 bytes exceeds "
                    + Amf0.MAX_SHORT_STRING_BYTES);
        }
        out.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(out, name, length);
    }
}
