package io.streamkit.httpflv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.server.MediaServer;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.TestMedia;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** HTTP-FLV play authorisation goes through the application's check with the URL's query parameters. */
class HttpFlvAuthTest {

    @Test
    void theQueryReachesTheCheckAndADenialIsA403WithTheReason() throws Exception {
        List<AuthRequest> seen = new CopyOnWriteArrayList<>();
        try (MediaServer server = MediaServer.builder().ioThreads(1).http(0)
                .onPlay(r -> {
                    seen.add(r);
                    return CompletableFuture.completedFuture("let-me-in".equals(r.param("token"))
                            ? AuthResult.allow() : AuthResult.deny("token missing or wrong"));
                }).start()) {
            Publisher pub = server.streams().publish(StreamKey.of("live", "private"));
            pub.addTrack(TestMedia.h264());
            pub.write(pub.addTrack(TestMedia.aac()), 0, 0, true, TestMedia.payload(1, 100));
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/live/private.flv";

            HttpResponse<String> denied = client.send(HttpRequest.newBuilder(URI.create(base + "?token=nope"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, denied.statusCode());
            assertTrue(denied.body().contains("play of live/private denied: token missing or wrong"), denied.body());

            HttpResponse<InputStream> allowed = client.send(HttpRequest.newBuilder(URI.create(base + "?token=let-me-in"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, allowed.statusCode());
            assertEquals("video/x-flv", allowed.headers().firstValue("content-type").orElse(""));
            try (InputStream in = allowed.body()) {
                byte[] head = in.readNBytes(3);
                assertEquals("FLV", new String(head, java.nio.charset.StandardCharsets.US_ASCII));
            }
            assertEquals(2, seen.size());
            assertEquals("http-flv", seen.get(1).protocol());
            assertEquals("let-me-in", seen.get(1).param("token"));
            assertEquals(StreamKey.of("live", "private"), seen.get(1).key());
            pub.close();
        }
    }
}
