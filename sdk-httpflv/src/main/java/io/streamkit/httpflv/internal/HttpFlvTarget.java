package io.streamkit.httpflv.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where an HTTP-FLV puller connects and what it asks for, from an {@code http://} or
 * {@code https://} URL.
 *
 * @param host the host to connect to and to name in TLS (SNI, certificate check): a name or an
 *     address, IPv6 without brackets
 * @param port the TCP port, {@value #DEFAULT_PORT} or {@value #DEFAULT_TLS_PORT} unless the URL names one
 * @param tls whether the URL is {@code https://}
 * @param requestUri the request target as sent: the raw path ({@code /} when empty) and query
 * @param hostHeader the {@code Host} header: the host as the URL has it, and the port when not the scheme's default
 * @param display the URL without its query or credentials, for logs and errors: a query may hold a token
 */
record HttpFlvTarget(String host, int port, boolean tls, String requestUri, String hostHeader, String display) {

    /** HTTP's port (RFC 9110, section 4.2.1). */
    static final int DEFAULT_PORT = 80;

    /** HTTPS's port (RFC 9110, section 4.2.2). */
    static final int DEFAULT_TLS_PORT = 443;

    HttpFlvTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(hostHeader, "hostHeader");
        Objects.requireNonNull(display, "display");
    }

    /**
     * Parses {@code http[s]://host[:port][/path][?query]}. The path and query are sent as they
     * are written (percent-encoding kept); a fragment is dropped.
     *
     * @param url the origin's stream URL
     * @return the target
     * @throws IllegalArgumentException when the URL is malformed, not {@code http://} or
     *     {@code https://}, has no host, carries credentials (which the puller would not send)
     *     or names a port outside 1 to 65535
     */
    static HttpFlvTarget parse(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed HTTP-FLV URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("https");
        if (!tls && !scheme.equals("http")) {
            throw new IllegalArgumentException("HTTP-FLV URL must be http:// or https://, got scheme '" + scheme + "'");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            // the authority is not quoted: it may hold credentials
            throw new IllegalArgumentException("HTTP-FLV URL has no host, or one that is not a valid host name");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("HTTP-FLV URL " + scheme + "://" + host
                    + " carries credentials, which the puller does not send; put a token in the query");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new IllegalArgumentException("HTTP-FLV URL " + scheme + "://" + host + " names port " + uri.getPort()
                    + ", outside 1 to 65535");
        }
        int defaultPort = tls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String hostHeader = port == defaultPort ? host : host + ":" + port;
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return new HttpFlvTarget(bare, port, tls, requestUri, hostHeader, scheme + "://" + host + ":" + port + path);
    }
}
