package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.streamkit.engine.StreamEngine;
import io.streamkit.hook.ServerListener;
import io.streamkit.httpflv.HttpFlvClientConfig;
import io.streamkit.internal.engine.Engine;
import io.streamkit.relay.Puller;
import io.streamkit.relay.RelayState;
import io.streamkit.server.spi.Connections;
import io.streamkit.server.spi.MetricsSource;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.PlayerOutputs;
import io.streamkit.server.spi.RelayScheme;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module in a server's place: the {@code http} and {@code https} schemes it registers,
 * pullers made through them, no pushers, the JVM's trust for {@code https://}, and its pullers
 * closed when the server stops.
 */
class HttpFlvRelayModuleIT {
    private static final StreamKey KEY = StreamKey.of("edge", "cam1");
    private static final long WAIT_SECONDS = 10;

    private EventLoopGroup loops;
    private ExecutorService blocking;
    private StreamEngine engine;
    private Context context;
    private HttpFlvRelayModule module;
    private FlvOrigin origin;

    @BeforeEach
    void setUp() {
        loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        blocking = Executors.newSingleThreadExecutor();
        engine = Engine.builder().build();
        context = new Context();
        module = new HttpFlvRelayModule(HttpFlvClientConfig.defaults());
        module.start(context);
    }

    @AfterEach
    void tearDown() throws Exception {
        module.stop();
        if (origin != null) {
            origin.close();
        }
        engine.close();
        blocking.shutdownNow();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void registersHttpAndHttpsThatOnlyPull() {
        assertEquals("http-flv-relay", module.name());
        assertEquals(List.of("http", "https"), List.copyOf(context.schemes.keySet()));
        assertSame(context.schemes.get("http"), context.schemes.get("https"));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> context.schemes.get("http").pusher(KEY, "http://origin/live/cam1.flv"));
        assertEquals("HTTP-FLV only pulls", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> context.schemes.get("http").puller("http:///nohost", KEY));
        Puller idle = context.schemes.get("http").puller("http://127.0.0.1:9/a.flv", KEY);
        assertEquals(RelayState.IDLE, idle.status().state());
        assertEquals(KEY, idle.localKey());
    }

    @Test
    void stopClosesALivePullerAndRefusesNewOnes() throws Exception {
        origin = new FlvOrigin(loops, null, new FlvOrigin.Answer(200, FlvBytes.shortStream(), 100, FlvOrigin.Ending.HOLD));
        Puller puller = context.schemes.get("http").puller("http://127.0.0.1:" + origin.port() + "/a.flv", KEY);
        puller.start().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(puller.isActive());
        module.stop();
        puller.done().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(puller.isActive());
        assertEquals(RelayState.STOPPED, puller.status().state());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> context.schemes.get("http").puller("http://127.0.0.1:9/a.flv", KEY));
        assertEquals("the server is stopped", e.getMessage());
    }

    @Test
    void httpsTrustsOnlyWhatTheJvmTrusts(@TempDir Path dir) throws Exception {
        LoopbackCertificate certificate = LoopbackCertificate.create(dir, "localhost");
        origin = new FlvOrigin(loops, certificate.server(), new FlvOrigin.Answer(200, FlvBytes.shortStream(), 100,
                FlvOrigin.Ending.LAST_CHUNK));
        Puller puller = context.schemes.get("https").puller("https://localhost:" + origin.port() + "/a.flv", KEY);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> puller.start().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(SSLHandshakeException.class, e.getCause(), "a self-signed certificate is not trusted");
        puller.done().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(origin.requests.isEmpty(), "nothing asked of an origin that was not verified");
    }

    /** The parts of a server the module uses; the rest is not for a relay client. */
    private final class Context implements ModuleContext {
        final Map<String, RelayScheme> schemes = new TreeMap<>();

        @Override
        public StreamEngine engine() {
            return engine;
        }

        @Override
        public EventLoopGroup loops() {
            return loops;
        }

        @Override
        public ByteBufAllocator allocator() {
            return ByteBufAllocator.DEFAULT;
        }

        @Override
        public void listen(String name, InetSocketAddress address, ChannelHandler initializer) {
            throw new UnsupportedOperationException("a relay client listens on nothing");
        }

        @Override
        public <T> void provide(Class<T> type, T service) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> Optional<T> service(Class<T> type) {
            return Optional.empty();
        }

        @Override
        public void relayScheme(String scheme, RelayScheme relays) {
            if (schemes.putIfAbsent(scheme, relays) != null) {
                throw new IllegalArgumentException("scheme " + scheme + " is taken");
            }
        }

        @Override
        public RelayScheme relays(String url) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void events(ServerListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerListener announcer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void metrics(MetricsSource source) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Connections connections() {
            throw new UnsupportedOperationException();
        }

        @Override
        public PlayerOutputs playerOutputs() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Executor blockingExecutor() {
            return blocking;
        }

        @Override
        public void onTerminated(Runnable task) {
            throw new UnsupportedOperationException();
        }
    }
}
