package io.streamkit.hook;

import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;

/**
 * A subscriber that fell behind, for {@link ServerListener#onSkip}.
 *
 * @param key the stream
 * @param subscriptionId the subscription's number
 * @param protocol the player's protocol
 * @param remoteAddress the player's address, or {@code null}
 * @param skips how many times this subscriber has fallen behind so far, this time included
 */
public record SkipEvent(StreamKey key, long subscriptionId, String protocol, InetSocketAddress remoteAddress,
                        long skips) {
}
