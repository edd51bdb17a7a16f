package io.streamkit.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An application {@link HttpRoute}'s answer: status, content type, extra headers and body.
 * Immutable; {@link #header(String, String)} returns a copy with one more header.
 *
 * <p>The server adds {@code Content-Length}, the CORS and cache headers every response on the
 * port carries, and drops the body of a reply to {@code HEAD}.
 */
public final class HttpReply {
    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final String contentType;
    private final Map<String, String> headers;
    private final byte[] body;

    private HttpReply(int status, String contentType, Map<String, String> headers, byte[] body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status " + status + " outside 100-599");
        }
        this.status = status;
        this.contentType = contentType;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Creates a reply with a body.
     *
     * @param status the HTTP status, 100 to 599
     * @param contentType the media type, for example {@code application/octet-stream}
     * @param body the bytes; kept, not copied
     * @return the reply
     */
    public static HttpReply of(int status, String contentType, byte[] body) {
        return new HttpReply(status, Objects.requireNonNull(contentType, "contentType"), Map.of(),
                Objects.requireNonNull(body, "body"));
    }

    /**
     * Creates a reply without a body, such as 204 or a redirect with {@link #header}.
     *
     * @param status the HTTP status, 100 to 599
     * @return the reply
     */
    public static HttpReply status(int status) {
        return new HttpReply(status, null, Map.of(), EMPTY);
    }

    /**
     * Creates a plain-text reply.
     *
     * @param status the HTTP status, 100 to 599
     * @param text the body, sent as UTF-8
     * @return the reply, {@code text/plain; charset=utf-8}
     */
    public static HttpReply text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Creates a JSON reply from JSON the application wrote.
     *
     * @param status the HTTP status, 100 to 599
     * @param json the body, sent as UTF-8 and not checked
     * @return the reply, {@code application/json}
     */
    public static HttpReply json(int status, String json) {
        return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns a copy with one more header, replacing one of the same name.
     *
     * @param name the header name; not {@code Content-Length}, which the server sets
     * @param value its value, without CR or LF
     * @return the copy
     */
    public HttpReply header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")) {
            throw new IllegalArgumentException(name + " is set by the server");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header " + name + " contains CR or LF");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase(name)) {
                copy.put(k, v);
            }
        });
        copy.put(name, value);
        return new HttpReply(status, contentType, java.util.Collections.unmodifiableMap(copy), body);
    }

    /**
     * Returns the status.
     *
     * @return 100 to 599
     */
    public int status() {
        return status;
    }

    /**
     * Returns the content type.
     *
     * @return the media type, or {@code null} for a reply without a body
     */
    public String contentType() {
        return contentType;
    }

    /**
     * Returns the extra headers.
     *
     * @return name to value, in the order added
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Returns the body. The array is the reply's own: read it, do not change it.
     *
     * @return the bytes, empty for none
     */
    public byte[] body() {
        return body;
    }

    @Override
    public String toString() {
        return "HttpReply(" + status + (contentType == null ? "" : " " + contentType.toLowerCase(Locale.ROOT))
                + ", " + body.length + " bytes)";
    }
}
