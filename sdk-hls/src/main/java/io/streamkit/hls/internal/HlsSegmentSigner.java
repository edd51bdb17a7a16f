package io.streamkit.hls.internal;

import io.streamkit.stream.StreamKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs each segment's URI once, when the segment is made, and checks the signature of a
 * segment request.
 *
 * <p>A segment's URI, relative to its playlist, is {@code {name}/{seq}.ts?e={expiry}&s={signature}}:
 * {@code expiry} is the segment's creation in epoch seconds plus {@code sessionTtl}, and
 * {@code signature} the first 128 bits, in hex, of HMAC-SHA256 over the stream's path, the
 * sequence number and the expiry under a per-server secret. A signature is good for one
 * segment of one stream, and the URI never changes while the segment is listed (RFC 8216
 * 6.2.1), so every player and every cache in between fetches the same URI.
 *
 * <p>Thread-safe: immutable, a {@link Mac} per call.
 */
final class HlsSegmentSigner {
    private final byte[] secret;
    private final Clock clock;
    private final long ttlSeconds;

    /**
     * Creates a signer.
     *
     * @param secret the HMAC key, kept (not copied)
     * @param clock the wall clock, which a test may set
     * @param ttl how long a URI stays valid from its segment's creation
     */
    HlsSegmentSigner(byte[] secret, Clock clock, Duration ttl) {
        this.secret = secret;
        this.clock = clock;
        this.ttlSeconds = ttl.toSeconds();
    }

    /**
     * Signs a new segment.
     *
     * @param key its stream
     * @param sequence its media sequence number
     * @return its URI relative to the playlist, with expiry and signature
     */
    String uri(StreamKey key, long sequence) {
        long expiry = clock.millis() / 1000 + ttlSeconds;
        return key.name() + "/" + sequence + ".ts?e=" + expiry + "&s=" + sign(key, sequence, expiry);
    }

    /**
     * Checks a segment request's {@code e} and {@code s} parameters.
     *
     * @param key the requested stream
     * @param sequence the requested segment
     * @param query the request's query parameters
     * @return {@code null} when the signature is good and not expired, else why not, for a 403
     */
    String refusal(StreamKey key, long sequence, Map<String, String> query) {
        long expiry;
        try {
            expiry = Long.parseLong(query.getOrDefault("e", ""));
        } catch (NumberFormatException e) {
            return "segment URL is not signed; fetch it through the playlist";
        }
        String signature = query.getOrDefault("s", "");
        if (!MessageDigest.isEqual(sign(key, sequence, expiry).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return "segment signature does not match; fetch it through the playlist";
        }
        if (expiry < clock.millis() / 1000) {
            return "segment URL expired; reload the playlist";
        }
        return null;
    }

    private String sign(StreamKey key, long sequence, long expiry) {
        return HexFormat.of().formatHex(hmac(secret, key.path() + "|" + sequence + "|" + expiry), 0, 16);
    }

    /** HMAC-SHA256 of a message under a key: the signatures of segment URLs and of viewer sessions. */
    static byte[] hmac(byte[] secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
