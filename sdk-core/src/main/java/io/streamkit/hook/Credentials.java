package io.streamkit.hook;

/**
 * What a client proved of its identity in its protocol (RTSP's {@code Authorization} header, Basic
 * or Digest): a user name, and a check of a password. The application's {@link AuthHandler} looks
 * the user up and asks whether the client knew the password; for Digest the password itself never
 * crossed the network, so the check recomputes the client's response from it (RFC 2617 3.2.2).
 *
 * <pre>{@code
 * .onPlay(request -> CompletableFuture.completedFuture(request.credentials()
 *         .filter(c -> users.password(c.user()).map(c::verify).orElse(false)).isPresent()
 *                 ? AuthResult.allow() : AuthResult.deny("who are you?")))
 * }</pre>
 *
 * <p>Thread-safe and cheap: {@link #verify} hashes a few strings.
 */
public interface Credentials {

    /**
     * Returns the user the client named.
     *
     * @return the user name, as sent
     */
    String user();

    /**
     * Returns how the client proved it: {@code "basic"} or {@code "digest"}.
     *
     * @return the scheme, lower case
     */
    String scheme();

    /**
     * Tells whether the client knew a password: Basic compares it; Digest recomputes the response
     * from it and the server's challenge.
     *
     * @param password the user's password, as the application keeps it
     * @return whether it is the one the client proved
     */
    boolean verify(String password);
}
