package io.streamkit.stream;

/**
 * A subscriber's attachment to a stream, returned by the engine's {@code subscribe}.
 * Safe to use from any thread.
 */
public interface Subscription extends AutoCloseable {

    /**
     * Returns the stream subscribed to.
     *
     * @return the stream key
     */
    StreamKey key();

    /**
     * Returns the subscription's number, unique within its engine.
     *
     * @return an id, for logs and the API
     */
    long id();

    /**
     * Returns a snapshot of what was delivered and skipped.
     *
     * @return the counters
     */
    SubscriberStats stats();

    /**
     * Detaches the subscriber; it receives {@link Subscriber#onEnd} with
     * {@link EndReason#CANCELLED} on its executor. Idempotent.
     */
    @Override
    void close();
}
