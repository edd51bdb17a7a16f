package io.streamkit.hook;

import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;

/**
 * A publisher's start or end, for {@link ServerListener#onPublish} and {@link ServerListener#onUnpublish}.
 *
 * @param key the stream
 * @param protocol the publisher's protocol
 * @param remoteAddress the publisher's address, or {@code null} for application code
 */
public record StreamEvent(StreamKey key, String protocol, InetSocketAddress remoteAddress) {
}
