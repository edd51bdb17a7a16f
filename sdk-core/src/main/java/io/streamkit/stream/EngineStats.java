package io.streamkit.stream;

/**
 * A snapshot of an engine's totals, for metrics: what is live now and what has passed through
 * since the engine started.
 *
 * <p>The cumulative counters never go down: a stream or subscription that ends adds its
 * final numbers to retired totals, and a snapshot sums those with the live ones. Live
 * counters are read without stopping their writers, so a snapshot may trail the newest frame
 * by a few; it is never torn.
 *
 * @param streams streams with a publisher now
 * @param subscribers subscribers attached now
 * @param bytesIn payload bytes publishers wrote, since start
 * @param bytesOut payload bytes delivered to subscribers, since start
 * @param framesSkipped frames not delivered to slow subscribers (see {@link SubscriberStats#framesSkipped()}), since start
 * @param publishesRejected publish requests refused: denied by the application's check, a
 *     second publisher the stream's policy rejected, or the stream limit; since start
 * @param playsRejected play requests refused: denied by the application's check, a stream not
 *     found within the play wait, or the stream limit; since start
 */
public record EngineStats(int streams, int subscribers, long bytesIn, long bytesOut, long framesSkipped,
                          long publishesRejected, long playsRejected) {
}
