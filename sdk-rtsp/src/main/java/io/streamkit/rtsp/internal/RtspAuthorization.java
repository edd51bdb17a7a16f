package io.streamkit.rtsp.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The client's answer to a {@code WWW-Authenticate} challenge (RFC 2326 refers to HTTP's, RFC 2617):
 * Digest with MD5, with or without {@code qop=auth}, preferred over Basic when a server offers
 * both, as IP cameras do.
 */
final class RtspAuthorization {
    /** The longest challenge read. */
    static final int MAX_CHALLENGE_LENGTH = 2_048;

    private final String user;
    private final String password;
    private final Map<String, String> digest;   // the challenge's parameters, or null for Basic
    private int nonceCount;

    private RtspAuthorization(String user, String password, Map<String, String> digest) {
        this.user = user;
        this.password = password;
        this.digest = digest;
    }

    /**
     * Reads a server's challenges.
     *
     * @param challenges the {@code WWW-Authenticate} header values
     * @param user the user
     * @param password the password
     * @return the authorization to send, or {@code null} when no challenge is one this client answers
     */
    static RtspAuthorization of(Iterable<String> challenges, String user, String password) {
        RtspAuthorization basic = null;
        for (String c : challenges) {
            if (c == null || c.length() > MAX_CHALLENGE_LENGTH) {
                continue;
            }
            String lower = c.trim().toLowerCase(Locale.ROOT);
            if (lower.startsWith("digest ")) {
                Map<String, String> p = parameters(c.trim().substring(7));
                String algorithm = p.getOrDefault("algorithm", "MD5");
                String qop = p.get("qop");
                if (p.containsKey("realm") && p.containsKey("nonce") && algorithm.equalsIgnoreCase("MD5")
                        && (qop == null || qop.toLowerCase(Locale.ROOT).contains("auth"))) {
                    return new RtspAuthorization(user, password, p);
                }
            } else if (lower.startsWith("basic")) {
                basic = new RtspAuthorization(user, password, null);
            }
        }
        return basic;
    }

    /**
     * Makes the {@code Authorization} header of a request.
     *
     * @param method the request's method
     * @param uri the request's URL
     * @return the header's value
     */
    String header(String method, String uri) {
        if (digest == null) {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        String realm = digest.get("realm");
        String nonce = digest.get("nonce");
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        StringBuilder h = new StringBuilder("Digest username=\"").append(user).append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(uri).append('"');
        String qop = digest.get("qop");
        if (qop != null) {
            String nc = String.format(Locale.ROOT, "%08x", ++nonceCount);
            String cnonce = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
            h.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append("\", response=\"")
                    .append(md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)).append('"');
        } else {
            h.append(", response=\"").append(md5(ha1 + ":" + nonce + ":" + ha2)).append('"');
        }
        if (digest.containsKey("opaque")) {
            h.append(", opaque=\"").append(digest.get("opaque")).append('"');
        }
        return h.toString();
    }

    /** RFC 2617's response with a given client nonce, for tests against its example. */
    static String response(String user, String password, String realm, String nonce, String method, String uri,
                           String nc, String cnonce) {
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        return md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
    }

    static Map<String, String> parameters(String s) {
        Map<String, String> p = new HashMap<>();
        int i = 0;
        while (i < s.length() && p.size() < 16) {
            while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = s.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            String value;
            if (eq + 1 < s.length() && s.charAt(eq + 1) == '"') {
                int end = s.indexOf('"', eq + 2);
                if (end < 0) {
                    break;
                }
                value = s.substring(eq + 2, end);
                i = end + 1;
            } else {
                int end = s.indexOf(',', eq + 1);
                value = s.substring(eq + 1, end < 0 ? s.length() : end).trim();
                i = end < 0 ? s.length() : end + 1;
            }
            p.put(name, value);
        }
        return p;
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
