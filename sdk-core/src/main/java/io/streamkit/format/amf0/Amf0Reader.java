package io.streamkit.format.amf0;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF0 values into plain Java values, as RTMP command and data messages carry them.
 *
 * <p>{@link #read(ByteBuf)} reads one value at the reader index; {@link #readAll(ByteBuf)}
 * reads the sequence of values that makes an RTMP command body ({@code "connect"}, the
 * transaction id, the command object, arguments). Values map as the table in
 * {@link io.streamkit.format.amf0} says. The AVM+ marker (0x11) reads the one value after it
 * as AMF3 with {@link Amf3Reader}'s rules, the AMF3 reference tables living as long as the
 * AMF0 ones.
 *
 * <p>References (AMF0 spec (Adobe, 2006) section 2.9) resolve to the same Java instance as
 * the object they name; the table holds the anonymous objects, typed objects, ECMA arrays
 * and strict arrays of one call, numbered in the order they begin. A reference to an object
 * still being read (a cycle) is rejected, so decoded values can be printed, hashed and
 * written back safely.
 *
 * <table class="striped">
 * <caption>Limits</caption>
 * <thead><tr><th>limit</th><th>value</th><th>why</th></tr></thead>
 * <tbody>
 * <tr><td>nesting of objects and arrays</td><td>{@value #MAX_DEPTH}</td><td>commands and metadata
 *     nest two or three levels; this keeps the recursion a few kilobytes of any thread's stack</td></tr>
 * <tr><td>string, XML and class name lengths</td><td>the readable bytes</td><td>a length field is
 *     never trusted beyond the bytes that are there</td></tr>
 * <tr><td>strict array and AMF3 element counts</td><td>the readable bytes</td><td>each element takes
 *     at least one byte, so a larger count is a lie; nothing is allocated from it first</td></tr>
 * <tr><td>references followed per call</td><td>{@value #MAX_REFERENCES}</td><td>AMF0 indexes
 *     references with a U16; encoders send a handful</td></tr>
 * <tr><td>bytes references stand for, per call</td><td>{@value #MAX_REFERENCED_BYTES}</td><td>an RTMP
 *     message length is 24 bits, so 16 MiB is the most any message says; this bounds what
 *     nested references can make a walk or a re-encoding of the values cost</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Malformed input (an unknown or reserved marker, a truncated value, a limit exceeded) throws
 * {@link MediaFormatException} naming the value and the limit, and leaves the reader index
 * where it was. Malformed UTF-8 is decoded with U+FFFD replacement characters. The buffer is
 * borrowed: never released or retained, and the values copy what they keep.
 *
 * <p>Stateless and thread-safe; each call keeps its state on its own.
 *
 * @see <a href="https://rtmp.veriskope.com/pdf/amf0-file-format-specification.pdf">AMF0 spec (Adobe, 2006)</a>
 */
public final class Amf0Reader {

    /** Deepest nesting of objects and arrays, AMF3 ones inside AMF0 included. */
    public static final int MAX_DEPTH = 64;

    /** Most references (AMF0 and AMF3, objects, strings and traits) followed in one call. */
    public static final int MAX_REFERENCES = 65_536;

    /** Most bytes the references of one call may stand for, counting what nested references expand to. */
    public static final int MAX_REFERENCED_BYTES = 16 << 20;

    private static final String[] MARKER_NAMES = {
        "number", "boolean", "string", "object", "movieclip", "null", "undefined", "reference",
        "ecma-array", "object-end", "strict-array", "date", "long-string", "unsupported", "recordset",
        "xml-document", "typed-object", "avmplus-object",
    };

    /** ECMAScript's time values stop at 100 million days either side of the epoch (ECMA-262 21.4.1.1). */
    private static final double MAX_TIME_VALUE_MILLIS = 8.64e15;

    private final ReadContext context;
    private final ReadContext.ReferenceTable objects = new ReadContext.ReferenceTable("AMF0 object");
    private Amf3Reader amf3;

    private Amf0Reader(ByteBuf in) {
        this.context = new ReadContext(in);
    }

    /**
     * Reads one AMF0 value at the reader index and advances the index past it.
     *
     * @param in the buffer; borrowed, not released
     * @return the value: a {@code Double}, {@code Boolean}, {@code String}, {@code null},
     *     {@link Amf0#UNDEFINED}, {@code Map}, {@link Amf0EcmaArray}, {@code List},
     *     {@code Instant}, {@link Amf0TypedObject}, {@link Amf0XmlDocument}, or what
     *     {@link Amf3Reader} returns for an AVM+ value
     * @throws MediaFormatException if the value is malformed, truncated or over a limit; the
     *     reader index is then unchanged
     */
    public static Object read(ByteBuf in) {
        int start = in.readerIndex();
        try {
            return new Amf0Reader(in).readValue();
        } catch (RuntimeException e) {
            in.readerIndex(start);
            throw e;
        }
    }

    /**
     * Reads AMF0 values until the buffer has no readable bytes, as in an RTMP command or data
     * message body.
     *
     * <p>The values share one reference table and one set of limits. For an AMF3 command
     * message (RTMP type 17) skip its leading 0x00 byte first.
     *
     * @param in the message body; borrowed, not released; its reader index ends at the writer index
     * @return the values in order, in a new mutable list; empty for an empty buffer
     * @throws MediaFormatException if a value is malformed, truncated or over a limit; the
     *     reader index is then unchanged
     */
    public static List<Object> readAll(ByteBuf in) {
        int start = in.readerIndex();
        try {
            Amf0Reader reader = new Amf0Reader(in);
            List<Object> values = new ArrayList<>();
            while (in.isReadable()) {
                values.add(reader.readValue());
            }
            return values;
        } catch (RuntimeException e) {
            in.readerIndex(start);
            throw e;
        }
    }

    private Object readValue() {
        ByteBuf in = context.in;
        context.need(1, "AMF0 marker");
        int start = in.readerIndex();
        int marker = in.readUnsignedByte();
        switch (marker) {
            case Amf0.NUMBER:
                context.need(8, "AMF0 number");
                return in.readDouble();
            case Amf0.BOOLEAN:
                context.need(1, "AMF0 boolean");
                return in.readByte() != 0;
            case Amf0.STRING:
                return readShortString("AMF0 string");
            case Amf0.NULL:
                return null;
            case Amf0.UNDEFINED_MARKER:
            case Amf0.UNSUPPORTED:
                return Amf0.UNDEFINED;
            case Amf0.REFERENCE:
                context.need(2, "AMF0 reference");
                return objects.get(in.readUnsignedShort(), context);
            case Amf0.DATE:
                context.need(10, "AMF0 date");
                double millis = in.readDouble();
                in.skipBytes(2); // time-zone: reserved, "should be set to 0x0000" (section 2.13)
                return instant(millis, "AMF0");
            case Amf0.LONG_STRING:
                context.need(4, "AMF0 long string");
                return context.readUtf8(in.readUnsignedInt(), "AMF0 long string");
            case Amf0.XML_DOCUMENT:
                context.need(4, "AMF0 XML document");
                return new Amf0XmlDocument(context.readUtf8(in.readUnsignedInt(), "AMF0 XML document"));
            case Amf0.OBJECT:
            case Amf0.ECMA_ARRAY:
            case Amf0.STRICT_ARRAY:
            case Amf0.TYPED_OBJECT:
                return readComplex(marker, start);
            case Amf0.AVMPLUS_OBJECT:
                if (amf3 == null) {
                    amf3 = new Amf3Reader(context);
                }
                return amf3.readValue();
            default:
                throw new MediaFormatException(String.format("AMF0 marker 0x%02x%s at offset %d is not supported",
                        marker, marker < MARKER_NAMES.length ? " (" + MARKER_NAMES[marker] + ")" : "", start));
        }
    }

    /** Reads an object, ECMA array, strict array or typed object, entering it in the reference table. */
    private Object readComplex(int marker, int start) {
        ByteBuf in = context.in;
        int index = objects.begin();
        long referencedBefore = context.referencedBytes();
        context.enter("AMF0");
        Object value;
        switch (marker) {
            case Amf0.OBJECT:
                value = readProperties(new LinkedHashMap<>(), "AMF0 object");
                break;
            case Amf0.ECMA_ARRAY:
                context.need(4, "AMF0 ECMA array");
                in.skipBytes(4); // associative-count: a hint that encoders often leave 0 (section 2.10)
                value = readProperties(new Amf0EcmaArray(), "AMF0 ECMA array");
                break;
            case Amf0.STRICT_ARRAY:
                context.need(4, "AMF0 strict array");
                int count = context.checkCount(in.readUnsignedInt(), "AMF0 strict array");
                List<Object> list = new ArrayList<>(Math.min(count, 256));
                for (int i = 0; i < count; i++) {
                    list.add(readValue());
                }
                value = list;
                break;
            default:
                String className = readShortString("AMF0 typed object class name");
                Map<String, Object> properties = readProperties(new LinkedHashMap<>(), "AMF0 typed object");
                if (className.isEmpty()) {
                    value = properties; // no class to name: as good as anonymous
                } else {
                    value = new Amf0TypedObject(className, properties);
                }
                break;
        }
        context.exit();
        objects.complete(index, value, context.weight(start, referencedBefore));
        return value;
    }

    /** Reads name-value pairs up to an empty name followed by the object-end marker (section 2.5). */
    private <M extends Map<String, Object>> M readProperties(M map, String what) {
        ByteBuf in = context.in;
        while (true) {
            context.need(2, what + " property name");
            int length = in.readUnsignedShort();
            if (length == 0) {
                context.need(1, what + " end");
                if (in.getUnsignedByte(in.readerIndex()) == Amf0.OBJECT_END) {
                    in.skipBytes(1);
                    return map;
                }
            }
            String name = context.readUtf8(length, what + " property name");
            map.put(name, readValue());
        }
    }

    private String readShortString(String what) {
        context.need(2, what);
        return context.readUtf8(context.in.readUnsignedShort(), what);
    }

    /** Converts a time value in milliseconds since the epoch, fraction included, to an instant. */
    static Instant instant(double millis, String format) {
        if (!(Math.abs(millis) <= MAX_TIME_VALUE_MILLIS)) {
            throw new MediaFormatException(format + " date " + millis + " ms is outside the ECMAScript range of "
                    + (long) MAX_TIME_VALUE_MILLIS + " ms either side of the epoch");
        }
        double floor = Math.floor(millis);
        long nanos = Math.min(999_999, Math.round((millis - floor) * 1e6));
        return Instant.ofEpochMilli((long) floor).plusNanos(nanos);
    }
}
