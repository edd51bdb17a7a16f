package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.streamkit.engine.StreamEngine;
import io.streamkit.httpflv.HttpFlvClientConfig;
import io.streamkit.internal.engine.Engine;
import io.streamkit.relay.RelayState;
import io.streamkit.relay.RelayStatus;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.SubscribeOptions;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A puller against a real HTTP-FLV origin on loopback, publishing into a real engine: the
 * golden file's tracks and frames reach a subscriber, the puller's status follows its life, and
 * every way a pull ends (the body's end, the origin's refusal or silence, a refused connection,
 * a close, an untrusted or trusted certificate) is reported.
 */
class HttpFlvPullerIT {
    private static final StreamKey KEY = StreamKey.of("edge", "cam1");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EventLoopGroup loops;
    private ExecutorService blocking;
    private StreamEngine engine;
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final List<HttpFlvPuller> finished = new CopyOnWriteArrayList<>();

    /** What a subscriber of the local stream sees: tracks, frames, metadata and the end; any real payload. */
    private static final class Viewer implements Subscriber {
        /** One frame as delivered. */
        record Seen(int track, long dts, boolean keyframe, int size) {
        }

        final List<Track> tracks = new CopyOnWriteArrayList<>();
        final List<Seen> frames = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onTrack(Track track) {
            tracks.add(track);
        }

        @Override
        public void onFrame(MediaFrame frame) {
            frames.add(new Seen(frame.track().id(), frame.dts(), frame.keyframe(), frame.content().readableBytes()));
        }

        @Override
        public void onMetadata(Map<String, Object> metadata) {
            events.add("metadata " + metadata);
        }

        @Override
        public void onPublisherLost() {
            events.add("lost");
        }

        @Override
        public void onUnpublished() {
            events.add("unpublished");
        }

        @Override
        public void onEnd(EndReason reason) {
            events.add("end " + reason);
        }
    }

    @BeforeEach
    void setUp() {
        loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        blocking = Executors.newSingleThreadExecutor();
        engine = Engine.builder().build();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        engine.close();
        blocking.shutdownNow();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void theGoldenFileOverChunkedHttpReachesASubscriber() throws Exception {
        byte[] golden = FlvBytes.resource(FlvBytes.GOLDEN_H264_AAC);
        FlvOrigin origin = origin(null, new FlvOrigin.Answer(200, golden, 1000, FlvOrigin.Ending.LAST_CHUNK));
        Viewer viewer = subscribe();
        HttpFlvPuller puller = puller("http://127.0.0.1:" + origin.port() + "/live/cam1.flv?token=abc",
                HttpFlvClientConfig.defaults(), null);
        assertEquals(RelayState.IDLE, puller.status().state());
        assertEquals(0, puller.status().attempts());
        puller.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        puller.done().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        awaitGoldenFrames(viewer);
        assertEquals(List.of("H264 160x120", "AAC 44100 Hz 1 ch"), viewer.tracks.stream().map(HttpFlvPullerIT::describe).toList());
        assertTrue(viewer.frames.stream().filter(f -> f.track() == 0).findFirst().orElseThrow().keyframe(),
                "the first video frame is the IDR");
        Map<Integer, Long> lastDts = new java.util.HashMap<>();
        for (Viewer.Seen f : viewer.frames) {
            Long last = lastDts.put(f.track(), f.dts());
            assertTrue(last == null || f.dts() > last, "dts rises per track: " + viewer.frames);
        }
        assertTrue(viewer.events.stream().anyMatch(e -> e.startsWith("metadata {") && e.contains("width=160.0")), "" + viewer.events);

        RelayStatus status = puller.status();
        assertEquals(RelayState.STOPPED, status.state());
        assertEquals(tagBodyBytes(golden), status.bytes(), "FLV tag body bytes");
        assertEquals(1, status.attempts());
        assertTrue(status.lastError().isEmpty(), "the body's end is no error: " + status);
        assertFalse(puller.isActive());
        assertEquals(List.of(puller), finished, "the owner is told once");

        FlvOrigin.Request request = origin.requests.get(0);
        assertEquals("GET /live/cam1.flv?token=abc HTTP/1.1", request.line());
        assertEquals("127.0.0.1:" + origin.port(), request.headers().get("host"));
        assertEquals("Streamkit", request.headers().get("user-agent"));
        assertEquals("*/*", request.headers().get("accept"));
    }

    @Test
    void aCloseDelimitedBodyEndsCleanly() throws Exception {
        FlvOrigin origin = origin(null, new FlvOrigin.Answer(200, FlvBytes.resource(FlvBytes.GOLDEN_H264_AAC), 777,
                FlvOrigin.Ending.CLOSE));
        Viewer viewer = subscribe();
        HttpFlvPuller puller = puller("http://127.0.0.1:" + origin.port() + "/live/cam1.flv", HttpFlvClientConfig.defaults(), null);
        puller.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        puller.done().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitGoldenFrames(viewer);
        assertTrue(puller.status().lastError().isEmpty(), "" + puller.status());
    }

    @Test
    void aRefusalFailsStartNamingTheStatus() throws Exception {
        FlvOrigin origin = origin(null, new FlvOrigin.Answer(404, new byte[0], 1, FlvOrigin.Ending.LAST_CHUNK));
        HttpFlvPuller puller = puller("http://127.0.0.1:" + origin.port() + "/live/missing.flv", HttpFlvClientConfig.defaults(), null);
        HttpFlvProtocolException e = startFails(puller, HttpFlvProtocolException.class);
        assertEquals("http://127.0.0.1:" + origin.port() + "/live/missing.flv answered 404 Not Found, not 200", e.getMessage());
        puller.done().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(RelayState.STOPPED, puller.status().state());
        assertEquals(e.getMessage(), puller.status().lastError().orElseThrow());
        assertEquals(1, puller.status().attempts());
        assertEquals(List.of(puller), finished);
    }

    @Test
    void aRefusedConnectionFailsStart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpFlvPuller puller = puller("http://127.0.0.1:" + port + "/live/cam1.flv", HttpFlvClientConfig.defaults(), null);
        startFails(puller, ConnectException.class);
        puller.done().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(puller.status().lastError().isPresent());
    }

    @Test
    void aStreamWithoutTracksFailsAtTheStartTimeout() throws Exception {
        FlvOrigin origin = origin(null, new FlvOrigin.Answer(200, FlvBytes.header().toByteArray(), 100, FlvOrigin.Ending.HOLD));
        HttpFlvPuller puller = puller("http://127.0.0.1:" + origin.port() + "/a.flv", settings(Duration.ofMillis(300),
                Duration.ofSeconds(30)), null);
        HttpFlvProtocolException e = startFails(puller, HttpFlvProtocolException.class);
        assertEquals("http://127.0.0.1:" + origin.port() + "/a.flv sent no track within 300 ms", e.getMessage());
        assertFalse(engine.stream(KEY).map(s -> s.live()).orElse(false), "nothing published");
    }

    @Test
    void silenceEndsALivePullAsALostSource() throws Exception {
        FlvOrigin origin = origin(null, new FlvOrigin.Answer(200, FlvBytes.shortStream(), 50, FlvOrigin.Ending.HOLD));
        Viewer viewer = subscribe();
        HttpFlvPuller puller = puller("http://127.0.0.1:" + origin.port() + "/a.flv", settings(Duration.ofSeconds(15),
                Duration.ofMillis(400)), null);
        puller.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(puller.isActive());
        assertEquals(RelayState.LIVE, puller.status().state());
        puller.done().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("no bytes from http://127.0.0.1:" + origin.port() + "/a.flv for 400 ms",
                puller.status().lastError().orElseThrow());
        Await.until(WAIT, () -> viewer.events.contains("lost"), () -> "the subscriber hears of a lost publisher: " + viewer.events);
    }

    @Test
    void closeStopsALivePullAndItsPublisher() throws Exception {
        FlvOrigin origin = origin(null, new FlvOrigin.Answer(200, FlvBytes.shortStream(), 50, FlvOrigin.Ending.HOLD));
        HttpFlvPuller puller = puller("http://127.0.0.1:" + origin.port() + "/a.flv", HttpFlvClientConfig.defaults(), null);
        puller.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(engine.stream(KEY).orElseThrow().live());
        puller.close();
        puller.close();
        puller.done().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(RelayState.STOPPED, puller.status().state());
        assertTrue(puller.status().lastError().isEmpty(), "a close is no error: " + puller.status());
        Await.until(WAIT, () -> !engine.stream(KEY).map(s -> s.live()).orElse(false), () -> "the local stream unpublished");
        assertEquals(List.of(puller), finished);
    }

    @Test
    void closeBeforeStartFailsStart() throws Exception {
        HttpFlvPuller puller = puller("http://127.0.0.1:9/a.flv", HttpFlvClientConfig.defaults(), null);
        puller.close();
        puller.done().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        IllegalStateException e = startFails(puller, IllegalStateException.class);
        assertEquals("http-flv pull edge/cam1 closed", e.getMessage());
        assertEquals(RelayState.STOPPED, puller.status().state());
    }

    @Test
    void httpsWithATrustedCertificate(@TempDir Path dir) throws Exception {
        LoopbackCertificate certificate = LoopbackCertificate.create(dir, "localhost");
        FlvOrigin origin = origin(certificate.server(), new FlvOrigin.Answer(200, FlvBytes.resource(FlvBytes.GOLDEN_H264_AAC),
                1000, FlvOrigin.Ending.LAST_CHUNK));
        Viewer viewer = subscribe();
        HttpFlvPuller puller = puller("https://localhost:" + origin.port() + "/live/cam1.flv", HttpFlvClientConfig.defaults(),
                certificate.trustingClient());
        puller.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitGoldenFrames(viewer);
        assertEquals("localhost:" + origin.port(), origin.requests.get(0).headers().get("host"));
    }

    @Test
    void httpsRefusesACertificateForAnotherName(@TempDir Path dir) throws Exception {
        LoopbackCertificate certificate = LoopbackCertificate.create(dir, "other.example");
        FlvOrigin origin = origin(certificate.server(), new FlvOrigin.Answer(200, FlvBytes.shortStream(), 100,
                FlvOrigin.Ending.LAST_CHUNK));
        // trusted, but issued to other.example, not to 127.0.0.1
        HttpFlvPuller puller = puller("https://127.0.0.1:" + origin.port() + "/a.flv", HttpFlvClientConfig.defaults(),
                certificate.trustingClient());
        Throwable e = startFails(puller, Throwable.class);
        assertTrue(causes(e).stream().anyMatch(c -> c instanceof javax.net.ssl.SSLHandshakeException), "" + e);
        assertTrue(origin.requests.isEmpty(), "no request before the origin is verified");
    }

    /**
     * Waits for the golden file's 50 video frames and its audio frames but the first: that one
     * comes 23 ms before the first video keyframe, and the engine starts a subscriber at a keyframe.
     */
    private static void awaitGoldenFrames(Viewer viewer) {
        Await.until(WAIT, () -> count(viewer, 0) == 50 && count(viewer, 1) == 87,
                () -> count(viewer, 0) + " video and " + count(viewer, 1) + " audio frames; " + viewer.events);
    }

    private static long count(Viewer viewer, int track) {
        return viewer.frames.stream().filter(f -> f.track() == track).count();
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> out = new java.util.ArrayList<>();
        for (Throwable c = e; c != null && out.size() < 10; c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    private static HttpFlvClientConfig settings(Duration start, Duration idle) {
        return HttpFlvClientConfig.builder().connectTimeout(HttpFlvClientConfig.DEFAULT_CONNECT_TIMEOUT).startTimeout(start).idleTimeout(idle).maxTagSize(HttpFlvClientConfig.DEFAULT_MAX_TAG_SIZE).maxHeaderSize(HttpFlvClientConfig.DEFAULT_MAX_HEADER_SIZE).build();
    }

    private FlvOrigin origin(SslContext tls, FlvOrigin.Answer answer) throws InterruptedException {
        FlvOrigin origin = new FlvOrigin(loops, tls, answer);
        closeables.add(origin);
        return origin;
    }

    private HttpFlvPuller puller(String url, HttpFlvClientConfig settings, SslContext tls) {
        HttpFlvPuller puller = new HttpFlvPuller(loops.next(), blocking, engine, settings, tls, HttpFlvTarget.parse(url), KEY,
                finished::add);
        closeables.add(0, puller);   // closed before the origins
        return puller;
    }

    private Viewer subscribe() {
        Viewer viewer = new Viewer();
        engine.subscribe(KEY, viewer, SubscribeOptions.defaults().executor(loops.next()));
        return viewer;
    }

    private static <T extends Throwable> T startFails(HttpFlvPuller puller, Class<T> type) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> puller.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        return assertInstanceOf(type, e.getCause());
    }

    private static String describe(Track t) {
        var f = t.format();
        return f.codec() + f.video().map(v -> " " + v.width() + "x" + v.height()).orElse("")
                + f.audio().map(a -> " " + a.sampleRate() + " Hz " + a.channels() + " ch").orElse("");
    }

    /** The DataSize of every tag of an FLV file, added up, walking its headers by hand. */
    private static long tagBodyBytes(byte[] flv) {
        long sum = 0;
        for (int at = 13; at + 11 <= flv.length; ) {
            int size = (flv[at + 1] & 0xff) << 16 | (flv[at + 2] & 0xff) << 8 | flv[at + 3] & 0xff;
            sum += size;
            at += 11 + size + 4;
        }
        return sum;
    }
}
