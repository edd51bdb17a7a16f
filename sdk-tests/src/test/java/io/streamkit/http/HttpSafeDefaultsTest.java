package io.streamkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP port exposes is the application's choice: the API and the metrics can be
 * switched off or put behind the API token, and a listener can take one local address only.
 */
class HttpSafeDefaultsTest {
    private static final String TOKEN = "0123456789abcdef-token";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(MediaServer server, String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort().getAsInt() + path))
                .timeout(Duration.ofSeconds(5));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void byDefaultTheApiAndTheMetricsAnswerReads() throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(1).http(0).start()) {
            assertEquals(200, get(server, "/api/streams", null).statusCode());
            assertEquals(200, get(server, "/metrics", null).statusCode());
        }
    }

    @Test
    void theApiAndTheMetricsCanBeSwitchedOff() throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(1).http(0, h -> h.api(false).metrics(false)).start()) {
            assertEquals(404, get(server, "/api/streams", null).statusCode());
            assertEquals(404, get(server, "/api/clients", null).statusCode());
            assertEquals(404, get(server, "/metrics", null).statusCode());
        }
    }

    @Test
    void readsCanNeedTheToken() throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(1)
                .http(0, h -> h.apiToken(TOKEN).tokenForReads(true)).start()) {
            for (String path : new String[] {"/api/streams", "/api/clients", "/metrics"}) {
                HttpResponse<String> anonymous = get(server, path, null);
                assertEquals(401, anonymous.statusCode(), path);
                assertEquals("Bearer realm=\"streamkit\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
                assertEquals(401, get(server, path, "wrong-token-of-some-length").statusCode(), path);
                HttpResponse<String> allowed = get(server, path, TOKEN);
                assertEquals(200, allowed.statusCode(), path);
            }
            assertTrue(get(server, "/metrics", TOKEN).body().contains("streamkit_"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpConfig.builder(0).tokenForReads(true).build());
        assertEquals("tokenForReads needs an apiToken: set h.apiToken(token)", e.getMessage());
    }

    @Test
    void aListenerCanTakeOneAddressOnly() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (MediaServer server = MediaServer.builder().ioThreads(1)
                .rtmp(0, r -> r.bindAddress(loopback)).http(0, h -> h.bindAddress(loopback)).start()) {
            for (int port : new int[] {server.rtmpPort().getAsInt(), server.httpPort().getAsInt()}) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(loopback, port), 5_000);
                }
                try (Socket s = new Socket()) {   // another loopback address of this machine: not listened on
                    assertThrows(ConnectException.class,
                            () -> s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port), 5_000));
                }
            }
        }
    }
}
