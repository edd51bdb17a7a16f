package io.streamkit.webhook.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend's answer to one hook request, read from its status and body: allowed, denied with a
 * reason, or failed (the backend could not answer: no connection, a timeout, a 5xx, nonsense).
 *
 * <p>The body is a peer's bytes: only its first {@value #MAX_READ_BYTES} bytes are read, and a
 * reason is cut to {@value #MAX_REASON_CHARS} printable characters before it reaches a client.
 *
 * @param kind allowed, denied or failed
 * @param reason why not, for the client's refusal and the log; empty when allowed
 */
record HookAnswer(Kind kind, String reason) {
    /** The most of a body that is read: an SRS answer is a digit or a small JSON object. */
    static final int MAX_READ_BYTES = 4096;
    /** The longest reason passed on to a client: a status description, not a page. */
    static final int MAX_REASON_CHARS = 200;

    private static final Pattern CODE = Pattern.compile("\\s*:\\s*(-?\\d{1,9})\\s*[,}]");
    private static final Pattern MESSAGE = Pattern.compile("\"(?:msg|message|reason|error)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** What the backend said. */
    enum Kind {
        /** Go ahead. */
        ALLOW,
        /** Refuse the client. */
        DENY,
        /** The backend did not answer; the failure policy decides. */
        FAILURE
    }

    static final HookAnswer ALLOWED = new HookAnswer(Kind.ALLOW, "");

    static HookAnswer failure(String why) {
        return new HookAnswer(Kind.FAILURE, clean(why));
    }

    /**
     * Reads an answer in SRS's dialect: HTTP 200 with a body of {@code 0} or a JSON object whose
     * {@code code} is 0 allows; another 2xx-4xx answer denies; a 5xx is a failure.
     *
     * @param status the HTTP status
     * @param body the body's bytes (only the first {@value #MAX_READ_BYTES} are looked at)
     * @return the answer
     */
    static HookAnswer srs(int status, byte[] body) {
        String text = text(body);
        if (status >= 500 || status < 100) {
            return failure("hook answered HTTP " + status);
        }
        if (status != 200) {
            return new HookAnswer(Kind.DENY, reason(text, "hook answered HTTP " + status));
        }
        String trimmed = text.strip();
        if (trimmed.equals("0")) {
            return ALLOWED;
        }
        if (trimmed.matches("-?\\d{1,9}")) {
            return new HookAnswer(Kind.DENY, "hook answered code " + trimmed);
        }
        String code = trimmed.startsWith("{") && trimmed.endsWith("}") ? topLevelCode(trimmed) : null;
        if (code != null) {
            return code.equals("0") ? ALLOWED : new HookAnswer(Kind.DENY, reason(trimmed, "hook answered code " + code));
        }
        return new HookAnswer(Kind.DENY, "hook answered neither 0 nor {\"code\":0}");
    }

    /**
     * Reads an answer in the plain dialect: any 2xx allows, a 5xx is a failure, anything else
     * denies with the body's message or first line.
     *
     * @param status the HTTP status
     * @param body the body's bytes
     * @return the answer
     */
    static HookAnswer plain(int status, byte[] body) {
        if (status >= 200 && status < 300) {
            return ALLOWED;
        }
        if (status >= 500 || status < 100) {
            return failure("auth URL answered HTTP " + status);
        }
        return new HookAnswer(Kind.DENY, reason(text(body), "auth URL answered HTTP " + status));
    }

    /**
     * The integer value of the object's own {@code "code"} member (not a nested object's), or
     * {@code null} when it has none or it is not an integer. A scan that tracks strings and depth,
     * linear in the body.
     */
    private static String topLevelCode(String json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                if (depth == 1 && json.startsWith("\"code\"", i)) {
                    Matcher m = CODE.matcher(json).region(i + 6, json.length());
                    if (m.lookingAt()) {
                        return Long.toString(Long.parseLong(m.group(1)));
                    }
                }
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return null;
    }

    private static String text(byte[] body) {
        int n = Math.min(body == null ? 0 : body.length, MAX_READ_BYTES);
        return n == 0 ? "" : new String(body, 0, n, StandardCharsets.UTF_8);
    }

    /** The backend's own words (a JSON message, else the first line of plain text), else the fallback. */
    private static String reason(String text, String fallback) {
        String t = text.strip();
        String found;
        if (t.startsWith("{")) {
            Matcher m = MESSAGE.matcher(t);
            found = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : "";
        } else {
            int eol = t.indexOf('\n');
            found = eol < 0 ? t : t.substring(0, eol);
            if (found.startsWith("<")) {
                found = "";   // an HTML error page says nothing a client should read
            }
        }
        String cleaned = clean(found);
        return cleaned.isEmpty() ? fallback : cleaned;
    }

    /** Printable characters only, at most {@value #MAX_REASON_CHARS}: a reason goes into status lines and logs. */
    static String clean(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_REASON_CHARS));
        for (int i = 0; i < s.length() && out.length() < MAX_REASON_CHARS; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? ' ' : c);
        }
        return out.toString().strip();
    }
}
