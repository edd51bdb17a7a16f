package io.streamkit.hook;

import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * A publish or play request as the application's {@link AuthHandler} sees it.
 *
 * @param action publish or play
 * @param key the stream
 * @param query the query parameters from the URL or stream name ({@code ?token=...}); the first
 *     value of each name, unmodifiable
 * @param remoteAddress the client's address, or {@code null} for application code
 * @param protocol the protocol, for example {@code "rtmp"} or {@code "http-flv"}
 */
public record AuthRequest(Action action, StreamKey key, Map<String, String> query,
                          InetSocketAddress remoteAddress, String protocol) {

    /** What the client asks to do. */
    public enum Action {
        /** Send a stream in. */
        PUBLISH,
        /** Receive a stream. */
        PLAY
    }

    /**
     * Checks the components and freezes the query.
     * @param action publish or play
     * @param key the stream
     * @param query query parameters, first value per name; {@code null} for none
     * @param remoteAddress the client's address, or {@code null}
     * @param protocol the protocol name
     */
    public AuthRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(protocol, "protocol");
        query = query == null ? Map.of() : Map.copyOf(query);
    }

    /**
     * Returns one query parameter.
     *
     * @param name the parameter's name
     * @return its first value, or {@code null} if absent
     */
    public String param(String name) {
        return query.get(name);
    }
}
