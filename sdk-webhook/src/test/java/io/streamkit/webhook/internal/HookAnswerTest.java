package io.streamkit.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.webhook.internal.HookAnswer.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A backend's status and body read in both dialects: what allows, what denies with which reason, what is a failure, and how much of a peer's body is read. */
class HookAnswerTest {
    private static final String NEITHER = "hook answered neither 0 nor {\"code\":0}";

    @ParameterizedTest(name = "srs {0} [{1}]")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        // status; body; kind; reason
        "200; 0; ALLOW; ``",
        "200; ` 0\n`; ALLOW; ``",
        "200; {\"code\":0}; ALLOW; ``",
        "200; {\"code\": 0, \"data\": {}}; ALLOW; ``",
        "200; `{ \"code\" :\t-0 }`; ALLOW; ``",
        "200; 1; DENY; hook answered code 1",
        "200; -1; DENY; hook answered code -1",
        "200; {\"code\":403,\"msg\":\"bad token\"}; DENY; bad token",
        "200; {\"code\":403,\"reason\":\"stream \\\"x\\\" is closed\"}; DENY; stream \"x\" is closed",
        "200; {\"code\":403}; DENY; hook answered code 403",
        "200; {\"code\":1,\"msg\":\"\"}; DENY; hook answered code 1",
        "200; hello; DENY; " + NEITHER,
        "200; ``; DENY; " + NEITHER,
        "200; {\"code\":\"0\"}; DENY; " + NEITHER,
        "200; 00; DENY; hook answered code 00",
        "200; 1234567890; DENY; " + NEITHER,
        "201; ``; DENY; hook answered HTTP 201",
        "403; ``; DENY; hook answered HTTP 403",
        "403; forbidden; DENY; forbidden",
        "404; {\"error\":\"no such app\"}; DENY; no such app",
        "302; ``; DENY; hook answered HTTP 302",
        "500; 0; FAILURE; hook answered HTTP 500",
        "502; {\"code\":0}; FAILURE; hook answered HTTP 502",
        "99; 0; FAILURE; hook answered HTTP 99",
        "-1; 0; FAILURE; hook answered HTTP -1"})
    void srs(int status, String body, Kind kind, String reason) {
        assertEquals(new HookAnswer(kind, reason), HookAnswer.srs(status, utf8(body)));
    }

    @ParameterizedTest(name = "plain {0} [{1}]")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "200; ``; ALLOW; ``",
        "204; ``; ALLOW; ``",
        "200; denied; ALLOW; ``",
        "299; ``; ALLOW; ``",
        "401; ``; DENY; auth URL answered HTTP 401",
        "403; `no token\nsee the docs`; DENY; no token",
        "403; `  expired token \r\nline two`; DENY; expired token",
        "403; {\"msg\":\"expired\"}; DENY; expired",
        "403; {\"code\":403,\"message\":\"not yours\"}; DENY; not yours",
        "403; {\"code\":403}; DENY; auth URL answered HTTP 403",
        "404; ` \n `; DENY; auth URL answered HTTP 404",
        "301; moved; DENY; moved",
        "500; ``; FAILURE; auth URL answered HTTP 500",
        "503; {\"msg\":\"busy\"}; FAILURE; auth URL answered HTTP 503",
        "0; ``; FAILURE; auth URL answered HTTP 0"})
    void plain(int status, String body, Kind kind, String reason) {
        assertEquals(new HookAnswer(kind, reason), HookAnswer.plain(status, utf8(body)));
    }

    @Test
    void aMissingBodyIsAnEmptyOne() {
        assertEquals(HookAnswer.ALLOWED, HookAnswer.plain(200, null));
        assertEquals(new HookAnswer(Kind.DENY, "auth URL answered HTTP 403"), HookAnswer.plain(403, null));
        assertEquals(new HookAnswer(Kind.DENY, NEITHER), HookAnswer.srs(200, null));
        assertEquals(new HookAnswer(Kind.DENY, "hook answered HTTP 401"), HookAnswer.srs(401, new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "`<html><body>Forbidden</body></html>`",
        "`\n  <!DOCTYPE html>\n<html>`",
        "`<h1>403</h1>`"})
    void anHtmlPageGivesTheFallbackReason(String page) {
        assertEquals(new HookAnswer(Kind.DENY, "auth URL answered HTTP 403"), HookAnswer.plain(403, utf8(page)));
        assertEquals(new HookAnswer(Kind.DENY, "hook answered HTTP 403"), HookAnswer.srs(403, utf8(page)));
    }

    @Test
    void aLongReasonIsCutToTheLimit() {
        String line = "x".repeat(1000);
        HookAnswer plainText = HookAnswer.plain(403, utf8(line + "\nmore"));
        assertEquals(new HookAnswer(Kind.DENY, "x".repeat(HookAnswer.MAX_REASON_CHARS)), plainText);

        String message = "m".repeat(300);
        HookAnswer json = HookAnswer.srs(200, utf8("{\"code\":1,\"msg\":\"" + message + "\"}"));
        assertEquals(new HookAnswer(Kind.DENY, "m".repeat(HookAnswer.MAX_REASON_CHARS)), json);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "`bad\ttoken`; bad token",
        "`a\u0000b\u0007c\u001bd\u007fe`; a b c d e",
        "`\u0001\u0002 gone \u0003`; gone"})
    void controlCharactersBecomeSpaces(String body, String reason) {
        assertEquals(new HookAnswer(Kind.DENY, reason), HookAnswer.plain(403, utf8(body)));
        String json = "{\"code\":1,\"msg\":\"" + body + "\"}";
        assertEquals(new HookAnswer(Kind.DENY, reason), HookAnswer.srs(200, utf8(json)));
    }

    @Test
    void aFailureReasonIsCleanedToo() {
        HookAnswer failure = HookAnswer.failure("connect\r\nrefused " + "y".repeat(500));
        assertEquals(Kind.FAILURE, failure.kind());
        assertEquals(HookAnswer.MAX_REASON_CHARS, failure.reason().length());
        assertTrue(failure.reason().startsWith("connect  refused yyy"), failure.reason());
    }

    @Test
    void onlyTheFirstBytesOfAHugeBodyAreRead() {
        // 1 MiB of blanks, then an approval: past MAX_READ_BYTES, so it is never seen
        byte[] body = new byte[1 << 20];
        Arrays.fill(body, (byte) ' ');
        byte[] approval = utf8("{\"code\":0}");
        System.arraycopy(approval, 0, body, body.length - approval.length, approval.length);
        assertEquals(new HookAnswer(Kind.DENY, NEITHER), HookAnswer.srs(200, body));

        // the same approval just inside the limit is seen
        Arrays.fill(body, (byte) ' ');
        System.arraycopy(approval, 0, body, HookAnswer.MAX_READ_BYTES - approval.length, approval.length);
        assertEquals(HookAnswer.ALLOWED, HookAnswer.srs(200, body));

        // an object cut by the limit is no answer: denied as neither 0 nor {"code":0}
        Arrays.fill(body, (byte) ' ');
        byte[] code = utf8("{\"code\":7,");
        System.arraycopy(code, 0, body, 0, code.length);
        byte[] message = utf8("\"msg\":\"" + "z".repeat(30) + "\"}");
        System.arraycopy(message, 0, body, HookAnswer.MAX_READ_BYTES - 20, message.length);
        assertEquals(new HookAnswer(Kind.DENY, NEITHER), HookAnswer.srs(200, body));
        System.arraycopy(message, 0, body, HookAnswer.MAX_READ_BYTES - message.length, message.length);
        assertEquals(new HookAnswer(Kind.DENY, "z".repeat(30)), HookAnswer.srs(200, body), "the whole message inside the limit");

        // one huge line of text: its first MAX_REASON_CHARS
        Arrays.fill(body, (byte) 'q');
        assertEquals(new HookAnswer(Kind.DENY, "q".repeat(HookAnswer.MAX_REASON_CHARS)), HookAnswer.plain(403, body));
    }

    @Test
    void aMultiByteCharacterCutAtTheLimitDoesNotThrow() {
        byte[] euro = utf8("\u20ac");
        byte[] body = new byte[HookAnswer.MAX_READ_BYTES + 2];
        for (int i = 0; i + 3 <= body.length; i += 3) {
            System.arraycopy(euro, 0, body, i, 3);
        }
        HookAnswer answer = HookAnswer.plain(403, body);
        assertEquals(Kind.DENY, answer.kind());
        assertEquals("\u20ac".repeat(HookAnswer.MAX_REASON_CHARS), answer.reason());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheObjectsOwnCodeCountsAndOnlyAsAnInteger() {
        assertEquals(new HookAnswer(Kind.DENY, "hook answered code 403"),
                HookAnswer.srs(200, utf8("{\"data\":{\"code\":0},\"code\":403}")));
        assertEquals(HookAnswer.ALLOWED, HookAnswer.srs(200, utf8("{\"msg\":\"code\",\"data\":[{\"code\":1}],\"code\": 0 }")));
        assertEquals(new HookAnswer(Kind.DENY, NEITHER), HookAnswer.srs(200, utf8("{\"code\":0.5}")));
        assertEquals(new HookAnswer(Kind.DENY, NEITHER), HookAnswer.srs(200, utf8("{\"code\":0")));
        String longMessage = "m".repeat(500);
        assertEquals(new HookAnswer(Kind.DENY, "m".repeat(HookAnswer.MAX_REASON_CHARS)),
                HookAnswer.srs(200, utf8("{\"code\":1,\"msg\":\"" + longMessage + "\"}")));
    }
}
