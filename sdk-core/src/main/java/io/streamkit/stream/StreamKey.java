package io.streamkit.stream;

import java.util.Objects;

/**
 * The name of a live stream: an application and a stream name, as in
 * {@code rtmp://host/live/cam1} or {@code http://host/live/cam1.flv}.
 *
 * <p>Both parts are validated once, here, so that every protocol, file name and URL
 * built from a key is safe:
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>part</th><th>rule</th></tr>
 *   <tr><td>characters</td><td>{@code A-Z a-z 0-9 - _ . ~}, and {@code /} inside the app only</td></tr>
 *   <tr><td>length</td><td>1 to {@value #MAX_PART_LENGTH} characters each</td></tr>
 *   <tr><td>segments</td><td>no empty segment, no {@code .} or {@code ..} segment, no leading or trailing {@code /}</td></tr>
 * </table>
 * The character set is that of RFC 3986 unreserved characters, so a key needs no
 * escaping in a URL or a file name and can never reach outside a directory.
 *
 * @param app the application, for example {@code "live"}; may hold {@code /}-separated segments
 * @param name the stream name, for example {@code "cam1"}
 */
public record StreamKey(String app, String name) {

    /** Longest app or name: long enough for a UUID with a prefix, short enough for any file system. */
    public static final int MAX_PART_LENGTH = 128;

    /**
     * Creates a key, validating both parts.
     *
     * @param app the application
     * @param name the stream name
     * @throws IllegalArgumentException when a part breaks a rule; the message names it
     */
    public StreamKey {
        validate("app", app, true);
        validate("name", name, false);
    }

    /**
     * Creates a key from its two parts.
     *
     * @param app the application
     * @param name the stream name
     * @return the key
     * @throws IllegalArgumentException when a part breaks a rule
     */
    public static StreamKey of(String app, String name) {
        return new StreamKey(app, name);
    }

    /**
     * Parses {@code "app/name"}, splitting at the last {@code /}.
     *
     * @param path the key as text, for example {@code "live/cam1"}
     * @return the key
     * @throws IllegalArgumentException when there is no {@code /} or a part breaks a rule
     */
    public static StreamKey parse(String path) {
        Objects.requireNonNull(path, "path");
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("stream key '" + abbreviate(path) + "' is not of the form app/name");
        }
        return new StreamKey(path.substring(0, slash), path.substring(slash + 1));
    }

    /**
     * Returns {@code app/name}, the form {@link #parse} reads.
     *
     * @return the key as a path
     */
    public String path() {
        return app + '/' + name;
    }

    @Override
    public String toString() {
        return path();
    }

    private static void validate(String part, String value, boolean slashes) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("stream " + part + " is empty");
        }
        if (value.length() > MAX_PART_LENGTH) {
            throw new IllegalArgumentException("stream " + part + " has " + value.length()
                    + " characters, more than " + MAX_PART_LENGTH);
        }
        int segmentStart = 0;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : '/';
            if (c == '/') {
                if (!slashes && i < value.length()) {
                    throw new IllegalArgumentException("stream " + part + " '" + abbreviate(value) + "' contains '/'");
                }
                int len = i - segmentStart;
                if (len == 0) {
                    throw new IllegalArgumentException("stream " + part + " '" + abbreviate(value) + "' has an empty segment");
                }
                if ((len == 1 && value.charAt(segmentStart) == '.')
                        || (len == 2 && value.charAt(segmentStart) == '.' && value.charAt(segmentStart + 1) == '.')) {
                    throw new IllegalArgumentException("stream " + part + " '" + abbreviate(value) + "' has a '.' or '..' segment");
                }
                segmentStart = i + 1;
            } else if (!unreserved(c)) {
                throw new IllegalArgumentException("stream " + part + " '" + abbreviate(value)
                        + "' contains '" + printable(c) + "'; allowed are A-Z a-z 0-9 - _ . ~");
            }
        }
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
