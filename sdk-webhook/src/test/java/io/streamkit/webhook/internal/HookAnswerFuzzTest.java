package io.streamkit.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes {@link HookAnswer#srs} and {@link HookAnswer#plain} on any status and body a backend (or
 * whatever answers on its port) sends.
 * Properties: no exception; a reason is at most {@value HookAnswer#MAX_REASON_CHARS} characters
 * with no control character, DEL or surrogate (it goes into a client's status line and the log);
 * an approval has no reason and comes from a 200 (SRS) or a 2xx (plain); a 5xx is a failure;
 * nothing past the first {@value HookAnswer#MAX_READ_BYTES} bytes changes the answer.
 * Input: an int for the status (the last four bytes, little-endian: {@code c8 00 00 00} is 200),
 * then the body's bytes (all the rest).
 */
class HookAnswerFuzzTest {
    @FuzzTest
    void read(FuzzedDataProvider data) {
        int status = data.consumeInt();
        byte[] body = data.consumeRemainingAsBytes();
        byte[] read = Arrays.copyOf(body, Math.min(body.length, HookAnswer.MAX_READ_BYTES));

        HookAnswer srs = HookAnswer.srs(status, body);
        check(srs, status, status == 200);
        assertEquals(srs, HookAnswer.srs(status, read), "SRS answer to HTTP " + status + " looked past the bytes read");

        HookAnswer plain = HookAnswer.plain(status, body);
        check(plain, status, status >= 200 && status < 300);
        assertEquals(plain, HookAnswer.plain(status, read), "plain answer to HTTP " + status + " looked past the bytes read");
    }

    private static void check(HookAnswer answer, int status, boolean mayAllow) {
        assertNotNull(answer.kind());
        String reason = answer.reason();
        assertNotNull(reason);
        assertTrue(reason.length() <= HookAnswer.MAX_REASON_CHARS, reason.length() + " characters: " + reason);
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            assertTrue(c >= 0x20 && c != 0x7f && !Character.isSurrogate(c),
                    "character " + (int) c + " at " + i + " of the reason to HTTP " + status);
        }
        if (answer.kind() == HookAnswer.Kind.ALLOW) {
            assertTrue(mayAllow, "HTTP " + status + " allowed");
            assertEquals("", reason);
        } else {
            assertFalse(reason.isEmpty(), "a " + answer.kind() + " without a reason");
        }
        if (status >= 500) {
            assertEquals(HookAnswer.Kind.FAILURE, answer.kind(), "HTTP " + status);
        }
    }
}
