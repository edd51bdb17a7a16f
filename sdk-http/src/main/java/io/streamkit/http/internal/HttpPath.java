package io.streamkit.http.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the path of a request target strictly: every {@code %} is followed by two hex digits,
 * and the bytes the escapes (and any raw bytes above ASCII) make are well-formed UTF-8, or the
 * path is refused. A lenient decoder would turn {@code %zz} or an overlong {@code %C0%AE} into
 * replacement characters, and a path that means two things to two parsers is how a check is
 * walked around. {@code +} stays {@code +} in a path (it means a space only in a form query).
 *
 * <p>Linear in the path's length, which the request-line limit bounds.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3986#section-2.1">RFC 3986, 2.1 Percent-Encoding</a>
 */
final class HttpPath {
    private HttpPath() {
    }

    /**
     * Decodes a raw path (the request target up to {@code ?} or {@code #}).
     *
     * @param raw the path as it arrived
     * @return the decoded path
     * @throws IllegalArgumentException naming the bad escape or the bad UTF-8
     */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0 && ascii(raw)) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid %-escape '" + printable(raw.substring(i, Math.min(i + 3, raw.length())))
                            + "' at index " + i + " of the path");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c <= 0xFF) {
                bytes.put((byte) c);   // the request line is read as ISO-8859-1: a raw byte is one char
            } else {
                throw new IllegalArgumentException("the path has a character outside ISO-8859-1 at index " + i);
            }
        }
        bytes.flip();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = utf8.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the path's %-escapes are not valid UTF-8");
        }
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The text for a log line or an error body: control characters and non-ASCII as {@code ?}. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c >= 0x7F ? '?' : c);
        }
        return b.toString();
    }
}
