package io.streamkit.hook;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The application's decision on a publish or a play request.
 *
 * <p>Called on an event loop: it must not block. A check that needs a database or a
 * web service returns a stage that completes later; a check written in blocking style is
 * wrapped with {@link #blocking(Function, Executor)} to run on an executor of the
 * application's choosing.
 *
 * <p>Guarded: a handler that throws, returns {@code null}, completes exceptionally or does
 * not complete within the engine's auth timeout denies the request; the failure is logged
 * and never reaches an event loop.
 */
@FunctionalInterface
public interface AuthHandler {

    /**
     * Decides on a request.
     *
     * @param request the stream, the query parameters, the remote address and the protocol
     * @return the decision, now or later
     */
    CompletionStage<AuthResult> authorize(AuthRequest request);

    /**
     * Returns a handler that asks this one, then, if it allowed, {@code next}: both must allow.
     * The approval carries the attributes of both ({@code next}'s win on a clash); a denial is
     * the first one's.
     *
     * @param next the second check, asked only after this one allowed
     * @return the combined handler
     */
    default AuthHandler andThen(AuthHandler next) {
        Objects.requireNonNull(next, "next");
        return request -> {
            CompletionStage<AuthResult> first = authorize(request);
            if (first == null) {
                return CompletableFuture.completedFuture(AuthResult.deny("authorization failed"));
            }
            return first.thenCompose(a -> {
                if (a == null || !a.allowed()) {
                    return CompletableFuture.completedFuture(a == null ? AuthResult.deny("authorization failed") : a);
                }
                CompletionStage<AuthResult> second = next.authorize(request);
                if (second == null) {
                    return CompletableFuture.completedFuture(AuthResult.deny("authorization failed"));
                }
                return second.thenApply(b -> {
                    if (b == null) {
                        return AuthResult.deny("authorization failed");
                    }
                    if (!b.allowed() || a.attributes().isEmpty()) {
                        return b;
                    }
                    java.util.Map<String, String> both = new java.util.HashMap<>(a.attributes());
                    both.putAll(b.attributes());
                    return AuthResult.allow(both);
                });
            });
        };
    }

    /**
     * Returns a handler that allows everything, the default.
     *
     * @return the handler
     */
    static AuthHandler allowAll() {
        return request -> CompletableFuture.completedFuture(AuthResult.allow());
    }

    /**
     * Wraps a blocking check so that it runs on {@code executor}, off the event loop.
     *
     * @param check the check; it may block
     * @param executor where to run it, for example a virtual-thread or bounded pool
     * @return a non-blocking handler
     */
    static AuthHandler blocking(Function<AuthRequest, AuthResult> check, Executor executor) {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(executor, "executor");
        return request -> CompletableFuture.supplyAsync(() -> check.apply(request), executor);
    }
}
