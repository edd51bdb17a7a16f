package io.streamkit.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.stream.StreamKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A signed token is good for its stream and action until its expiry, and any other token, stream, action or time is refused with a reason. */
class StreamTokensTest {
    private static final byte[] SECRET = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final StreamKey CAM1 = StreamKey.of("live", "cam1");
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Instant EXPIRY = NOW.plusSeconds(3600);
    private static final StreamTokens TOKENS = StreamTokens.hmacSha256(SECRET).withClock(at(NOW));

    @Test
    void aSignedTokenVerifies() {
        String token = TOKENS.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY);
        assertTrue(token.matches(EXPIRY.getEpochSecond() + "\\.[A-Za-z0-9_-]{43}"), token);
        assertTrue(token.length() <= StreamTokens.MAX_TOKEN_CHARS);
        assertNull(TOKENS.refusal(token, CAM1, AuthRequest.Action.PLAY));
        assertTrue(TOKENS.verify(token, CAM1, AuthRequest.Action.PLAY));
        assertEquals(token, TOKENS.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY), "signing is deterministic");
        assertTrue(StreamTokens.hmacSha256(SECRET.clone()).withClock(at(NOW)).verify(token, CAM1, AuthRequest.Action.PLAY),
                "another instance with the same secret");
    }

    @Test
    void aTokenIsForItsStreamActionAndSecret() {
        String token = TOKENS.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY);
        assertEquals("token signature does not match live/cam2 and play",
                TOKENS.refusal(token, StreamKey.of("live", "cam2"), AuthRequest.Action.PLAY));
        assertEquals("token signature does not match other/cam1 and play",
                TOKENS.refusal(token, StreamKey.of("other", "cam1"), AuthRequest.Action.PLAY));
        assertEquals("token signature does not match live/cam1 and publish",
                TOKENS.refusal(token, CAM1, AuthRequest.Action.PUBLISH));
        StreamTokens other = StreamTokens.hmacSha256("fedcba9876543210".getBytes(StandardCharsets.US_ASCII)).withClock(at(NOW));
        assertFalse(other.verify(token, CAM1, AuthRequest.Action.PLAY));
        assertNotEquals(token, other.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY));
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = TOKENS.sign(CAM1, AuthRequest.Action.PUBLISH, EXPIRY);
        int dot = token.indexOf('.');
        String signature = token.substring(dot + 1);
        char last = signature.charAt(signature.length() - 1);
        String flipped = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        String mismatch = "token signature does not match live/cam1 and publish";
        assertEquals(mismatch, TOKENS.refusal(flipped, CAM1, AuthRequest.Action.PUBLISH));
        assertEquals(mismatch, TOKENS.refusal((EXPIRY.getEpochSecond() + 86_400) + "." + signature, CAM1,
                AuthRequest.Action.PUBLISH), "a later expiry under the old signature");
        assertEquals(mismatch, TOKENS.refusal(token.substring(0, token.length() - 1), CAM1, AuthRequest.Action.PUBLISH));
        assertEquals(mismatch, TOKENS.refusal(token + "A", CAM1, AuthRequest.Action.PUBLISH));
        assertEquals(mismatch, TOKENS.refusal(token.substring(0, dot + 1), CAM1, AuthRequest.Action.PUBLISH));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "``; no token",
        "abc; token is not expiry.signature",
        "123; token is not expiry.signature",
        ".x; token is not expiry.signature",
        "x.y; token is not expiry.signature",
        "12a.x; token is not expiry.signature",
        "99999999999999999999.x; token is not expiry.signature",
        "123.x; token signature does not match live/cam1 and play"})
    void aMalformedTokenIsRefusedWithAReason(String token, String reason) {
        assertEquals(reason, TOKENS.refusal(token, CAM1, AuthRequest.Action.PLAY));
        assertFalse(TOKENS.verify(token, CAM1, AuthRequest.Action.PLAY));
    }

    @Test
    void aMissingTokenIsRefused() {
        assertEquals("no token", TOKENS.refusal(null, CAM1, AuthRequest.Action.PLAY));
        assertFalse(TOKENS.verify(null, CAM1, AuthRequest.Action.PLAY));
    }

    @Test
    void aTokenOverTheLimitIsRefusedUnread() {
        String good = TOKENS.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY);
        String tooLong = good + "x".repeat(StreamTokens.MAX_TOKEN_CHARS + 1 - good.length());
        assertEquals(StreamTokens.MAX_TOKEN_CHARS + 1, tooLong.length());
        assertEquals("token longer than " + StreamTokens.MAX_TOKEN_CHARS + " characters",
                TOKENS.refusal(tooLong, CAM1, AuthRequest.Action.PLAY));
        String atLimit = tooLong.substring(0, StreamTokens.MAX_TOKEN_CHARS);
        assertEquals("token signature does not match live/cam1 and play", TOKENS.refusal(atLimit, CAM1, AuthRequest.Action.PLAY),
                "a token at the limit is read");
        assertEquals("token longer than " + StreamTokens.MAX_TOKEN_CHARS + " characters",
                TOKENS.refusal("9".repeat(1 << 20), CAM1, AuthRequest.Action.PLAY));
    }

    @Test
    void expiryIsCheckedAgainstTheClock() {
        String token = TOKENS.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY);
        assertNull(StreamTokens.hmacSha256(SECRET).withClock(at(EXPIRY.minusSeconds(1))).refusal(token, CAM1, AuthRequest.Action.PLAY));
        assertNull(StreamTokens.hmacSha256(SECRET).withClock(at(EXPIRY)).refusal(token, CAM1, AuthRequest.Action.PLAY),
                "good through its expiry second");
        assertNull(StreamTokens.hmacSha256(SECRET).withClock(at(EXPIRY.plusMillis(999))).refusal(token, CAM1, AuthRequest.Action.PLAY),
                "second precision");
        assertEquals("token expired",
                StreamTokens.hmacSha256(SECRET).withClock(at(EXPIRY.plusSeconds(1))).refusal(token, CAM1, AuthRequest.Action.PLAY));
        assertEquals("token expired",
                StreamTokens.hmacSha256(SECRET).withClock(at(EXPIRY.plusSeconds(86_400))).refusal(token, CAM1, AuthRequest.Action.PLAY));
    }

    @Test
    void anExpiryIsSignedToTheSecond() {
        String token = TOKENS.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY.plusMillis(750));
        assertEquals(TOKENS.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY), token);
    }

    @Test
    void withClockKeepsTheSecret() {
        StreamTokens later = TOKENS.withClock(at(EXPIRY.plusSeconds(1)));
        String token = TOKENS.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY);
        assertEquals(token, later.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY));
        assertEquals("token expired", later.refusal(token, CAM1, AuthRequest.Action.PLAY));
        assertThrows(NullPointerException.class, () -> TOKENS.withClock(null));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15})
    void aShortSecretIsRefused(int length) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamTokens.hmacSha256(new byte[length]));
        assertEquals("secret of " + length + " bytes is shorter than " + StreamTokens.MIN_SECRET_BYTES, e.getMessage());
    }

    @Test
    void theSecretIsCopied() {
        byte[] secret = SECRET.clone();
        StreamTokens tokens = StreamTokens.hmacSha256(secret).withClock(at(NOW));
        String token = tokens.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY);
        secret[0] ^= 1;
        assertTrue(tokens.verify(token, CAM1, AuthRequest.Action.PLAY));
        assertTrue(StreamTokens.hmacSha256(new byte[StreamTokens.MIN_SECRET_BYTES]).verify(
                StreamTokens.hmacSha256(new byte[StreamTokens.MIN_SECRET_BYTES]).sign(CAM1, AuthRequest.Action.PUBLISH, Instant.now().plusSeconds(60)),
                CAM1, AuthRequest.Action.PUBLISH), "a secret of exactly the minimum, on the system clock");
        assertThrows(NullPointerException.class, () -> StreamTokens.hmacSha256(null));
    }

    @Test
    void theHandlerAllowsAGoodTokenAndDeniesWithTheReason() {
        AuthHandler handler = TOKENS.handler("token");
        String play = TOKENS.sign(CAM1, AuthRequest.Action.PLAY, EXPIRY);
        assertEquals(AuthResult.allow(), decide(handler, AuthRequest.builder(AuthRequest.Action.PLAY, CAM1)
                .query(Map.of("token", play)).build()));
        assertEquals(AuthResult.deny("no token"), decide(handler, AuthRequest.builder(AuthRequest.Action.PLAY, CAM1).build()));
        assertEquals(AuthResult.deny("no token"), decide(handler, AuthRequest.builder(AuthRequest.Action.PLAY, CAM1)
                .query(Map.of("t", play)).build()));
        assertEquals(AuthResult.deny("token signature does not match live/cam1 and publish"),
                decide(handler, AuthRequest.builder(AuthRequest.Action.PUBLISH, CAM1).query(Map.of("token", play)).build()));
        assertEquals(AuthResult.deny("token signature does not match live/cam2 and play"),
                decide(handler, AuthRequest.builder(AuthRequest.Action.PLAY, StreamKey.of("live", "cam2"))
                        .query(Map.of("token", play)).build()));
        assertEquals(AuthResult.deny("token is not expiry.signature"), decide(handler, AuthRequest.builder(AuthRequest.Action.PLAY, CAM1)
                .query(Map.of("token", "abc")).build()));
        assertEquals(AuthResult.deny("token expired"), decide(TOKENS.withClock(at(EXPIRY.plusSeconds(1))).handler("token"),
                AuthRequest.builder(AuthRequest.Action.PLAY, CAM1).query(Map.of("token", play)).build()));
        assertEquals(AuthResult.allow(), decide(TOKENS.handler("sig"), AuthRequest.builder(AuthRequest.Action.PLAY, CAM1)
                .query(Map.of("sig", play, "token", "abc")).build()), "the parameter named");
        assertThrows(NullPointerException.class, () -> TOKENS.handler(null));
    }

    @ParameterizedTest(name = "[{0}] [{1}]")
    @CsvSource(delimiter = ';', quoteCharacter = '`', nullValues = "NULL", value = {
        "abc; abc; true",
        "``; ``; true",
        "caf\u00e9; caf\u00e9; true",
        "abc; abd; false",
        "abc; ab; false",
        "ab; abc; false",
        "abc; ABC; false",
        "``; a; false",
        "NULL; abc; false",
        "abc; NULL; false",
        "NULL; NULL; false",
        "NULL; ``; false"})
    void constantTimeEquals(String a, String b, boolean equal) {
        assertEquals(equal, StreamTokens.constantTimeEquals(a, b));
        assertEquals(equal, StreamTokens.constantTimeEquals(b, a), "symmetric");
    }

    private static AuthResult decide(AuthHandler handler, AuthRequest request) {
        return handler.authorize(request).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
