package io.streamkit.format.amf0;

/**
 * The AMF0 type markers and the {@link #UNDEFINED} value, shared by {@link Amf0Reader}
 * and {@link Amf0Writer}.
 *
 * <p>Markers are those of the AMF0 spec (Adobe, 2006) section 2.1; the reader accepts all
 * of them except the reserved movieclip and recordset markers.
 *
 * @see <a href="https://rtmp.veriskope.com/pdf/amf0-file-format-specification.pdf">AMF0 spec (Adobe, 2006)</a>
 */
public final class Amf0 {

    /** The ActionScript {@code undefined} value, distinct from {@code null}. */
    public enum Undefined {
        /** The one undefined value. */
        UNDEFINED;

        @Override
        public String toString() {
            return "undefined";
        }
    }

    /**
     * The value AMF0 undefined (0x06), AMF0 unsupported (0x0D) and AMF3 undefined (0x00)
     * decode to, and that {@link Amf0Writer} writes as undefined.
     */
    public static final Undefined UNDEFINED = Undefined.UNDEFINED;

    /** Number marker: an IEEE 754 double, big-endian (section 2.2). */
    public static final int NUMBER = 0x00;
    /** Boolean marker: one byte, 0 is false (section 2.3). */
    public static final int BOOLEAN = 0x01;
    /** String marker: a U16 byte length and UTF-8 (section 2.4). */
    public static final int STRING = 0x02;
    /** Anonymous object marker: properties up to an empty name and object-end (section 2.5). */
    public static final int OBJECT = 0x03;
    /** Movieclip marker, reserved and not supported (section 2.6). */
    public static final int MOVIECLIP = 0x04;
    /** Null marker (section 2.7). */
    public static final int NULL = 0x05;
    /** Undefined marker (section 2.8). */
    public static final int UNDEFINED_MARKER = 0x06;
    /** Reference marker: a U16 index into the message's complex objects (section 2.9). */
    public static final int REFERENCE = 0x07;
    /** ECMA array marker: a U32 count hint, then properties as in an object (section 2.10). */
    public static final int ECMA_ARRAY = 0x08;
    /** Object-end marker, after an empty property name (section 2.11). */
    public static final int OBJECT_END = 0x09;
    /** Strict array marker: a U32 count, then that many values (section 2.12). */
    public static final int STRICT_ARRAY = 0x0a;
    /** Date marker: a double of milliseconds since the epoch (UTC), then an S16 time zone (section 2.13). */
    public static final int DATE = 0x0b;
    /** Long string marker: a U32 byte length and UTF-8 (section 2.14). */
    public static final int LONG_STRING = 0x0c;
    /** Unsupported marker, sent in place of a value that could not be serialized (section 2.15). */
    public static final int UNSUPPORTED = 0x0d;
    /** Recordset marker, reserved and not supported (section 2.16). */
    public static final int RECORDSET = 0x0e;
    /** XML document marker: a U32 byte length and UTF-8 (section 2.17). */
    public static final int XML_DOCUMENT = 0x0f;
    /** Typed object marker: a class name, then properties as in an object (section 2.18). */
    public static final int TYPED_OBJECT = 0x10;
    /** AVM+ marker: the next value is AMF3 (section 3.1). */
    public static final int AVMPLUS_OBJECT = 0x11;

    /** Largest byte length of a string written with {@link #STRING}; longer ones are long strings. */
    public static final int MAX_SHORT_STRING_BYTES = 0xffff;

    private Amf0() {
    }
}
