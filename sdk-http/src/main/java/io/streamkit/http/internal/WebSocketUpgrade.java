package io.streamkit.http.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Base64;

/**
 * The router's check of a WebSocket upgrade, made before any mount sees it (RFC 6455, 4.2.1):
 * a mount that takes WebSockets gets only valid upgrades, and an invalid one is refused 400
 * with {@code Sec-WebSocket-Version: 13}, before any auth or subscription.
 */
final class WebSocketUpgrade {
    /** The WebSocket version served: RFC 6455's; 7 and 8 were drafts no browser has sent since 2012. */
    static final String VERSION = "13";
    /** Bytes of a {@code Sec-WebSocket-Key} once base64-decoded (RFC 6455, 4.1). */
    private static final int KEY_BYTES = 16;

    private WebSocketUpgrade() {
    }

    /**
     * Tells whether a request asks for a WebSocket.
     *
     * @param request the request
     * @return whether it has {@code Upgrade: websocket}
     */
    static boolean isUpgrade(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /**
     * Checks a WebSocket upgrade as RFC 6455 (4.2.1) asks a server to: a {@code GET}, with
     * {@code Connection: Upgrade}, {@code Sec-WebSocket-Version: 13} and a
     * {@code Sec-WebSocket-Key} of 16 base64-encoded bytes.
     *
     * @param request a request with {@code Upgrade: websocket}
     * @return what is wrong with it, or {@code null} when it is a valid upgrade
     */
    static String problem(HttpRequest request) {
        if (!request.method().equals(HttpMethod.GET)) {
            return "a WebSocket upgrade must be a GET, not " + request.method();
        }
        if (!request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return "a WebSocket upgrade needs Connection: Upgrade";
        }
        String version = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (version == null) {
            return "a WebSocket upgrade needs Sec-WebSocket-Version";
        }
        if (!version.trim().equals(VERSION)) {
            return "Sec-WebSocket-Version " + (version.length() > 16 ? version.substring(0, 16) + "..." : version)
                    + " is not supported; this server speaks " + VERSION;
        }
        String key = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null) {
            return "a WebSocket upgrade needs Sec-WebSocket-Key";
        }
        try {
            if (key.trim().length() <= 4 * KEY_BYTES
                    && Base64.getDecoder().decode(key.trim()).length == KEY_BYTES) {
                return null;
            }
        } catch (IllegalArgumentException notBase64) {
            // refused below
        }
        return "Sec-WebSocket-Key must be " + KEY_BYTES + " bytes in base64";
    }
}
