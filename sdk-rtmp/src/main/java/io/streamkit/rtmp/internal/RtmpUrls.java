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
     * The app a tcUrl names, for a {@code connect} that sends no app of its own (SRS's test
     * client sends only the tcUrl): the path after the host of
     * {@code scheme://host[:port]/app[/more][?query]}, percent-decoded, without leading and
     * trailing slashes, as SRS derives it.
     *
     * @param tcUrl the tcUrl as the client sent it
     * @return the app, or an empty string when the URL has no path after the host or no {@code ://}
     */
    static String appOf(String tcUrl) {
        int scheme = tcUrl.indexOf("://");
        if (scheme < 0) {
            return "";
        }
        int end = tcUrl.length();
        for (int i = scheme + 3; i < tcUrl.length(); i++) {
            char c = tcUrl.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        int slash = tcUrl.indexOf('/', scheme + 3);
        if (slash < 0 || slash >= end) {
            return "";
        }
        // decode first: an escaped slash at either end (live%2f) is a slash of the app's path
        return trimSlashes(decode(tcUrl.substring(slash, end)));
    }

    /**
     * The path without leading and trailing slashes, in one pass: the regex this replaced
     * ({@code ^/+|/+$}) backtracked over every run of slashes inside the text, so an app of
     * slashes between two letters cost quadratic time (40,000 slashes, 0.75 s of an event loop;
     * a connect may carry megabytes).
     */
    static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    /** Longest peer-sent text quoted in a log line or a status description. */
    static final int MAX_QUOTED = 128;

    /**
     * A peer's text made safe to quote: control characters replaced by {@code ?} and cut at
     * {@value #MAX_QUOTED} characters, so a log line stays one bounded line.
     */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_QUOTED) + 3);
        for (int i = 0; i < text.length() && i < MAX_QUOTED; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > MAX_QUOTED) {
            out.append("...");
        }
        return out.toString();
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

    /** The default RTMP port (RTMP spec 1.0, section 4). */
    static final int DEFAULT_PORT = 1935;
    /** The default RTMPS port: HTTPS's, where Facebook's, IVS's and YouTube's RTMPS ingests listen, as ffmpeg assumes. */
    static final int DEFAULT_TLS_PORT = 443;

    /**
     * Where a client connects and what it asks for.
     *
     * @param host the server's host name or address
     * @param port the TCP port, {@value #DEFAULT_PORT} unless the URL names one
     * @param app the application, sent in {@code connect}
     * @param name the stream name with the URL's query, sent in {@code play} or {@code publish}
     * @param tcUrl the URL up to and including the app, sent in {@code connect}
     * @param tls whether the connection is RTMPS: RTMP inside TLS
     */
    record Target(String host, int port, String app, String name, String tcUrl, boolean tls) {

        /** The URL without its query, which may carry a stream key or a token: for logs and status. */
        String display() {
            int q = name.indexOf('?');
            return (tls ? "rtmps://" : "rtmp://") + host + ":" + port + "/" + app + "/" + (q < 0 ? name : name.substring(0, q));
        }
    }

    /**
     * Splits a client URL {@code rtmp[s]://host[:port]/app[/more]/name[?query]} at its last slash,
     * the way this server (and ffmpeg, for up to three segments) splits app and stream name.
     *
     * @throws IllegalArgumentException when the URL is not {@code rtmp://} or {@code rtmps://}, or lacks an app or a name
     */
    static Target target(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("malformed RTMP URL '" + url + "': " + e.getMessage(), e);
        }
        boolean tls = "rtmps".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"rtmp".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("'" + url + "' is not an rtmp:// or rtmps:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("RTMP URL '" + url + "' has no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/{2,}", "/").replaceAll("^/+|/+$", "");
        int slash = path.lastIndexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("RTMP URL '" + url + "' needs an app and a stream name: rtmp://host/app/name");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new IllegalArgumentException("RTMP URL '" + url + "' names port " + uri.getPort()
                    + ", outside 1 to 65535");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        String app = decode(path.substring(0, slash));
        String name = decode(path.substring(slash + 1)) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String tcUrl = (tls ? "rtmps://" : "rtmp://") + uri.getRawAuthority() + "/" + path.substring(0, slash);
        return new Target(uri.getHost(), port, app, name, tcUrl, tls);
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
