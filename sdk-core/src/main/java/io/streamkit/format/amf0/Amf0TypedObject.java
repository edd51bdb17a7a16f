package io.streamkit.format.amf0;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An AMF0 typed object: an object with the name of the class it was registered as
 * (AMF0 spec (Adobe, 2006) section 2.18).
 *
 * <p>AMF3 objects with a non-empty class name decode to this type too (AMF3 spec section
 * 3.12), their sealed members first, then their dynamic ones.
 *
 * @param className the registered class name, not empty; at most 65535 UTF-8 bytes to be written
 * @param properties the properties in wire order; copied into an unmodifiable map that keeps
 *     the order and allows null values
 */
public record Amf0TypedObject(String className, Map<String, Object> properties) {

    /**
     * Checks the class name and copies the properties.
     *
     * @param className the class name
     * @param properties the properties
     */
    public Amf0TypedObject {
        Objects.requireNonNull(className, "className");
        if (className.isEmpty()) {
            throw new IllegalArgumentException("a typed object needs a class name; use a Map for an anonymous object");
        }
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }
}
