package io.streamkit.hook;

import io.streamkit.stream.StreamKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring tokens for a stream and a role, for an application's {@link AuthHandler}: the
 * application hands {@code ?token=...} to a publisher or viewer, and the server checks it without
 * a database. Like nginx's {@code secure_link} and SRS's token auth, but with HMAC-SHA256.
 *
 * <pre>{@code
 * StreamTokens tokens = StreamTokens.hmacSha256(secret);
 * String t = tokens.sign(StreamKey.of("live", "cam1"), AuthRequest.Action.PLAY, Instant.now().plusSeconds(3600));
 * MediaServer.builder().onPlay(tokens.handler("token")) ...   // rtmp://host/live/cam1?token=t, /live/cam1.m3u8?token=t
 * }</pre>
 *
 * <p>A token is {@code {expiry}.{signature}}: the expiry in epoch seconds, and the base64url HMAC-SHA256,
 * under the secret, of the action, the stream's path and the expiry. It is good for one stream and
 * one action until it expires. Checks compare signatures in constant time. Thread-safe.
 */
public final class StreamTokens {
    /** The shortest secret accepted, in bytes: 128 bits, the strength of the truncated signatures of peers. */
    public static final int MIN_SECRET_BYTES = 16;
    /** The longest token parsed, in characters: an expiry and a signature are 55; longer input is refused unread. */
    public static final int MAX_TOKEN_CHARS = 128;

    private final byte[] secret;
    private final Clock clock;

    private StreamTokens(byte[] secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    /**
     * Creates tokens signed with HMAC-SHA256.
     *
     * @param secret the key, at least {@value #MIN_SECRET_BYTES} bytes; copied
     * @return the tokens, on the system clock
     * @throws IllegalArgumentException when the secret is shorter
     */
    public static StreamTokens hmacSha256(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("secret of " + secret.length + " bytes is shorter than "
                    + MIN_SECRET_BYTES);
        }
        return new StreamTokens(secret.clone(), Clock.systemUTC());
    }

    /**
     * Returns these tokens on another clock, for tests.
     *
     * @param clock the clock expiries are checked against
     * @return tokens with the same secret
     */
    public StreamTokens withClock(Clock clock) {
        return new StreamTokens(secret, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Signs a token.
     *
     * @param key the stream
     * @param action publish or play
     * @param expiry when it stops being good (second precision)
     * @return the token, URL-safe
     */
    public String sign(StreamKey key, AuthRequest.Action action, Instant expiry) {
        long seconds = expiry.getEpochSecond();
        return seconds + "." + signature(key, action, seconds);
    }

    /**
     * Checks a token.
     *
     * @param token the token the client sent, or {@code null}
     * @param key the stream it asks for
     * @param action what it asks to do
     * @return {@code null} when the token is good, else why not (for the refusal)
     */
    public String refusal(String token, StreamKey key, AuthRequest.Action action) {
        if (token == null || token.isEmpty()) {
            return "no token";
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return "token longer than " + MAX_TOKEN_CHARS + " characters";
        }
        int dot = token.indexOf('.');
        long expiry;
        try {
            String digits = dot < 0 ? "" : token.substring(0, dot);
            if (!digits.matches("[1-9][0-9]{0,18}")) {   // one spelling per expiry: no sign, no leading zero
                throw new NumberFormatException(digits);
            }
            expiry = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return "token is not expiry.signature";
        }
        byte[] expected = signature(key, action, expiry).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return "token signature does not match " + key + " and " + action.name().toLowerCase(java.util.Locale.ROOT);
        }
        if (expiry < clock.instant().getEpochSecond()) {
            return "token expired";
        }
        return null;
    }

    /**
     * Returns whether a token is good for a stream and an action now.
     *
     * @param token the token, or {@code null}
     * @param key the stream
     * @param action publish or play
     * @return whether it is signed for them and not expired
     */
    public boolean verify(String token, StreamKey key, AuthRequest.Action action) {
        return refusal(token, key, action) == null;
    }

    /**
     * Returns an auth handler that allows a request whose query parameter {@code param} holds a
     * good token for its stream and action, and denies any other with the reason.
     *
     * @param param the query parameter, for example {@code "token"}
     * @return the handler; it answers at once
     */
    public AuthHandler handler(String param) {
        Objects.requireNonNull(param, "param");
        return request -> {
            String why = refusal(request.param(param), request.key(), request.action());
            return CompletableFuture.completedFuture(why == null ? AuthResult.allow() : AuthResult.deny(why));
        };
    }

    /**
     * Compares two strings in time that depends on their lengths only, for secrets an
     * application checks itself.
     *
     * @param a one, or {@code null}
     * @param b the other, or {@code null}
     * @return whether both are non-null and equal
     */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private String signature(StreamKey key, AuthRequest.Action action, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal((action.name() + "|" + key.path() + "|" + expiry).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
