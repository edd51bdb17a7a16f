package io.streamkit.examples;

import io.streamkit.cluster.ForwardRule;
import io.streamkit.cluster.RelayInfo;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.StreamKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restreams each stream of app {@code live} to the platforms its owner configured (YouTube,
 * Twitch, Facebook and IVS take RTMPS, whose stream keys stay out of logs and the API), and
 * pulls IP cameras of app {@code cams} only while someone watches: the shape of a restreaming
 * service. Destinations come from the application's own store, looked up when a stream is
 * published; one destination refusing or dropping never touches the others or local players.
 *
 * <p>Run it with {@code ./mvnw -q -pl sdk-examples exec:java -Ddemo.main=io.streamkit.examples.Restream},
 * publish to {@code rtmp://127.0.0.1:1935/live/show}; {@code GET http://127.0.0.1:8080/api/relays}
 * shows each destination's state, bytes and last error.
 */
public final class Restream {
    private static final Logger log = LoggerFactory.getLogger(Restream.class);

    /** The platforms a stream's owner may restream to, each a forwarding rule of its name. */
    static final String[] PLATFORMS = {"youtube", "twitch", "facebook", "ivs", "custom"};

    private Restream() {
    }

    /**
     * Starts a restreaming server.
     *
     * @param destinations per stream name of app {@code live}, the platforms' ingest URLs with
     *     their stream keys (the application's store; read at each publish, so changes apply to
     *     the next one, and {@code MediaServer.relays()} adds one to a live stream at once)
     * @param cameras per camera name of app {@code cams}, its {@code rtmp://}, {@code rtmps://}
     *     or {@code http(s)://...flv} source
     * @param rtmpPort the RTMP port, 0 for any
     * @param httpPort the HTTP port (players, the API with {@code /api/relays}), 0 for any
     * @return the running server
     */
    public static MediaServer start(Map<String, Map<String, String>> destinations, Map<String, String> cameras,
                                    int rtmpPort, int httpPort) {
        return MediaServer.builder().rtmp(rtmpPort).http(httpPort)
                .relays(r -> {
                    r.pullOnDemand(key -> key.app().equals("cams") ? cameras.get(key.name()) : null);
                    // one rule per platform: each forward is a relay of its own, with its own retries and state
                    for (String platform : PLATFORMS) {
                        r.forward(ForwardRule.rewrite(platform, e -> e.key().app().equals("live")
                                ? destinations.getOrDefault(e.key().name(), Map.of()).get(platform) : null));
                    }
                })
                .start();
    }

    /**
     * Adds a destination to a stream now: it starts at once if the stream is live, and lasts
     * until removed with {@code server.relays().orElseThrow().remove(id)}.
     *
     * @param server the server
     * @param stream the local stream
     * @param url the platform's ingest URL with its key
     * @return the relay, whose {@code id()} removes it
     */
    public static RelayInfo addDestination(MediaServer server, StreamKey stream, String url) {
        return server.relays().orElseThrow().push(stream, url);
    }

    /**
     * Runs the example until Ctrl-C with one destination taken from the command line.
     *
     * @param args a destination URL for stream {@code live/show}, such as
     *     {@code rtmps://a.rtmps.youtube.com/live2/KEY}; none to only pull cameras
     * @throws InterruptedException when interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, Map<String, String>> store = new ConcurrentHashMap<>();
        if (args.length > 0) {
            store.put("show", Map.of("custom", args[0]));
        }
        MediaServer server = start(store, Map.of("door", "rtmp://127.0.0.1:1936/live/door"), 1935, 8080);
        log.info("publish to rtmp://127.0.0.1:1935/live/show; relays at http://127.0.0.1:8080/api/relays");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
    }
}
