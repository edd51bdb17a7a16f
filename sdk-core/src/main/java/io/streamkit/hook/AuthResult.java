package io.streamkit.hook;

import java.util.Map;
import java.util.Objects;

/**
 * An {@link AuthHandler}'s decision: allowed or denied with a reason, and for an approval the
 * attributes the application attaches (an identity, per-stream switches).
 *
 * <p>A final class rather than a record, so that fields can be added without breaking callers.
 */
public final class AuthResult {
    private static final AuthResult ALLOW = new AuthResult(true, "", Map.of());
    private final boolean allowed;
    private final String reason;
    private final Map<String, String> attributes;

    private AuthResult(boolean allowed, String reason, Map<String, String> attributes) {
        Objects.requireNonNull(reason, "reason");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        this.allowed = allowed;
        this.reason = reason;
        this.attributes = attributes;
    }

    /**
     * Returns whether the request may go ahead.
     *
     * @return whether the request may go ahead
     */
    public boolean allowed() {
        return allowed;
    }

    /**
     * Returns for a denial, the reason the client is told (RTMP puts it in the status description);
     * empty when allowed.
     *
     * @return for a denial, the reason the client is told (RTMP puts it in the status description);
     *     empty when allowed
     */
    public String reason() {
        return reason;
    }

    /**
     * Returns what the application attached to an approval (an identity such as {@code user=alice},
     * per-stream switches such as {@code record=true}), which the engine's events for the publisher
     * or player and the modules that read them see; empty for a denial or none.
     *
     * @return what the application attached to an approval (an identity such as {@code user=alice},
     *     per-stream switches such as {@code record=true}), which the engine's events for the
     *     publisher or player and the modules that read them see; empty for a denial or none
     */
    public Map<String, String> attributes() {
        return attributes;
    }

    /**
     * Returns an approval.
     *
     * @return the shared approval
     */
    public static AuthResult allow() {
        return ALLOW;
    }

    /**
     * Returns an approval carrying attributes: the identity the application established, or
     * switches for this stream that its listeners and modules act on ({@link StreamEvent#attributes()},
     * {@link PlayEvent#attributes()}).
     *
     * @param attributes names to values; copied
     * @return the approval
     */
    public static AuthResult allow(Map<String, String> attributes) {
        return attributes == null || attributes.isEmpty() ? ALLOW : new AuthResult(true, "", attributes);
    }

    /**
     * Returns a denial.
     *
     * @param reason the reason the client is told
     * @return the denial
     */
    public static AuthResult deny(String reason) {
        return new AuthResult(false, reason, Map.of());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuthResult o && allowed == o.allowed && Objects.equals(reason, o.reason)
                && Objects.equals(attributes, o.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowed, reason, attributes);
    }

    @Override
    public String toString() {
        return "AuthResult[" + "allowed=" + allowed + ", " + "reason=" + reason
                + ", " + "attributes=" + attributes + "]";
    }
}
