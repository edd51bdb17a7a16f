package io.streamkit.hook;

import io.streamkit.stream.EndReason;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;

/**
 * A subscriber's start or end, for {@link ServerListener#onPlay} and {@link ServerListener#onStop}.
 *
 * @param key the stream
 * @param subscriptionId the subscription's number
 * @param protocol the player's protocol
 * @param remoteAddress the player's address, or {@code null} for application code
 * @param reason why it ended; {@code null} in {@code onPlay}
 */
public record PlayEvent(StreamKey key, long subscriptionId, String protocol, InetSocketAddress remoteAddress,
                        EndReason reason) {
}
