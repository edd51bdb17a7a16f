package io.streamkit.format.amf0;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF3 values into the same plain Java values as {@link Amf0Reader}, for the AMF3
 * that RTMP clients put after an AVM+ marker in connect commands and metadata.
 *
 * <p>Supported: undefined, null, false, true, integer (a U29 sign-extended from 29 bits, as an
 * {@code Integer}), double, string (with the string reference table), XMLDocument and XML
 * (as {@link Amf0XmlDocument}), date (as an {@code Instant}), array, object with inline or
 * referenced traits, sealed and dynamic members, and ByteArray (as a {@code byte[]}). An array
 * with only dense elements becomes a {@code List}; one with an associative part becomes an
 * {@link Amf0EcmaArray} holding the associative entries, then the dense ones under
 * {@code "0"}, {@code "1"}, and so on. An object becomes a {@code Map}, or an
 * {@link Amf0TypedObject} when its traits name a class. Externalizable objects, vectors and
 * dictionaries throw {@link MediaFormatException}: their bytes can only be read by the class
 * that wrote them, and clients do not send them in commands.
 *
 * <p>Objects, arrays, dates, XML and byte arrays share the object reference table; strings
 * have theirs (AMF3 spec section 3.8), traits theirs (section 3.12). A reference to an object still being
 * read (a cycle) is rejected. The limits are {@link Amf0Reader}'s: nesting depth
 * {@value Amf0Reader#MAX_DEPTH}, lengths and counts bounded by the readable bytes, at most
 * {@value Amf0Reader#MAX_REFERENCES} references standing for at most
 * {@value Amf0Reader#MAX_REFERENCED_BYTES} bytes per call. Malformed input throws
 * {@link MediaFormatException} and leaves the reader index where it was. The buffer is
 * borrowed.
 *
 * <p>Stateless and thread-safe; each call keeps its state on its own.
 *
 * @see <a href="https://www.adobe.com/content/dam/acom/en/devnet/pdf/amf-file-format-spec.pdf">AMF3 spec (Adobe, 2013)</a>
 */
public final class Amf3Reader {
    private static final int UNDEFINED = 0x00;
    private static final int NULL = 0x01;
    private static final int FALSE = 0x02;
    private static final int TRUE = 0x03;
    private static final int INTEGER = 0x04;
    private static final int DOUBLE = 0x05;
    private static final int STRING = 0x06;
    private static final int XML_DOC = 0x07;
    private static final int DATE = 0x08;
    private static final int ARRAY = 0x09;
    private static final int OBJECT = 0x0a;
    private static final int XML = 0x0b;
    private static final int BYTE_ARRAY = 0x0c;
    private static final String[] UNSUPPORTED_NAMES = {
        "vector-int", "vector-uint", "vector-double", "vector-object", "dictionary",
    };

    private final ReadContext context;
    private final ReadContext.ReferenceTable strings = new ReadContext.ReferenceTable("AMF3 string");
    private final ReadContext.ReferenceTable objects = new ReadContext.ReferenceTable("AMF3 object");
    private final ReadContext.ReferenceTable traits = new ReadContext.ReferenceTable("AMF3 traits");

    /** The traits of an object class (AMF3 spec section 3.12). */
    private record Traits(String className, boolean dynamic, String[] sealedNames) {
    }

    Amf3Reader(ReadContext context) {
        this.context = context;
    }

    /**
     * Reads one AMF3 value at the reader index and advances the index past it.
     *
     * @param in the buffer; borrowed, not released
     * @return the value, mapped as the class description says
     * @throws MediaFormatException if the value is malformed, truncated, unsupported or over a
     *     limit; the reader index is then unchanged
     */
    public static Object read(ByteBuf in) {
        int start = in.readerIndex();
        try {
            return new Amf3Reader(new ReadContext(in)).readValue();
        } catch (RuntimeException e) {
            in.readerIndex(start);
            throw e;
        }
    }

    Object readValue() {
        ByteBuf in = context.in;
        context.need(1, "AMF3 marker");
        int start = in.readerIndex();
        int marker = in.readUnsignedByte();
        switch (marker) {
            case UNDEFINED:
                return Amf0.UNDEFINED;
            case NULL:
                return null;
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case INTEGER:
                return (readU29("AMF3 integer") << 3) >> 3; // sign-extend bit 28 (section 3.6)
            case DOUBLE:
                context.need(8, "AMF3 double");
                return in.readDouble();
            case STRING:
                return readString("AMF3 string");
            case XML_DOC:
            case XML:
                return readXml(start);
            case DATE:
                return readDate(start);
            case ARRAY:
                return readArray(start);
            case OBJECT:
                return readObject(start);
            case BYTE_ARRAY:
                return readByteArray(start);
            default:
                int u = marker - 0x0d;
                throw new MediaFormatException(String.format("AMF3 marker 0x%02x%s at offset %d is not supported",
                        marker, u >= 0 && u < UNSUPPORTED_NAMES.length ? " (" + UNSUPPORTED_NAMES[u] + ")" : "",
                        start));
        }
    }

    /**
     * Reads a U29: up to three bytes of seven bits with a continuation flag, then a fourth
     * byte of eight bits (AMF3 spec section 1.3.1).
     */
    private int readU29(String what) {
        ByteBuf in = context.in;
        int value = 0;
        for (int i = 0; i < 3; i++) {
            context.need(1, what);
            int b = in.readUnsignedByte();
            value = (value << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        context.need(1, what);
        return (value << 8) | in.readUnsignedByte();
    }

    /** Reads a UTF-8-vr: a reference to an earlier string or an inline one (section 1.3.2). */
    private String readString(String what) {
        int header = readU29(what);
        if ((header & 1) == 0) {
            return (String) strings.get(header >>> 1, context);
        }
        int length = header >>> 1;
        if (length == 0) {
            return ""; // the empty string is never sent by reference
        }
        String s = context.readUtf8(length, what);
        strings.add(s, length);
        return s;
    }

    private Object readXml(int start) {
        int header = readU29("AMF3 XML");
        if ((header & 1) == 0) {
            return objects.get(header >>> 1, context);
        }
        Amf0XmlDocument xml = new Amf0XmlDocument(context.readUtf8(header >>> 1, "AMF3 XML"));
        objects.add(xml, context.in.readerIndex() - start);
        return xml;
    }

    private Object readDate(int start) {
        int header = readU29("AMF3 date");
        if ((header & 1) == 0) {
            return objects.get(header >>> 1, context);
        }
        context.need(8, "AMF3 date");
        Object date = Amf0Reader.instant(context.in.readDouble(), "AMF3");
        objects.add(date, context.in.readerIndex() - start);
        return date;
    }

    private Object readByteArray(int start) {
        int header = readU29("AMF3 byte array");
        if ((header & 1) == 0) {
            return objects.get(header >>> 1, context);
        }
        int length = header >>> 1;
        context.need(length, "AMF3 byte array");
        byte[] bytes = new byte[length];
        context.in.readBytes(bytes);
        objects.add(bytes, context.in.readerIndex() - start);
        return bytes;
    }

    /** Reads an array: the dense count, the associative part up to an empty name, the dense part (section 3.11). */
    private Object readArray(int start) {
        int header = readU29("AMF3 array");
        if ((header & 1) == 0) {
            return objects.get(header >>> 1, context);
        }
        int dense = context.checkCount(header >>> 1, "AMF3 array dense");
        int index = objects.begin();
        long referencedBefore = context.referencedBytes();
        context.enter("AMF3");
        Object value;
        Amf0EcmaArray associative = null;
        for (String name = readString("AMF3 array name"); !name.isEmpty(); name = readString("AMF3 array name")) {
            if (associative == null) {
                associative = new Amf0EcmaArray();
            }
            associative.put(name, readValue());
        }
        if (associative == null) {
            List<Object> list = new ArrayList<>(Math.min(dense, 256));
            for (int i = 0; i < dense; i++) {
                list.add(readValue());
            }
            value = list;
        } else {
            for (int i = 0; i < dense; i++) {
                associative.put(Integer.toString(i), readValue());
            }
            value = associative;
        }
        context.exit();
        objects.complete(index, value, context.weight(start, referencedBefore));
        return value;
    }

    /** Reads an object: its traits, inline or by reference, then sealed and dynamic members (section 3.12). */
    private Object readObject(int start) {
        int header = readU29("AMF3 object");
        if ((header & 1) == 0) {
            return objects.get(header >>> 1, context);
        }
        Traits t;
        if ((header & 2) == 0) {
            t = (Traits) traits.get(header >>> 2, context);
        } else if ((header & 4) != 0) {
            String className = readString("AMF3 class name");
            throw new MediaFormatException("AMF3 externalizable class " + className + " not supported");
        } else {
            int sealed = context.checkCount(header >>> 4, "AMF3 sealed member");
            String className = readString("AMF3 class name");
            String[] names = new String[sealed];
            for (int i = 0; i < sealed; i++) {
                names[i] = readString("AMF3 sealed member name");
            }
            t = new Traits(className, (header & 8) != 0, names);
            traits.add(t, 0);
        }
        int index = objects.begin();
        long referencedBefore = context.referencedBytes();
        context.enter("AMF3");
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String name : t.sealedNames()) {
            properties.put(name, readValue());
        }
        if (t.dynamic()) {
            for (String name = readString("AMF3 member name"); !name.isEmpty(); name = readString("AMF3 member name")) {
                properties.put(name, readValue());
            }
        }
        Object value = t.className().isEmpty() ? properties : new Amf0TypedObject(t.className(), properties);
        context.exit();
        objects.complete(index, value, context.weight(start, referencedBefore));
        return value;
    }
}
