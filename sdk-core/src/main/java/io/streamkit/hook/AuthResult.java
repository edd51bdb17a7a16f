package io.streamkit.hook;

import java.util.Objects;

/**
 * An {@link AuthHandler}'s decision.
 *
 * @param allowed whether the request may go ahead
 * @param reason for a denial, the reason the client is told (RTMP puts it in the status
 *     description); empty when allowed
 */
public record AuthResult(boolean allowed, String reason) {

    private static final AuthResult ALLOW = new AuthResult(true, "");

    /**
     * Checks the components.
     * @param allowed whether the request may go ahead
     * @param reason the reason told to the client; empty when allowed
     */
    public AuthResult {
        Objects.requireNonNull(reason, "reason");
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
     * Returns a denial with the reason the client is told.
     *
     * @param reason for example {@code "invalid token"}
     * @return the denial
     */
    public static AuthResult deny(String reason) {
        return new AuthResult(false, reason);
    }
}
