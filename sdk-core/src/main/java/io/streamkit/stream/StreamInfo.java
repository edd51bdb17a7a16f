package io.streamkit.stream;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

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
 */
public record StreamInfo(StreamKey key, boolean live, List<Track> tracks, int subscribers,
                         String publisherProtocol, InetSocketAddress publisherAddress, Instant publishedAt) {
}
