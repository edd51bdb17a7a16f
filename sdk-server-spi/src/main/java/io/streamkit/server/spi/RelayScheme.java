package io.streamkit.server.spi;

import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.stream.StreamKey;

/**
 * Relay clients for one URL scheme ({@code rtmp}, later {@code rtsp}, {@code srt}):
 * {@code MediaServer.pull} and {@code push} pick the scheme's relays by the URL, so a module
 * adds a scheme without touching the server.
 */
public interface RelayScheme {

    /**
     * Creates a puller that plays a remote stream into a local one. Nothing is sent until
     * {@link Puller#start()}; the puller closes with the server.
     *
     * @param url the remote stream, of this scheme
     * @param localKey the local stream to publish as
     * @return the puller
     * @throws IllegalArgumentException when the URL is not usable
     */
    Puller puller(String url, StreamKey localKey);

    /**
     * Creates a pusher that publishes a local stream to a remote server. Nothing happens until
     * {@link Pusher#start()}; the pusher closes with the server.
     *
     * @param localKey the local stream to send
     * @param url the remote stream, of this scheme
     * @return the pusher
     * @throws IllegalArgumentException when the URL is not usable
     * @throws UnsupportedOperationException when the scheme only pulls
     */
    Pusher pusher(StreamKey localKey, String url);
}
