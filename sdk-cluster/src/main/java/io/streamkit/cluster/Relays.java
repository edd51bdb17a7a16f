package io.streamkit.cluster;

import io.streamkit.stream.StreamKey;
import java.util.List;
import java.util.Optional;

/**
 * The server's relays at runtime: list them, add pushes and pulls, remove them. Found with
 * {@code MediaServer.relays()}; the HTTP API offers the same at {@code /api/relays}. Every
 * method is safe from any thread and returns without waiting for a connection.
 */
public interface Relays {

    /**
     * Lists every relay: forwards of live streams, pushes and pulls added at runtime or
     * configured, pulls on demand.
     *
     * @return snapshots, in the order the relays were made
     */
    List<RelayInfo> list();

    /**
     * Looks one relay up.
     *
     * @param id its id
     * @return its snapshot, or empty when there is none by that id
     */
    Optional<RelayInfo> get(String id);

    /**
     * Pushes a local stream to a remote URL from now until {@link #remove}: whenever the stream
     * is live it is sent, and a failed or dropped connection is retried with the configured
     * backoff. A stream that is live now starts at once.
     *
     * @param stream the local stream
     * @param url the destination, of any registered scheme ({@code rtmp://}, {@code rtmps://})
     * @return the new relay
     * @throws IllegalArgumentException when the URL's scheme is not registered or the URL is not usable
     * @throws IllegalStateException past {@link RelayConfig#maxRelays()} relays, or when the server is stopped
     */
    RelayInfo push(StreamKey stream, String url);

    /**
     * Pulls a remote stream into a local one from now until {@link #remove}, reconnecting with
     * the configured backoff whenever the remote stream ends or the connection drops.
     *
     * @param url the source, of any registered scheme
     * @param stream the local stream to publish as
     * @return the new relay
     * @throws IllegalArgumentException when the URL's scheme is not registered or the URL is not usable
     * @throws IllegalStateException past {@link RelayConfig#maxRelays()} relays, or when the server is stopped
     */
    RelayInfo pull(String url, StreamKey stream);

    /**
     * Stops and removes a relay: a push disconnects, a pull ends its local stream. A forward
     * made by a rule comes back with the stream's next publish.
     *
     * @param id the relay's id
     * @return whether there was such a relay
     */
    boolean remove(String id);
}
