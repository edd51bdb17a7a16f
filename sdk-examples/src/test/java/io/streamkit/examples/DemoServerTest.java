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
        try (MediaServer server = DemoServer.start("--rtmp-port", "0", "--http-port", "0", "--rtsp-port", "0", "--rtsp-udp-port", "0", "--quiet")) {
            assertTrue(server.rtmpPort().isPresent());
            assertEquals(200, status(server, "/api/streams", null));
            assertEquals(200, status(server, "/metrics", null));
            String hls = body(server, "/live/none.m3u8?hs=forged");   // HLS is mounted: it, not the router, answers
            assertTrue(!hls.contains("no such resource"), hls);
        }
    }

    @Test
    void withAnApiTokenReadsNeedIt() throws Exception {
        try (MediaServer server = DemoServer.start("--rtmp-port", "0", "--http-port", "0", "--rtsp-port", "0", "--rtsp-udp-port", "0", "--bind", "127.0.0.1",
                "--api-token", TOKEN, "--no-hls", "--write-batch", "0", "--max-connections-per-address", "10")) {
            assertEquals(401, status(server, "/api/streams", null));
            assertEquals(401, status(server, "/metrics", null));
            assertEquals(200, status(server, "/api/streams", TOKEN));
            String noHls = body(server, "/live/none.m3u8");   // --no-hls: nothing serves the path
            assertTrue(noHls.contains("no such resource"), noHls);
        }
    }

    @Test
    void withAuthAndHookUrlsEveryPlayIsAskedOfTheBackends() throws Exception {
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer backend = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 10);
        backend.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body);
            boolean auth = exchange.getRequestURI().getPath().equals("/auth");
            byte[] answer = (auth ? "no entry for this viewer" : "0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(auth ? 403 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        backend.start();
        String base = "http://127.0.0.1:" + backend.getAddress().getPort();
        try (MediaServer server = DemoServer.start("--rtmp-port", "0", "--http-port", "0", "--rtsp-port", "0", "--rtsp-udp-port", "0", "--quiet", "--no-record",
                "--hook-url", base + "/hooks", "--auth-url", base + "/auth")) {
            String denied = body(server, "/live/demo.flv?token=x");
            assertTrue(denied.startsWith("403") && denied.contains("no entry for this viewer"), denied);
            assertTrue(asked.stream().anyMatch(a -> a.startsWith("POST /hooks ") && a.contains("\"action\":\"on_play\"")),
                    asked.toString());
            assertTrue(asked.stream().anyMatch(a -> a.startsWith("GET /auth?path=%2Flive%2Fdemo&") && a.contains("role=player")
                    && a.contains("token=x")), asked.toString());
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void withEdgeOfAndForwardStreamsFlowToTheOriginAndBack() throws Exception {
        String[] quiet = {"--rtmp-port", "0", "--http-port", "0", "--rtsp-port", "0", "--rtsp-udp-port", "0", "--quiet", "--no-record", "--no-hls"};
        try (MediaServer origin = DemoServer.start(quiet); MediaServer sink = DemoServer.start(quiet)) {
            String o = "rtmp://127.0.0.1:" + origin.rtmpPort().getAsInt();
            String s = "rtmp://127.0.0.1:" + sink.rtmpPort().getAsInt();
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(quiet));
            args.addAll(java.util.List.of("--edge-of", o, "--forward", s));
            try (MediaServer edge = DemoServer.start(args.toArray(String[]::new))) {
                // published at the edge: forwarded to the origin (edge) and to the sink (forward)
                io.streamkit.stream.StreamKey up = io.streamkit.stream.StreamKey.of("live", "up");
                io.streamkit.stream.Publisher atEdge = publish(edge, up);
                io.streamkit.test.Await.until(Duration.ofSeconds(15), () -> tracks(origin, up) == 1 && tracks(sink, up) == 1,
                        () -> "forwarded: " + edge.relays().orElseThrow().list());
                // published at the origin, asked for at the edge: pulled on demand
                io.streamkit.stream.StreamKey down = io.streamkit.stream.StreamKey.of("live", "down");
                io.streamkit.stream.Publisher atOrigin = publish(origin, down);
                String head = flvHead(edge.httpPort().getAsInt(), "/live/down.flv");
                assertTrue(head.startsWith("HTTP/1.1 200") && head.contains("FLV"), head);
                String relays = body(edge, "/api/relays");
                assertTrue(relays.contains("\"kind\":\"on_demand\"") && relays.contains(o + "/live/down"), relays);
                atEdge.close();
                atOrigin.close();
            }
        }
    }

    private static int tracks(MediaServer server, io.streamkit.stream.StreamKey key) {
        return server.streams().stream(key).map(i -> i.live() ? i.tracks().size() : 0).orElse(0);
    }

    /** Two seconds of H.264 published by application code; the GOP cache keeps its last second. */
    private static io.streamkit.stream.Publisher publish(MediaServer server, io.streamkit.stream.StreamKey key) {
        io.streamkit.stream.Publisher pub = server.streams().publish(key);
        io.streamkit.stream.Track video = pub.addTrack(io.streamkit.test.TestMedia.h264());
        for (int i = 0; i < 50; i++) {
            pub.write(video, i * 40_000L, i * 40_000L, i % 25 == 0,
                    io.streamkit.test.TestMedia.accessUnit(io.streamkit.stream.Codec.H264, i, 500, i % 25 == 0));
        }
        return pub;
    }

    /** The status line, headers and first body bytes of a streamed HTTP answer. */
    private static String flvHead(int port, String path) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("FLV") && seen.length() < 4096) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                seen.append((char) b);
            }
            return seen.toString();
        }
    }
}
