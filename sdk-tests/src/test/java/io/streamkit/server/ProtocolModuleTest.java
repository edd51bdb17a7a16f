package io.streamkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.streamkit.hook.ServerListener;
import io.streamkit.hook.StreamEvent;
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import io.streamkit.server.spi.RelayScheme;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The module SPI's contract: order, listeners by name, rollback, services, schemes, events, and many servers. */
class ProtocolModuleTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Records its life in a shared journal, and declares one listener when given a name. */
    private static class Recorder implements ProtocolModule {
        final String name;
        final List<String> journal;
        final String listener;
        final InetSocketAddress address;

        Recorder(String name, List<String> journal, String listener, InetSocketAddress address) {
            this.name = name;
            this.journal = journal;
            this.listener = listener;
            this.address = address;
        }

        Recorder(String name, List<String> journal) {
            this(name, journal, null, null);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start(ModuleContext context) throws Exception {
            journal.add("start " + name);
            if (listener != null) {
                context.listen(listener, address, new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.writeAndFlush(ch.alloc().buffer().writeBytes((name + "\n").getBytes()));
                    }
                });
            }
            context.onTerminated(() -> journal.add("terminated " + name));
        }

        @Override
        public void stop() {
            journal.add("stop " + name);
        }
    }

    @Test
    void modulesStartInOrderStopInReverseAndWorkWaitsForTheLoops() {
        List<String> journal = new CopyOnWriteArrayList<>();
        MediaServer server = MediaServer.builder().ioThreads(1)
                .module(new Recorder("a", journal)).module(new Recorder("b", journal)).start();
        assertEquals(List.of("start a", "start b"), journal);
        server.close();
        server.close();
        assertEquals(List.of("start a", "start b", "stop b", "stop a", "terminated a", "terminated b"), journal);
    }

    @Test
    void aListenerIsBoundAfterEveryModuleStartedAndFoundByName() throws IOException {
        List<String> journal = new CopyOnWriteArrayList<>();
        try (MediaServer server = MediaServer.builder().ioThreads(1)
                .module(new Recorder("line", journal, "line", ANY_PORT)).start()) {
            int port = server.port("line").orElseThrow();
            assertTrue(port > 0);
            assertFalse(server.port("rtmp").isPresent());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5_000);
                assertEquals("line\n", new String(s.getInputStream().readNBytes(5)));
            }
        }
    }

    @Test
    void aFailedStartStopsWhatStartedInReverseAndNamesTheModule() {
        List<String> journal = new CopyOnWriteArrayList<>();
        ProtocolModule broken = new Recorder("broken", journal) {
            @Override
            public void start(ModuleContext context) throws Exception {
                super.start(context);
                throw new IOException("no such device");
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MediaServer.builder().ioThreads(1)
                .module(new Recorder("a", journal)).module(new Recorder("b", journal)).module(broken)
                .module(new Recorder("never", journal)).start());
        assertEquals("Streamkit could not start (module broken): no such device", e.getMessage());
        assertEquals(List.of("start a", "start b", "start broken", "stop b", "stop a",
                "terminated a", "terminated b", "terminated broken"), journal);
    }

    @Test
    void aPortThatCannotBeBoundStopsEveryModuleAndFreesTheOtherPorts() throws IOException {
        List<String> journal = new CopyOnWriteArrayList<>();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int free;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                free = probe.getLocalPort();
            }
            InetSocketAddress first = new InetSocketAddress(InetAddress.getLoopbackAddress(), free);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> MediaServer.builder().ioThreads(1)
                    .module(new Recorder("first", journal, "first", first))
                    .module(new Recorder("second", journal, "second", (InetSocketAddress) taken.getLocalSocketAddress()))
                    .start());
            assertTrue(e.getMessage().startsWith("Streamkit could not start: "), e.getMessage());
            assertEquals(List.of("start first", "start second", "stop second", "stop first",
                    "terminated first", "terminated second"), journal);
            try (ServerSocket again = new ServerSocket(free, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(free, again.getLocalPort());   // the first listener's port was released
            }
        }
    }

    @Test
    void listenersServicesAndSchemesAreDeclaredWhileModulesStartOnly() {
        ModuleContext[] kept = new ModuleContext[1];
        ProtocolModule keeper = new ProtocolModule() {
            @Override
            public String name() {
                return "keeper";
            }

            @Override
            public void start(ModuleContext context) {
                kept[0] = context;
            }
        };
        try (MediaServer server = MediaServer.builder().ioThreads(1).module(keeper).start()) {
            IllegalStateException late = assertThrows(IllegalStateException.class, () -> kept[0].listen("late", ANY_PORT,
                    new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                        }
                    }));
            assertEquals("listen is for ProtocolModule.start: the server has started", late.getMessage());
            assertThrows(IllegalStateException.class, () -> kept[0].provide(Greeting.class, who -> who));
            assertFalse(server.port("late").isPresent());
            assertTrue(kept[0].connections() != null);   // the rest stays usable
        }
    }

    @Test
    void namesOfModulesAndListenersAreUnique() {
        List<String> journal = new CopyOnWriteArrayList<>();
        assertEquals("Streamkit could not start: two modules are named 'x'", assertThrows(IllegalStateException.class,
                () -> MediaServer.builder().module(new Recorder("x", journal)).module(new Recorder("x", journal)).start())
                .getMessage());
        assertEquals(List.of(), journal);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MediaServer.builder().ioThreads(1)
                .rtmp(0).module(new Recorder("mine", journal, "rtmp", ANY_PORT)).start());
        assertEquals("Streamkit could not start (module mine): a listener named 'rtmp' is already declared",
                e.getMessage());
    }

    /** A service one module provides and a later one uses. */
    interface Greeting {
        String greet(String who);
    }

    @Test
    void servicesReachLaterModulesAndSchemesReachPullAndPush() {
        StreamKey key = StreamKey.of("live", "relayed");
        Puller puller = new Puller() {
            @Override
            public StreamKey localKey() {
                return key;
            }

            @Override
            public CompletionStage<Void> start() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public boolean isActive() {
                return false;
            }

            @Override
            public io.streamkit.relay.RelayStatus status() {
                return io.streamkit.relay.RelayStatus.of(io.streamkit.relay.RelayState.IDLE, java.time.Instant.now(), null,
                        0, 0, null);
            }

            @Override
            public CompletionStage<Void> done() {
                return new CompletableFuture<>();
            }

            @Override
            public void close() {
            }
        };
        List<String> seen = new CopyOnWriteArrayList<>();
        ProtocolModule provider = new ProtocolModule() {
            @Override
            public String name() {
                return "provider";
            }

            @Override
            public void start(ModuleContext context) {
                context.provide(Greeting.class, who -> "hello " + who);
            }
        };
        ProtocolModule user = new ProtocolModule() {
            @Override
            public String name() {
                return "user";
            }

            @Override
            public void start(ModuleContext context) {
                seen.add(context.service(Greeting.class).orElseThrow().greet("user"));
                context.relayScheme("TEST", new RelayScheme() {
                    @Override
                    public Puller puller(String url, StreamKey localKey) {
                        seen.add("pull " + url + " as " + localKey);
                        return puller;
                    }

                    @Override
                    public Pusher pusher(StreamKey localKey, String url) {
                        throw new UnsupportedOperationException("test:// only pulls");
                    }
                });
            }
        };
        try (MediaServer server = MediaServer.builder().ioThreads(1).module(provider).module(user).start()) {
            assertSame(puller, server.pull("test://origin/live/x", key));
            assertEquals(List.of("hello user", "pull test://origin/live/x as live/relayed"), seen);
            assertEquals("cannot pull 'srt://h/live/k': only rtmp://, rtmps://, http://, https://, rtsp://, test:// URLs are supported",
                    assertThrows(IllegalArgumentException.class, () -> server.pull("srt://h/live/k", key)).getMessage());
            assertThrows(UnsupportedOperationException.class, () -> server.push(key, "test://origin/live/x"));
        }
    }

    @Test
    void modulesHearTheEnginesEventsAfterTheApplication() {
        List<String> heard = new CopyOnWriteArrayList<>();
        ProtocolModule listening = new ProtocolModule() {
            @Override
            public String name() {
                return "listening";
            }

            @Override
            public void start(ModuleContext context) {
                context.events(new ServerListener() {
                    @Override
                    public void onPublish(StreamEvent event) {
                        heard.add("module " + event.key());
                    }
                });
            }
        };
        try (MediaServer server = MediaServer.builder().ioThreads(1).listener(new ServerListener() {
            @Override
            public void onPublish(StreamEvent event) {
                heard.add("application " + event.key());
            }
        }).module(listening).start()) {
            Publisher publisher = server.streams().publish(StreamKey.of("live", "events"));
            Await.until(Duration.ofSeconds(5), () -> heard.size() == 2, heard::toString);
            assertEquals(List.of("application live/events", "module live/events"), heard);
            publisher.close();
        }
    }

    @Test
    void oneBuilderStartsIndependentServersAndTwoServersHoldDifferentModules() throws IOException {
        List<String> journal = new CopyOnWriteArrayList<>();
        MediaServer.Builder rtmpOnly = MediaServer.builder().ioThreads(1).rtmp(0)
                .module(new Recorder("a", journal, "a", ANY_PORT));
        try (MediaServer first = rtmpOnly.start();
             MediaServer second = MediaServer.builder().ioThreads(1).hls().http(0)
                     .module(new Recorder("b", journal, "b", ANY_PORT)).start()) {
            assertTrue(first.port("rtmp").isPresent());
            assertTrue(first.port("a").isPresent());
            assertFalse(first.port("http").isPresent());
            assertFalse(first.port("b").isPresent());
            assertTrue(second.port("http").isPresent());
            assertTrue(second.port("b").isPresent());
            assertFalse(second.port("rtmp").isPresent());
            assertFalse(second.port("a").isPresent());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), second.port("b").getAsInt())) {
                s.setSoTimeout(5_000);
                assertEquals("b\n", new String(s.getInputStream().readNBytes(2)));
            }
        }
        // the builder kept no state of the servers it started: it starts the same server again
        journal.clear();
        try (MediaServer again = MediaServer.builder().ioThreads(1).rtmp(0).start();
             MediaServer third = rtmpOnly.module(new Recorder("c", journal)).start()) {
            assertTrue(again.port("rtmp").isPresent());
            assertTrue(third.port("rtmp").isPresent());
            assertTrue(third.port("a").isPresent());
            assertEquals(List.of("start a", "start c"), journal);
        }
    }
}
