package io.streamkit.format.amf0;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AMF0 ECMA array (associative array): a map in insertion order that
 * {@link Amf0Writer} writes back as an ECMA array rather than an anonymous object.
 *
 * <p>{@code onMetaData} is the ECMA array most streams carry. The U32 count on the wire is
 * only a hint (AMF0 spec (Adobe, 2006) section 2.10): the reader ends at the object-end
 * marker and the writer writes {@link #size()}. Dense AMF3 arrays with an associative part
 * decode to this type too, with the dense elements under the keys {@code "0"},
 * {@code "1"}, and so on.
 *
 * <p>Like every {@link LinkedHashMap}, it equals any map with the same entries, an
 * anonymous object included: compare {@code getClass()} to tell them apart.
 */
public class Amf0EcmaArray extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    /** Creates an empty ECMA array. */
    public Amf0EcmaArray() {
    }

    /**
     * Creates an ECMA array with the entries of {@code entries}, in its iteration order.
     *
     * @param entries the entries to copy
     */
    public Amf0EcmaArray(Map<String, ?> entries) {
        super(entries);
    }
}
