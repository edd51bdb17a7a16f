package io.streamkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.AuthRequest;
import io.streamkit.hook.AuthResult;
import io.streamkit.hook.ConnectionEvent;
import io.streamkit.hook.PlayEvent;
import io.streamkit.hook.ServerListener;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.test.Await;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The application lists and kicks clients from Java, as the HTTP API does, hears every
 * protocol's connections, and finds one connection id in its auth request, its events and the
 * client list, with the auth decision's attributes in the events.
 */
class ServerClientsTest {

    @Test
    void anHttpFlvPlayerIsListedAndKicked() throws Exception {
        StreamKey key = StreamKey.of("live", "listed");
        List<String> events = new CopyOnWriteArrayList<>();
        List<PlayEvent> plays = new CopyOnWriteArrayList<>();
        ServerListener listener = new ServerListener() {
            @Override
            public void onConnect(ConnectionEvent event) {
                events.add("connect " + event.protocol() + " " + event.id());
            }

            @Override
            public void onDisconnect(ConnectionEvent event) {
                events.add("disconnect " + event.protocol() + " " + event.id());
            }

            @Override
            public void onPlay(PlayEvent event) {
                plays.add(event);
            }
        };
        List<AuthRequest> asked = new CopyOnWriteArrayList<>();
        try (MediaServer server = MediaServer.builder().ioThreads(1).http(0).listener(listener)
                .onPlay(request -> {
                    asked.add(request);
                    return CompletableFuture.completedFuture(AuthResult.allow(Map.of("user", "alice", "record", "no")));
                }).start();
             Socket player = new Socket(InetAddress.getLoopbackAddress(), server.httpPort().getAsInt())) {
            Publisher publisher = server.streams().publish(key);
            assertEquals(List.of(), server.clients());
            player.setSoTimeout(10_000);
            player.getOutputStream().write(("GET /live/listed.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Await.until(Duration.ofSeconds(10), () -> server.clients().size() == 1
                    && server.clients().get(0).role() == ClientInfo.Role.PLAY, () -> "clients: " + server.clients());
            ClientInfo client = server.clients().get(0);
            assertEquals("http-flv", client.protocol());
            assertEquals(ClientInfo.Role.PLAY, client.role());
            assertEquals(key, client.stream().orElseThrow());
            assertEquals(InetAddress.getLoopbackAddress(), client.remoteAddress().orElseThrow().getAddress());
            assertEquals(List.of("connect http-flv " + client.id()), events);
            // the auth request, the play event and the client list name the same connection;
            // what the auth decision attached reaches the play event
            assertEquals(1, asked.size());
            assertEquals(client.id(), asked.get(0).connectionId());
            assertEquals("http-flv", asked.get(0).protocol());
            Await.until(Duration.ofSeconds(10), () -> plays.size() == 1, plays::toString);
            assertEquals(client.id(), plays.get(0).connectionId());
            assertEquals(Map.of("user", "alice", "record", "no"), plays.get(0).attributes());
            assertTrue(server.kick(client.id()));
            assertFalse(server.kick(client.id() + 1_000));
            InputStream in = player.getInputStream();
            byte[] buffer = new byte[8192];
            while (in.read(buffer) >= 0) {
                // the response's head and the FLV header, then the end of the connection
            }
            Await.until(Duration.ofSeconds(10), () -> server.clients().isEmpty(), () -> "clients: " + server.clients());
            Await.until(Duration.ofSeconds(10), () -> events.size() == 2, events::toString);
            assertEquals(List.of("connect http-flv " + client.id(), "disconnect http-flv " + client.id()), events);
            publisher.close();
        }
    }
}
