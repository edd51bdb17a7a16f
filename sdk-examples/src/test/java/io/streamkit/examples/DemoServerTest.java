package io.streamkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's demo server starts with its defaults and with each option, every protocol on. */
class DemoServerTest {
    private static final String TOKEN = "demo-token-0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String body(MediaServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort().getAsInt() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private int status(MediaServer server, String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort().getAsInt() + path))
                .timeout(Duration.ofSeconds(5));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void withItsDefaultsEveryProtocolIsOnAndTheApiIsOpen() throws Exception {
        try (MediaServer server = DemoServer.start("--rtmp-port", "0", "--http-port", "0", "--quiet")) {
            assertTrue(server.rtmpPort().isPresent());
            assertEquals(200, status(server, "/api/streams", null));
            assertEquals(200, status(server, "/metrics", null));
            String hls = body(server, "/live/none.m3u8");   // HLS is mounted: it, not the router, answers
            assertTrue(!hls.contains("no such resource"), hls);
        }
    }

    @Test
    void withAnApiTokenReadsNeedIt() throws Exception {
        try (MediaServer server = DemoServer.start("--rtmp-port", "0", "--http-port", "0", "--bind", "127.0.0.1",
                "--api-token", TOKEN, "--no-hls", "--write-batch", "0", "--max-connections-per-address", "10")) {
            assertEquals(401, status(server, "/api/streams", null));
            assertEquals(401, status(server, "/metrics", null));
            assertEquals(200, status(server, "/api/streams", TOKEN));
            String noHls = body(server, "/live/none.m3u8");   // --no-hls: nothing serves the path
            assertTrue(noHls.contains("no such resource"), noHls);
        }
    }
}
