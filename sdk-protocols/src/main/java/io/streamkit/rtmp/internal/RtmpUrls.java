package io.streamkit.rtmp.internal;

import io.streamkit.stream.StreamKey;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stream names and query parameters as RTMP clients send them: the app in {@code connect}
 * ({@code live} or {@code live?token=x}), the tcUrl ({@code rtmp://host/live?token=x}) and
 * the name in {@code publish}/{@code play} ({@code cam1?token=x}).
 */
final class RtmpUrls {
    /** Query parameters kept per request: enough for tokens and signatures, bounded against a flood. */
    static final int MAX_PARAMS = 32;

    private RtmpUrls() {
    }

    /** A path with its query split off. */
    record Split(String path, Map<String, String> query) {
    }

    static Split splitQuery(String value) {
        int q = value.indexOf('?');
        if (q < 0) {
            return new Split(value, Map.of());
        }
        return new Split(value.substring(0, q), parse(value.substring(q + 1)));
    }

    /** The query of a URL such as the tcUrl; empty when it has none. */
    static Map<String, String> query(String url) {
        int q = url.indexOf('?');
        return q < 0 ? Map.of() : parse(url.substring(q + 1));
    }

    /**
     * Joins the connect app and the stream name into a key, splitting at the last slash: a
     * name with slashes ({@code rtmp://host/live/a/b}) puts the extra segments in the app.
     *
     * @throws IllegalArgumentException when the result is not a valid {@link StreamKey}
     */
    static StreamKey key(String app, String name) {
        String full = (app + "/" + name).replaceAll("/{2,}", "/").replaceAll("^/+|/+$", "");
        return StreamKey.parse(full);
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty() || out.size() >= MAX_PARAMS) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(name, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;   // a stray % is kept as it is rather than failing the request
        }
    }
}
