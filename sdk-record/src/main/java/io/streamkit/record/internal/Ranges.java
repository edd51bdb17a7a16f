package io.streamkit.record.internal;

/**
 * The {@code Range} header of a file request (RFC 9110 14.2): {@code bytes=a-b},
 * {@code bytes=a-}, {@code bytes=-n}; of a list, the first range is served.
 */
final class Ranges {
    private Ranges() {
    }

    /**
     * Resolves the first range of a header against a file's size.
     *
     * @param header the header's value
     * @param size the file's size
     * @return {offset, length}, or {@code null} when the range is malformed or cannot be satisfied
     */
    static long[] first(String header, long size) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = h.substring(6);
        int comma = spec.indexOf(',');
        if (comma >= 0) {
            spec = spec.substring(0, comma);
        }
        spec = spec.trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return null;
                }
                long n = Math.min(suffix, size);
                return new long[] {size - n, n};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || first >= size || last < first) {
                return null;
            }
            return new long[] {first, last - first + 1};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
