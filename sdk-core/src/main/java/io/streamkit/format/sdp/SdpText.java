package io.streamkit.format.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the session and media descriptions share: attributes, checks on written text, defensive numbers. */
final class SdpText {
    /** How much of an offending line or value an exception message quotes. */
    private static final int QUOTE_LENGTH = 40;

    /** Most digits a number of ours has: 9 cannot overflow an {@code int}. */
    private static final int MAX_DIGITS = 9;

    private SdpText() {
    }

    /**
     * One {@code a=} line.
     *
     * @param name the attribute's name
     * @param value its value, {@code null} for a flag ({@code a=recvonly})
     */
    record Attribute(String name, String value) {
        /** Reads the text after {@code a=}: {@code name[:value]}, the value trimmed; null when the name is empty. */
        static Attribute parse(String text) {
            int colon = text.indexOf(':');
            String name = (colon < 0 ? text : text.substring(0, colon)).strip();
            if (name.isEmpty()) {
                return null;
            }
            return new Attribute(name, colon < 0 ? null : text.substring(colon + 1).strip());
        }

        /** Appends the line, CRLF included. */
        void appendTo(StringBuilder out) {
            out.append("a=").append(name);
            if (value != null) {
                out.append(':').append(value);
            }
            out.append("\r\n");
        }
    }

    /** Checks an attribute to write: a name without space, control or ':', a value (trimmed) without control; null for a flag. */
    static Attribute attribute(String name, String value) {
        token("attribute name", name);
        if (name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("attribute name " + quote(name) + " has a ':'");
        }
        return new Attribute(name, value == null ? null : text("attribute " + name, value.strip()));
    }

    /** The first value of an attribute, names compared ignoring case; "" for a flag. */
    static Optional<String> first(List<Attribute> attributes, String name) {
        for (Attribute a : attributes) {
            if (a.name().equalsIgnoreCase(name)) {
                return Optional.of(a.value() == null ? "" : a.value());
            }
        }
        return Optional.empty();
    }

    /** Every value of an attribute in order, names compared ignoring case; "" for a flag. */
    static List<String> all(List<Attribute> attributes, String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.name().equalsIgnoreCase(name)) {
                out.add(a.value() == null ? "" : a.value());
            }
        }
        return List.copyOf(out);
    }

    /**
     * Reads a decimal number of at most {@value #MAX_DIGITS} digits, no sign, no space.
     *
     * @return the number, or -1 when the text is not one or it exceeds {@code max}
     */
    static int number(String text, int max) {
        if (text.isEmpty() || text.length() > MAX_DIGITS) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n <= max ? n : -1;
    }

    /** Checks a field written between spaces (a media type, a protocol, an attribute name): not empty, no space, no control. */
    static String token(String what, String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException(what + " " + quote(text) + " has a space or a control character at " + i);
            }
        }
        return text;
    }

    /** Checks text written to the end of a line: no control character, so no line break can be injected. */
    static String text(String what, String text) {
        if (text == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException(what + " " + quote(text) + " has a control character at " + i);
            }
        }
        return text;
    }

    /** The length of the text in UTF-8, counted without encoding it. */
    static long utf8Length(CharSequence text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Quotes the start of a peer's text for a message: at most {@value #QUOTE_LENGTH} characters, controls as '?'. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), QUOTE_LENGTH) + 5).append('"');
        for (int i = 0; i < text.length() && i < QUOTE_LENGTH; i++) {
            char c = text.charAt(i);
            out.append(c < ' ' || c == 0x7f ? '?' : c);
        }
        return out.append(text.length() > QUOTE_LENGTH ? "...\"" : "\"").toString();
    }
}
