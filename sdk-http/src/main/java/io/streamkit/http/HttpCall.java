package io.streamkit.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to an application {@link HttpRoute}: method, decoded path, query, headers,
 * body and the client's address. Immutable; safe to keep and to read from any thread.
 *
 * <p>The path has passed the port's checks (no {@code ..} or {@code .} segment, no encoded
 * slash, backslash or NUL). Header names are lower case.
 */
public final class HttpCall {
    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final InetSocketAddress remoteAddress;

    /**
     * Creates a request; the server does, and tests of a route may.
     *
     * @param method the method in upper case, for example {@code GET}
     * @param path the decoded path, starting with {@code /}
     * @param query the query parameters, first value of each
     * @param headers header name (any case; stored lower case) to its values in order
     * @param body the body, empty when there is none; kept, not copied
     * @param remoteAddress the client, or {@code null} when unknown
     */
    public HttpCall(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
                    byte[] body, InetSocketAddress remoteAddress) {
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        this.query = Map.copyOf(query);
        java.util.LinkedHashMap<String, List<String>> lower = new java.util.LinkedHashMap<>();
        headers.forEach((name, values) -> lower.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values),
                (a, b) -> {
                    java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
                    all.addAll(b);
                    return List.copyOf(all);
                }));
        this.headers = java.util.Collections.unmodifiableMap(lower);
        this.body = Objects.requireNonNull(body, "body");
        this.remoteAddress = remoteAddress;
    }

    /**
     * Returns the method.
     *
     * @return for example {@code GET} or {@code POST}
     */
    public String method() {
        return method;
    }

    /**
     * Returns the decoded path, the route's prefix included.
     *
     * @return for example {@code /hello/world}
     */
    public String path() {
        return path;
    }

    /**
     * Returns the query parameters, the first value of each (at most 32 are kept).
     *
     * @return name to value
     */
    public Map<String, String> query() {
        return query;
    }

    /**
     * Returns one query parameter.
     *
     * @param name its name
     * @return its first value, or empty
     */
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /**
     * Returns every header.
     *
     * @return lower-case name to values, in the order received
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * Returns a header's first value.
     *
     * @param name the name, any case
     * @return the value, or empty
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * Returns the body's bytes. The array is the request's own: read it, do not change it.
     *
     * @return the body, empty when there is none
     */
    public byte[] body() {
        return body;
    }

    /**
     * Returns the body decoded as UTF-8.
     *
     * @return the text
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Returns the client's address.
     *
     * @return the peer, or {@code null} when unknown
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
