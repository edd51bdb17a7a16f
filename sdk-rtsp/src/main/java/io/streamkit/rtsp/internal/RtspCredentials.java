package io.streamkit.rtsp.internal;

import io.streamkit.hook.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * A client's {@code Authorization} header as the application's auth callbacks see it
 * ({@link Credentials}): Basic, or Digest with MD5 against this connection's nonce (RFC 2617).
 * The server challenges with both when a callback denies a request ({@link #challenges}).
 */
final class RtspCredentials implements Credentials {
    /** The realm of the server's challenges. */
    static final String REALM = "Streamkit";
    /** The longest {@code Authorization} header read. */
    static final int MAX_LENGTH = 2_048;

    private final String user;
    private final String scheme;
    private final String basicPassword;
    private final Map<String, String> digest;
    private final String method;
    private final String nonce;

    private RtspCredentials(String user, String scheme, String basicPassword, Map<String, String> digest, String method,
                            String nonce) {
        this.user = user;
        this.scheme = scheme;
        this.basicPassword = basicPassword;
        this.digest = digest;
        this.method = method;
        this.nonce = nonce;
    }

    /**
     * Reads an {@code Authorization} header.
     *
     * @param header the header, or {@code null}
     * @param method the request's method
     * @param nonce this connection's nonce, which a Digest answer must carry
     * @return the credentials, or {@code null} when there are none or they cannot be read
     */
    static Credentials parse(String header, String method, String nonce) {
        if (header == null || header.length() > MAX_LENGTH) {
            return null;
        }
        String h = header.trim();
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("basic ")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new RtspCredentials(decoded.substring(0, colon), "basic",
                    decoded.substring(colon + 1), null, method, nonce);
        }
        if (lower.startsWith("digest ")) {
            Map<String, String> p = RtspAuthorization.parameters(h.substring(7));
            if (p.get("username") == null || p.get("response") == null || p.get("uri") == null) {
                return null;
            }
            return new RtspCredentials(p.get("username"), "digest", null, p, method, nonce);
        }
        return null;
    }

    /**
     * The {@code WWW-Authenticate} headers of a 401: Digest, which clients prefer, and Basic.
     *
     * @param nonce this connection's nonce
     * @return the two headers' values
     */
    static String[] challenges(String nonce) {
        return new String[] {"Digest realm=\"" + REALM + "\", nonce=\"" + nonce + "\"", "Basic realm=\"" + REALM + "\""};
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public boolean verify(String password) {
        if (password == null) {
            return false;
        }
        if (digest == null) {
            return MessageDigest.isEqual(basicPassword.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
        }
        if (!nonce.equals(digest.get("nonce")) || !REALM.equals(digest.get("realm"))) {
            return false;   // an answer to another challenge
        }
        String ha1 = RtspAuthorization.md5(user + ":" + REALM + ":" + password);
        String ha2 = RtspAuthorization.md5(method + ":" + digest.get("uri"));
        String qop = digest.get("qop");
        String expected = qop == null ? RtspAuthorization.md5(ha1 + ":" + nonce + ":" + ha2)
                : RtspAuthorization.md5(ha1 + ":" + nonce + ":" + digest.getOrDefault("nc", "") + ":"
                        + digest.getOrDefault("cnonce", "") + ":" + qop + ":" + ha2);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                digest.get("response").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return scheme + " credentials of " + user;
    }
}
