package io.streamkit.relay;

import io.streamkit.stream.StreamKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Which node holds which stream, kept where every node of a cluster can read it: origins claim
 * the streams published to them, edges look up the origin of a stream a player asks for.
 * {@link MemoryStreamDirectory} serves one JVM (one node, or several servers in tests); an
 * adapter on a distributed store (Redis in {@code streamkit-redis}) serves a cluster.
 *
 * <p><b>Leases.</b> A claim holds for its lease and must be renewed before it ends; a node that
 * dies stops renewing and its claims expire, so a stream whose publisher moves to another
 * origin is found there once that origin claims it. The latest claim wins: a node claiming a
 * stream another node holds takes it over (the publisher has moved), and the other node's next
 * renewal answers {@code false}.
 *
 * <p><b>Node names.</b> A node is named by the URL other nodes pull from, such as
 * {@code rtmp://10.0.0.1:1935}; the directory stores it and never parses it.
 *
 * <p><b>Threading.</b> Every method may be called from any thread, must not block, and
 * completes its stage on a thread of the implementation's choosing; callers hop to their own
 * executor before long work. A failed stage means the store could not be reached.
 */
public interface StreamDirectory extends AutoCloseable {

    /**
     * Claims a stream for a node, taking it over from any other holder.
     *
     * @param key the stream
     * @param node the claiming node's URL
     * @param lease how long the claim holds without renewal; at least a second
     * @return completes when the claim is stored
     */
    CompletionStage<Void> claim(StreamKey key, String node, Duration lease);

    /**
     * Extends a claim the node still holds.
     *
     * @param key the stream
     * @param node the node's URL
     * @param lease the new lease from now
     * @return {@code true} when extended; {@code false} when the node no longer holds the stream
     *     (it expired, was released, or another node took it over)
     */
    CompletionStage<Boolean> renew(StreamKey key, String node, Duration lease);

    /**
     * Drops a claim if the node still holds it; another node's claim is left alone.
     *
     * @param key the stream
     * @param node the node's URL
     * @return completes when done
     */
    CompletionStage<Void> release(StreamKey key, String node);

    /**
     * Looks up the node holding a stream.
     *
     * @param key the stream
     * @return the node's URL, or empty when no live claim exists
     */
    CompletionStage<Optional<String>> lookup(StreamKey key);

    /**
     * Watches a stream's holder: {@code onChange} gets the new holder (empty when released or
     * expired) after each change, at the latest one lease period after an expiry.
     *
     * @param key the stream
     * @param onChange called with each new holder; must be fast and must not throw
     * @return closes the watch; idempotent
     */
    AutoCloseable watch(StreamKey key, Consumer<Optional<String>> onChange);

    /** Releases the directory's resources (connections, timers); claims are left to expire. */
    @Override
    void close();
}
