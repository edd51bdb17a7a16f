package io.streamkit.webhook.internal;

import io.streamkit.stream.StreamKey;
import io.streamkit.webhook.HookEvent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one hook request says about an event, whatever the event's source (an auth request, a
 * listener's event), and how each dialect puts it on the wire.
 *
 * @param event the hook event
 * @param connectionId the client's connection, 0 for none
 * @param protocol the client's protocol, for example {@code rtmp} or {@code hls}
 * @param remote the client's address, or {@code null}
 * @param key the stream, or {@code null} for a connection's events
 * @param query the client's query parameters
 * @param file a recorded file (DVR), or {@code null}
 * @param root the recorder's root (DVR), or {@code null}
 * @param tcUrl the URL the client connected with (RTMP's tcUrl), or empty
 */
record HookFacts(HookEvent event, long connectionId, String protocol, InetSocketAddress remote, StreamKey key,
                 Map<String, String> query, Path file, Path root, String tcUrl) {
    /** The vhost SRS names when none was asked for; Streamkit has no vhosts. */
    static final String DEFAULT_VHOST = "__defaultVhost__";
    /** Query parameters the plain dialect sets itself: a client's own of these names are left out, so it cannot speak for the server. */
    private static final Set<String> PLAIN_RESERVED = Set.of("path", "app", "name", "ip", "type", "role", "protocol");

    /** Facts of an event that has no client URL. */
    HookFacts(HookEvent event, long connectionId, String protocol, InetSocketAddress remote, StreamKey key,
              Map<String, String> query, Path file, Path root) {
        this(event, connectionId, protocol, remote, key, query, file, root, "");
    }

    /**
     * The same facts for another event (a connection's {@code on_close} from its {@code on_connect}).
     *
     * @param other the event
     * @return the facts
     */
    HookFacts as(HookEvent other) {
        return new HookFacts(other, connectionId, protocol, remote, key, query, file, root, tcUrl);
    }

    /**
     * A POST of SRS's JSON body for this event.
     *
     * @param url the backend
     * @param serverId the body's {@code server_id}
     * @param serviceId the body's {@code service_id}, one per process
     * @param timeout the request's timeout
     * @param headers headers of the application's
     * @return the request
     */
    HttpRequest srs(URI url, String serverId, String serviceId, Duration timeout, Map<String, String> headers) {
        return base(url, timeout, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(srsBody(serverId, serviceId), StandardCharsets.UTF_8)).build();
    }

    /** SRS's body: the fields its HTTP callbacks document for each action. */
    String srsBody(String serverId, String serviceId) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "server_id", serverId);
        field(json, "service_id", serviceId);
        field(json, "action", event.srsName());
        field(json, "client_id", Long.toString(connectionId));
        field(json, "ip", remote == null ? "" : remote.getAddress() == null ? remote.getHostString()
                : remote.getAddress().getHostAddress());
        field(json, "vhost", DEFAULT_VHOST);
        field(json, "app", key == null ? "" : key.app());
        if (event != HookEvent.CONNECT && event != HookEvent.CLOSE) {
            field(json, "stream", key == null ? "" : key.name());
            field(json, "param", param());
            field(json, "stream_url", key == null ? "" : "/" + key.path());
            field(json, "stream_id", "");
        }
        if (event != HookEvent.CLOSE) {
            // The client's own tcUrl when it sent one (RTMP), else one made of the scheme and the app.
            field(json, "tcUrl", !tcUrl.isEmpty() ? tcUrl : key == null ? "" : scheme() + "://localhost/" + key.app() + param());
        }
        if (event == HookEvent.PLAY || event == HookEvent.CONNECT) {
            field(json, "pageUrl", "");
        }
        if (event == HookEvent.DVR) {
            field(json, "cwd", root == null ? "" : root.toString());
            field(json, "file", file == null ? "" : file.toString());
        }
        field(json, "protocol", protocol);
        json.setLength(json.length() - 1);
        return json.append('}').toString();
    }

    /**
     * The plain dialect's GET: the URL with the stream, the client, {@code type}, {@code role} and
     * the client's own query parameters.
     *
     * @param url the backend's auth URL
     * @param timeout the request's timeout
     * @param headers headers of the application's
     * @return the request
     */
    HttpRequest plain(URI url, Duration timeout, Map<String, String> headers) {
        StringBuilder q = new StringBuilder(128);
        param(q, "path", "/" + key.path());
        param(q, "app", key.app());
        param(q, "name", key.name());
        param(q, "ip", remote == null ? "" : remote.getAddress() == null ? remote.getHostString()
                : remote.getAddress().getHostAddress());
        param(q, "type", type());
        param(q, "role", event == HookEvent.PUBLISH ? "publisher" : "player");
        param(q, "protocol", protocol);
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (!PLAIN_RESERVED.contains(e.getKey())) {
                param(q, e.getKey(), e.getValue());
            }
        }
        q.setLength(q.length() - 1);
        String base = url.toString();
        String sep = base.indexOf('?') >= 0 ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?";
        return base(URI.create(base + sep + q), timeout, headers).GET().build();
    }

    /** The plain dialect's {@code type}: the family of the client's protocol. */
    String type() {
        String p = protocol.toLowerCase(Locale.ROOT);
        if (p.startsWith("rtmp")) {
            return "rtmp";
        }
        if (p.equals("http-flv") || p.equals("ws-flv") || p.equals("recording")) {
            return "http";
        }
        return p;   // hls, rtsp, srt, webrtc, a module's own
    }

    private String scheme() {
        return type().equals("rtmp") ? "rtmp" : "http";
    }

    /** The client's query as SRS's {@code param}: {@code ?a=b&c=d}, or empty. */
    private String param() {
        if (query.isEmpty()) {
            return "";
        }
        StringBuilder q = new StringBuilder("?");
        for (Map.Entry<String, String> e : query.entrySet()) {
            param(q, e.getKey(), e.getValue());
        }
        q.setLength(q.length() - 1);
        return q.toString();
    }

    private static HttpRequest.Builder base(URI url, Duration timeout, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", "streamkit-webhook");
        headers.forEach(b::header);
        return b;
    }

    private static void param(StringBuilder q, String name, String value) {
        q.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append("\",");
    }
}
