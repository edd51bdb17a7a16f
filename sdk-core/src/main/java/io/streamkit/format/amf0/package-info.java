/**
 * AMF0, the Action Message Format of RTMP commands and metadata, with the AMF3 that clients
 * nest in it: {@link io.streamkit.format.amf0.Amf0Reader},
 * {@link io.streamkit.format.amf0.Amf0Writer} and {@link io.streamkit.format.amf0.Amf3Reader}.
 *
 * <p>Values are plain Java values, so application code reads a {@code connect} command
 * object as a {@code Map} and the RTMP layer writes an {@code onStatus} reply from
 * {@code Map.of(...)}. A few small types keep what a plain value would lose on a round trip:
 *
 * <table class="striped">
 * <caption>AMF type to Java type, read and written</caption>
 * <thead><tr><th>AMF type (marker)</th><th>read as</th><th>written from</th></tr></thead>
 * <tbody>
 * <tr><td>AMF0 number (0x00)</td><td>{@code Double}</td><td>any {@code Number}</td></tr>
 * <tr><td>AMF0 boolean (0x01)</td><td>{@code Boolean}</td><td>{@code Boolean}</td></tr>
 * <tr><td>AMF0 string (0x02), long string (0x0C)</td><td>{@code String}</td><td>{@code CharSequence};
 *     long string past 65535 UTF-8 bytes</td></tr>
 * <tr><td>AMF0 object (0x03)</td><td>{@code LinkedHashMap<String, Object>}</td><td>any other {@code Map}
 *     with string keys</td></tr>
 * <tr><td>AMF0 null (0x05)</td><td>{@code null}</td><td>{@code null}</td></tr>
 * <tr><td>AMF0 undefined (0x06), unsupported (0x0D)</td><td>{@link io.streamkit.format.amf0.Amf0#UNDEFINED}</td>
 *     <td>{@code Amf0.UNDEFINED} as undefined</td></tr>
 * <tr><td>AMF0 reference (0x07)</td><td>the same instance as the object it names</td><td>never written</td></tr>
 * <tr><td>AMF0 ECMA array (0x08)</td><td>{@link io.streamkit.format.amf0.Amf0EcmaArray}</td>
 *     <td>{@code Amf0EcmaArray}</td></tr>
 * <tr><td>AMF0 strict array (0x0A)</td><td>{@code ArrayList<Object>}</td><td>any {@code List}</td></tr>
 * <tr><td>AMF0 date (0x0B)</td><td>{@code java.time.Instant}; the reserved time zone is ignored</td>
 *     <td>{@code Instant} or {@code java.util.Date}, time zone 0</td></tr>
 * <tr><td>AMF0 XML document (0x0F)</td><td>{@link io.streamkit.format.amf0.Amf0XmlDocument}</td>
 *     <td>{@code Amf0XmlDocument}</td></tr>
 * <tr><td>AMF0 typed object (0x10)</td><td>{@link io.streamkit.format.amf0.Amf0TypedObject}</td>
 *     <td>{@code Amf0TypedObject}</td></tr>
 * <tr><td>AMF0 movieclip (0x04), recordset (0x0E), 0x12 and up</td><td>rejected</td><td>-</td></tr>
 * <tr><td>AMF3 undefined, null, false, true, double, string, date</td><td>as their AMF0 kin</td>
 *     <td>not written (no AMF3 writer)</td></tr>
 * <tr><td>AMF3 integer</td><td>{@code Integer}</td><td>-</td></tr>
 * <tr><td>AMF3 array</td><td>{@code ArrayList} when dense only, else {@code Amf0EcmaArray}</td><td>-</td></tr>
 * <tr><td>AMF3 object</td><td>{@code LinkedHashMap}, or {@code Amf0TypedObject} with a class name</td><td>-</td></tr>
 * <tr><td>AMF3 XMLDocument, XML</td><td>{@code Amf0XmlDocument}</td><td>-</td></tr>
 * <tr><td>AMF3 ByteArray</td><td>{@code byte[]}</td><td>-</td></tr>
 * <tr><td>AMF3 externalizable object, vectors, dictionary</td><td>rejected</td><td>-</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Numbers read as {@code Double} (AMF0) or {@code Integer} (AMF3 integer), so read them
 * through {@code Number}. Maps and lists read are new and mutable, and belong to the caller;
 * an object named by references is one shared instance.
 *
 * <p>Readers borrow the buffer: they advance its reader index past what they read, never
 * release or retain it, and copy what they keep. On malformed input they throw
 * {@link io.streamkit.codec.MediaFormatException} naming the value and the limit, and leave
 * the reader index where it was; every loop is bounded by the input length or a documented
 * limit ({@link io.streamkit.format.amf0.Amf0Reader} lists them), so hostile input costs one
 * rejected message. The writer appends at the writer index of a buffer the caller owns. None
 * of the classes knows about a connection; all are stateless and thread-safe.
 *
 * <p>An RTMP command message of type 20 is a sequence of AMF0 values; one of type 17 starts
 * with a 0x00 byte the RTMP layer skips before {@link io.streamkit.format.amf0.Amf0Reader#readAll}.
 *
 * @see <a href="https://rtmp.veriskope.com/pdf/amf0-file-format-specification.pdf">AMF0 spec (Adobe, 2006)</a>
 * @see <a href="https://www.adobe.com/content/dam/acom/en/devnet/pdf/amf-file-format-spec.pdf">AMF3 spec (Adobe, 2013)</a>
 */
package io.streamkit.format.amf0;
