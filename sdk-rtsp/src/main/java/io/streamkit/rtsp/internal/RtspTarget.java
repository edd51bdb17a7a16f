package io.streamkit.rtsp.internal;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a request's URL names: its path without the leading and trailing slashes, and its query.
 * Takes {@code rtsp://host[:port]/path[?query]} and the bare {@code /path[?query]}.
 *
 * @param path the path, such as {@code live/cam1} or {@code live/cam1/trackID=1}; empty for {@code *}
 * @param query the query's parameters, the first value of each
 */
record RtspTarget(String path, Map<String, String> query) {
    /** Query parameters kept of a URL: the rest are ignored. */
    static final int MAX_PARAMETERS = 32;

    static RtspTarget parse(String uri) {
        String rest = uri;
        int scheme = rest.indexOf("://");
        if (scheme >= 0) {
            int slash = rest.indexOf('/', scheme + 3);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        String query = "";
        int mark = rest.indexOf('?');
        if (mark >= 0) {
            query = rest.substring(mark + 1);
            rest = rest.substring(0, mark);
        }
        String path = QueryStringDecoder.decodeComponent(rest).replaceAll("/{2,}", "/").replaceAll("^/+|/+$", "");
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : new QueryStringDecoder(query, java.nio.charset.StandardCharsets.UTF_8, false, MAX_PARAMETERS).parameters().entrySet()) {
            if (!e.getValue().isEmpty()) {
                parameters.put(e.getKey(), e.getValue().get(0));
            }
        }
        return new RtspTarget("*".equals(path) ? "" : path, Map.copyOf(parameters));
    }

    /**
     * The rest of the path below a base: a track's control, such as {@code trackID=1}.
     *
     * @param base the session's stream path
     * @return the rest, empty for the base itself, or {@code null} when the path is not under the base
     */
    String below(String base) {
        if (path.equals(base)) {
            return "";
        }
        return path.startsWith(base + "/") ? path.substring(base.length() + 1) : null;
    }
}
