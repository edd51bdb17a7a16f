package io.streamkit.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One of the Lua scripts that make a claim's compare-and-change atomic in Redis, run by its
 * SHA-1 ({@code EVALSHA}) and sent whole ({@code EVAL}, which also caches it) only when the
 * server answers {@code NOSCRIPT} (first use, or after a restart or {@code SCRIPT FLUSH}).
 *
 * <p>Every script takes the claim's Redis key as {@code KEYS[1]} and returns an integer.
 *
 * @see <a href="https://redis.io/docs/latest/develop/interact/programmability/eval-intro/">Scripting with Lua</a>
 */
enum LeaseScript {
    /**
     * Sets the holder with its lease and announces a change of holder. ARGV: node, lease in
     * milliseconds, channel, message. Returns 1.
     */
    CLAIM("""
            local old = redis.call('GET', KEYS[1])
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            if old ~= ARGV[1] then
              redis.call('PUBLISH', ARGV[3], ARGV[4])
            end
            return 1
            """),

    /** Extends the lease if the node still holds the key. ARGV: node, lease in milliseconds. Returns 1 or 0. */
    RENEW("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """),

    /**
     * Deletes the key if the node still holds it and announces it. ARGV: node, channel, message.
     * Returns 1 when deleted, else 0.
     */
    RELEASE("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              redis.call('PUBLISH', ARGV[2], ARGV[3])
              return 1
            end
            return 0
            """);

    private final String source;
    private final String sha1;

    LeaseScript(String source) {
        this.source = source;
        this.sha1 = sha1(source);
    }

    /**
     * Runs the script, asynchronously.
     *
     * @param commands the connection's async commands
     * @param key the claim's Redis key
     * @param args the script's ARGV
     * @return the script's integer answer
     */
    CompletionStage<Long> run(RedisAsyncCommands<String, String> commands, String key, String... args) {
        String[] keys = {key};
        CompletionStage<Long> bySha = commands.<Long>evalsha(sha1, ScriptOutputType.INTEGER, keys, args);
        return bySha.<CompletionStage<Long>>handle((answer, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(answer);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RedisNoScriptException) {
                return commands.<Long>eval(source, ScriptOutputType.INTEGER, keys, args);
            }
            return CompletableFuture.<Long>failedFuture(cause);
        }).thenCompose(stage -> stage);
    }

    private static String sha1(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
