package io.streamkit.format.amf0;

import java.util.Objects;

/**
 * An AMF0 XML document, kept as its text (AMF0 spec (Adobe, 2006) section 2.17).
 *
 * <p>The AMF3 XMLDocument and XML types (AMF3 spec sections 3.9 and 3.13) decode to this
 * type too. The text is not parsed.
 *
 * @param xml the document text
 */
public record Amf0XmlDocument(String xml) {

    /**
     * Checks the text is present.
     *
     * @param xml the document text
     */
    public Amf0XmlDocument {
        Objects.requireNonNull(xml, "xml");
    }
}
