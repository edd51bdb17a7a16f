package io.streamkit.rtsp.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A remote RTSP stream, {@code rtsp://[user:password@]host[:port]/path[?query][#transport=udp]}:
 * where to connect, and the URL to send in requests (without the user information, which goes in
 * an {@code Authorization} header when the server asks for it, and without the fragment, which
 * is this client's own and never leaves it: {@code #transport=udp} pulls RTP over UDP,
 * {@code #transport=tcp}, the default, interleaved in the RTSP connection; pushes record over TCP).
 *
 * @param host the host
 * @param port the port, 554 unless the URL names one (RFC 2326 3.2)
 * @param requestUrl the URL requests carry
 * @param user the user, or {@code null}
 * @param password the password, or {@code null}
 * @param udp whether a pull asks for RTP over UDP rather than interleaved in the connection
 */
record RtspUrl(String host, int port, String requestUrl, String user, String password, boolean udp) {
    /** RTSP's port (RFC 2326 3.2). */
    static final int DEFAULT_PORT = 554;

    /**
     * Parses a URL.
     *
     * @param url the URL
     * @return its parts
     * @throws IllegalArgumentException when it is not an {@code rtsp://} URL with a host and a
     *     path, or its fragment is not {@code transport=udp} or {@code transport=tcp}
     */
    static RtspUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("rtsp")) {
            throw new IllegalArgumentException("not an rtsp:// URL: " + display(url));
        }
        if (uri.getHost() == null || uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
            throw new IllegalArgumentException("an rtsp:// URL needs a host and a path: " + display(url));
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String host = uri.getHost();
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String request = "rtsp://" + hostPart + (uri.getPort() < 0 ? "" : ":" + port) + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            int colon = uri.getUserInfo().indexOf(':');
            user = colon < 0 ? uri.getUserInfo() : uri.getUserInfo().substring(0, colon);
            password = colon < 0 ? "" : uri.getUserInfo().substring(colon + 1);
        }
        String fragment = uri.getFragment();
        boolean udp = "transport=udp".equalsIgnoreCase(fragment);
        if (fragment != null && !udp && !"transport=tcp".equalsIgnoreCase(fragment)) {
            throw new IllegalArgumentException("an rtsp:// URL's fragment is #transport=udp or #transport=tcp, not #"
                    + (fragment.length() <= 40 ? fragment : fragment.substring(0, 37) + "..."));
        }
        return new RtspUrl(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port, request, user, password,
                udp);
    }

    /** The URL without user information and query, for logs and status: queries and passwords carry secrets. */
    String display() {
        return display(requestUrl);
    }

    private static String display(String url) {
        String s = url;
        int at = s.indexOf('@');
        int scheme = s.indexOf("://");
        if (at > 0 && scheme > 0 && at > scheme) {
            s = s.substring(0, scheme + 3) + s.substring(at + 1);
        }
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    @Override
    public String toString() {
        return display();
    }
}
