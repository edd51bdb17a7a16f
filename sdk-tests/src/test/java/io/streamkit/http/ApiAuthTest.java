package io.streamkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.TestMedia;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reading needs nothing; kicking needs the configured bearer token, and is off without one. */
class ApiAuthTest {
    private static final String TOKEN = "s3cret-token-0123456789";
    private final StreamKey key = StreamKey.of("live", "cam");

    @Test
    void withoutATokenMutatingCallsAreOff() throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(1).http(0).start();
             RawHttp http = new RawHttp(server.httpPort().getAsInt())) {
            Publisher pub = server.streams().publish(key);
            RawHttp.Response r = http.send("DELETE", "/api/streams/live/cam", Map.of("Authorization", "Bearer " + TOKEN), null);
            assertEquals(403, r.status());
            assertTrue(r.body().contains("mutating API calls are off: set HttpConfig apiToken"), r.body());
            assertEquals("application/json", r.headers().get("content-type"));
            assertTrue(pub.isOpen(), "nothing was kicked");
            RawHttp.Response list = http.get("/api/streams");
            assertEquals(200, list.status(), "reading needs no token, on the same connection");
            assertTrue(list.body().contains("\"name\":\"cam\""), list.body());
            pub.close();
        }
    }

    @Test
    void aWrongOrMissingTokenIs401AndTheRightOneKicks() throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(1).http(0, h -> h.apiToken(TOKEN)).start();
             RawHttp http = new RawHttp(server.httpPort().getAsInt())) {
            Publisher pub = server.streams().publish(key);
            pub.addTrack(TestMedia.h264());

            RawHttp.Response missing = http.send("DELETE", "/api/streams/live/cam", Map.of(), null);
            assertEquals(401, missing.status());
            assertEquals("Bearer realm=\"streamkit\"", missing.headers().get("www-authenticate"));
            RawHttp.Response wrong = http.send("DELETE", "/api/streams/live/cam",
                    Map.of("Authorization", "Bearer " + TOKEN + "x"), null);
            assertEquals(401, wrong.status());
            assertTrue(wrong.body().contains("wrong API token"), wrong.body());
            RawHttp.Response basic = http.send("DELETE", "/api/clients/1", Map.of("Authorization", "Basic " + TOKEN), null);
            assertEquals(401, basic.status());
            assertTrue(pub.isOpen());

            RawHttp.Response one = http.get("/api/streams/live/cam");
            assertEquals(200, one.status());
            assertTrue(one.body().contains("\"codec\":\"h264\",\"width\":320,\"height\":240"), one.body());

            RawHttp.Response kicked = http.send("DELETE", "/api/streams/live/cam",
                    Map.of("Authorization", "bearer " + TOKEN), null);
            assertEquals(204, kicked.status());
            assertEquals(EndReason.KICKED, pub.closed().toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertFalse(pub.isOpen());
            assertEquals(404, http.get("/api/streams/live/cam").status(), "the stream is gone");
            assertEquals(404, http.send("DELETE", "/api/streams/live/cam", Map.of("Authorization", "Bearer " + TOKEN),
                    null).status());
            assertEquals(404, http.send("DELETE", "/api/clients/12345", Map.of("Authorization", "Bearer " + TOKEN),
                    null).status());
        }
    }

    @Test
    void unknownCallsAndMethodsAreAnsweredNotDropped() throws Exception {
        try (MediaServer server = MediaServer.builder().ioThreads(1).http(0).start();
             RawHttp http = new RawHttp(server.httpPort().getAsInt())) {
            assertEquals(404, http.get("/api/nothing").status());
            RawHttp.Response post = http.send("POST", "/api/streams", Map.of(), "{}");
            assertEquals(405, post.status());
            assertEquals("GET, HEAD", post.headers().get("allow"));
            RawHttp.Response clients = http.get("/api/clients");
            assertEquals(200, clients.status());
            assertEquals("{\"clients\":[]}", clients.body());
            RawHttp.Response metrics = http.get("/metrics");
            assertEquals(200, metrics.status());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().get("content-type"));
            assertTrue(metrics.body().contains("# TYPE streamkit_bytes_out_total counter"), metrics.body());
        }
    }
}
