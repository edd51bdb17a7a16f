package io.streamkit.record;

import io.streamkit.stream.StreamKey;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A recording's path template, parsed and checked (see {@link RecordSpec} for the syntax), and
 * its resolution to a path that cannot leave the recordings' root.
 *
 * <p>Confinement: the template's own segments are checked when it is parsed ({@code ..},
 * {@code .} and empty segments are refused), and every value put into it is cleaned: in the
 * stream's app and name each character other than a letter, a digit, {@code . _ -} (and
 * {@code /} between the app's segments) becomes {@code _}, and a segment of dots becomes
 * underscores; a date field is formatted from a pattern checked at parse time. The resolved
 * path is normalised and checked to lie below the root once more.
 */
public final class PathTemplate {
    /** A start time every date field is tried on when the template is parsed. */
    private static final java.time.ZonedDateTime SAMPLE = java.time.ZonedDateTime.parse("2026-12-06T20:26:21.375Z[UTC]");

    private final String template;
    private final List<Object> parts;

    private PathTemplate(String template, List<Object> parts) {
        this.template = template;
        this.parts = parts;
    }

    /**
     * Parses and checks a template.
     *
     * @param template the template
     * @return the parsed template
     * @throws IllegalArgumentException when it is empty, longer than
     *     {@value RecordSpec#MAX_TEMPLATE_LENGTH} characters, has a control character, is absolute, has a {@code .},
     *     {@code ..} or empty segment or a backslash, an unclosed brace, or a date pattern that
     *     {@link DateTimeFormatter} refuses
     */
    public static PathTemplate parse(String template) {
        if (template.isEmpty() || template.length() > RecordSpec.MAX_TEMPLATE_LENGTH) {
            throw new IllegalArgumentException("template of " + template.length() + " characters: it must have 1 to "
                    + RecordSpec.MAX_TEMPLATE_LENGTH);
        }
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("template has a control character (U+" + String.format("%04X", (int) c)
                        + ") at " + i + ": file names take none");
            }
        }
        if (template.startsWith("/") || template.indexOf('\\') >= 0 || template.indexOf(':') >= 0) {
            throw new IllegalArgumentException("template '" + template + "' must be a relative path with / between segments");
        }
        for (String segment : template.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("template '" + template + "' has a segment '" + segment
                        + "': no empty, . or .. segments");
            }
        }
        List<Object> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                parts.add(literal(template.substring(i), template));
                break;
            }
            if (open > i) {
                parts.add(literal(template.substring(i, open), template));
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("template '" + template + "' has an unclosed '{'");
            }
            String field = template.substring(open + 1, close);
            switch (field) {
                case "app", "name", "ext" -> parts.add(Field.valueOf(field.toUpperCase(java.util.Locale.ROOT)));
                default -> {
                    if (field.isEmpty() || field.indexOf('/') >= 0 || field.indexOf('\'') >= 0) {
                        throw new IllegalArgumentException("template '" + template + "' has a field {" + field
                                + "}: use {app}, {name}, {ext} or a date pattern such as {yyyy-MM-dd}");
                    }
                    try {
                        DateTimeFormatter date = DateTimeFormatter.ofPattern(field, java.util.Locale.ROOT);
                        date.format(SAMPLE);   // a pattern the JDK accepts but cannot format (11 or more y's) fails here
                        parts.add(date);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("template '" + template + "' has a field {" + field
                                + "} that is no date pattern for a file's start time: " + e, e);
                    }
                }
            }
            i = close + 1;
        }
        return new PathTemplate(template, List.copyOf(parts));
    }

    private static String literal(String text, String template) {
        if (text.indexOf('}') >= 0) {
            throw new IllegalArgumentException("template '" + template + "' has a '}' without its '{'");
        }
        return text;
    }

    /**
     * Resolves the template for a file.
     *
     * @param root the recordings' root, absolute and normalised
     * @param key the recorded stream
     * @param start the file's start time, in the recorder's zone
     * @param format the format, whose extension is {@code {ext}}
     * @return a normalised path below {@code root}
     * @throws IllegalArgumentException when the result would not lie below the root (it cannot
     *     with a checked template; the check is the last line of defence)
     */
    public Path resolve(Path root, StreamKey key, ZonedDateTime start, RecordFormat format) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        for (Object part : parts) {
            if (part instanceof String s) {
                out.append(s);
            } else if (part == Field.APP) {
                out.append(clean(key.app(), true));
            } else if (part == Field.NAME) {
                out.append(clean(key.name(), false));
            } else if (part == Field.EXT) {
                out.append(format.extension());
            } else {
                out.append(clean(((DateTimeFormatter) part).format(start), false));
            }
        }
        Path resolved = root.resolve(out.toString()).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IllegalArgumentException("template '" + template + "' resolved to " + resolved + ", outside " + root);
        }
        return resolved;
    }

    /** A value with every character but letters, digits, {@code . _ -} (and {@code /} where allowed) as {@code _}. */
    static String clean(String value, boolean slashes) {
        StringBuilder out = new StringBuilder(value.length());
        for (String segment : (slashes ? value.split("/", -1) : new String[] {value})) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            StringBuilder s = new StringBuilder(segment.length());
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
                s.append(ok ? c : '_');
            }
            if (s.isEmpty() || s.chars().allMatch(c -> c == '.')) {
                s.replace(0, s.length(), "_".repeat(Math.max(1, s.length())));
            }
            out.append(s);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return template;
    }

    private enum Field { APP, NAME, EXT }
}
