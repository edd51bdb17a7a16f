package io.streamkit.http.internal;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The port's API token, checked in constant time: both sides hashed with SHA-256, then
 * compared with {@link MessageDigest#isEqual}, so neither the token's content nor its length
 * leaks through timing. Shared by the JSON API and the mounts that offer API calls.
 */
final class ApiToken {
    /** The refusal when no token is configured. */
    static final String OFF = "mutating API calls are off: set HttpConfig apiToken";

    private final byte[] hash;

    /**
     * Creates the check.
     *
     * @param token the configured token, or {@code null} when calls that need one are off
     */
    ApiToken(String token) {
        this.hash = token == null ? null : sha256(token);
    }

    /** Whether a token is configured: a refusal is then 401, else 403. */
    boolean configured() {
        return hash != null;
    }

    /**
     * Tells why a request's {@code Authorization: Bearer} token does not pass.
     *
     * @param request the request
     * @return the reason, or {@code null} when the token is right
     */
    String refusal(FullHttpRequest request) {
        if (hash == null) {
            return OFF;
        }
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (given == null) {
            return "this call needs Authorization: Bearer <apiToken>";
        }
        return MessageDigest.isEqual(sha256(given), hash) ? null : "wrong API token";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
