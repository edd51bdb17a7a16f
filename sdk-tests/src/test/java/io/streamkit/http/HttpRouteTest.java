package io.streamkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.server.MediaServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Application routes on the HTTP port: sync and async answers, failures that answer 500, bounds. */
class HttpRouteTest {
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private MediaServer server;

    @BeforeEach
    void start() {
        server = MediaServer.builder().ioThreads(1).http(0, h -> h.maxContentLength(1024)
                .route("/hello", call -> CompletableFuture.completedFuture(
                        HttpReply.text(200, "hi " + call.method() + " " + call.path() + " " + call.query("who").orElse("?"))))
                .route("/hello/deeper", call -> CompletableFuture.completedFuture(HttpReply.text(200, "deeper")))
                .route("/later", call -> CompletableFuture.supplyAsync(
                        () -> HttpReply.json(201, "{\"thread\":\"" + Thread.currentThread().getName() + "\"}")
                                .header("X-Later", "yes"), worker))
                .route("/echo", call -> CompletableFuture.completedFuture(
                        HttpReply.of(200, call.header("content-type").orElse("application/octet-stream"), call.body())))
                .route("/boom", call -> {
                    throw new IllegalStateException("application bug");
                })
                .route("/fails", call -> CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException("async application bug");
                }, worker))
                .route("/null", call -> null))
                .start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
        worker.shutdownNow();
        assertTrue(worker.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void syncAndAsyncRoutesAnswerWithLongestPrefixWinning() throws Exception {
        try (RawHttp http = new RawHttp(server.httpPort().getAsInt())) {
            RawHttp.Response hi = http.get("/hello/x?who=me");
            assertEquals(200, hi.status());
            assertEquals("hi GET /hello/x me", hi.body());
            assertEquals("text/plain; charset=utf-8", hi.headers().get("content-type"));
            assertEquals("*", hi.headers().get("access-control-allow-origin"));
            assertEquals("deeper", http.get("/hello/deeper/y").body());
            assertEquals(404, http.get("/helloworld").status(), "a prefix matches whole segments");

            RawHttp.Response later = http.get("/later");
            assertEquals(201, later.status());
            assertEquals("yes", later.headers().get("x-later"));
            assertTrue(later.body().contains("pool"), "completed on the application's thread: " + later.body());

            RawHttp.Response head = http.send("HEAD", "/hello", Map.of(), null);
            assertEquals(200, head.status());
            RawHttp.Response echo = http.send("POST", "/echo", Map.of("Content-Type", "application/json"), "{\"a\":1}");
            assertEquals("{\"a\":1}", echo.body());
            assertEquals("application/json", echo.headers().get("content-type"));
        }
    }

    @Test
    void aFailingRouteAnswers500AndTheConnectionKeepsWorking() throws Exception {
        try (RawHttp http = new RawHttp(server.httpPort().getAsInt())) {
            assertEquals(500, http.get("/boom").status());
            assertEquals("hi GET /hello ?", http.get("/hello").body(), "same connection, after a throwing route");
            assertEquals(500, http.get("/fails").status());
            assertEquals(201, http.get("/later").status(), "same connection, after a failed stage");
            assertEquals(500, http.get("/null").status());
            assertEquals(200, http.get("/hello").status(), "same connection, after a null stage");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderBehindAnAsyncOne() throws Exception {
        try (RawHttp http = new RawHttp(server.httpPort().getAsInt())) {
            http.write("GET /later HTTP/1.1\r\nHost: x\r\n\r\nGET /hello?who=2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /hello?who=4 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(201, http.read(false).status());
            assertEquals("hi GET /hello 2", http.read(false).body());
            assertEquals(500, http.read(false).status());
            assertEquals("hi GET /hello 4", http.read(false).body());
        }
    }

    @Test
    void aBodyOverTheLimitIsRefused() throws Exception {
        try (RawHttp http = new RawHttp(server.httpPort().getAsInt())) {
            assertEquals(413, http.send("POST", "/echo", Map.of(), "x".repeat(2048)).status());
        }
    }

    @Test
    void prefixesThatClashOrAreMalformedAreRefusedAtOnce() {
        HttpConfig.Builder b = HttpConfig.builder(0);
        HttpRoute r = call -> CompletableFuture.completedFuture(HttpReply.status(204));
        for (String bad : new String[] {"/api", "/api/mine", "/metrics", "/metrics/x", "/live/cam.flv", "hello",
                "/hello/", "/a//b", "/a/../b", "/a%2f", "/a?b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.route(bad, r), bad);
            assertTrue(e.getMessage().contains("route prefix"), e.getMessage());
        }
        b.route("/", r).route("/apix", r).route("/metricsx", r);
        assertThrows(IllegalArgumentException.class, () -> b.route("/apix", r), "taken");
        assertEquals(3, b.build().routes().size());
    }
}
