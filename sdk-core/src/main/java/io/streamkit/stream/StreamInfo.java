package io.streamkit.stream;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one stream, for listings and the HTTP API.
 *
 * @param key the stream
 * @param live whether a publisher owns it now (false while it waits out a reconnect grace)
 * @param tracks its tracks in the order they were added
 * @param subscribers how many subscribers are attached
 * @param publisherProtocol the current or last publisher's protocol, or {@code null} if never published
 * @param publisherAddress the current or last publisher's address, or {@code null}
 * @param publishedAt when the current or last publisher started, or {@code null}
 * @param subscribersByProtocol the attached subscribers counted by their
 *     {@link SubscribeOptions#protocol()}, for example {@code {rtmp=1, http-flv=2}}
 * @param bytesIn payload bytes written to the stream's tracks since it appeared
 * @param bytesOut payload bytes delivered to its subscribers since it appeared, those that left included
 * @param framesSkipped frames its slow subscribers skipped since it appeared, those that left included
 * @param bitsPerSecondOut payload bitrate delivered to all its subscribers together, measured
 *     between this snapshot and one taken about a second earlier (snapshots are the samples:
 *     the first one reports 0, and after a long pause the rate is the average over the pause)
 */
public record StreamInfo(StreamKey key, boolean live, List<Track> tracks, int subscribers,
                         String publisherProtocol, InetSocketAddress publisherAddress, Instant publishedAt,
                         Map<String, Integer> subscribersByProtocol, long bytesIn, long bytesOut, long framesSkipped,
                         long bitsPerSecondOut) {

    /**
     * Returns the ingest bitrate: the sum of the tracks' {@link TrackStats#bitsPerSecond()}.
     *
     * @return bits per second over each track's last measuring window
     */
    public long bitsPerSecondIn() {
        long sum = 0;
        for (Track t : tracks) {
            sum += t.stats().bitsPerSecond();
        }
        return sum;
    }
}
