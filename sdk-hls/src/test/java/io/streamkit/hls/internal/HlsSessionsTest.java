package io.streamkit.hls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.hook.PlayEvent;
import io.streamkit.hook.ServerListener;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Viewer sessions: tokens bound to their stream, idle expiry, kicks, the limits, and one play and one stop each. */
class HlsSessionsTest {
    private static final StreamKey KEY = StreamKey.of("live", "a");
    private static final InetSocketAddress ALICE = new InetSocketAddress("10.0.0.1", 5000);
    private static final InetSocketAddress BOB = new InetSocketAddress("10.0.0.2", 5000);

    private final long[] now = {0};
    private final List<String> events = new ArrayList<>();
    private final ClientRegistry clients = new ClientRegistry();
    private final HlsSessions sessions = new HlsSessions("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
            clients, new ServerListener() {
                @Override
                public void onPlay(PlayEvent e) {
                    events.add("play " + e.connectionId() + " " + e.query());
                }

                @Override
                public void onStop(PlayEvent e) {
                    events.add("stop " + e.connectionId() + " " + e.reason());
                }
            }, TimeUnit.SECONDS.toNanos(30), 3, 2, () -> now[0]);

    @Test
    void aSessionIsCheckedForItsStreamAndItsSignature() {
        HlsSessions.Session s = sessions.open(7, KEY, ALICE, Map.of(), Map.of("token", "t"));
        String[] why = new String[1];
        assertTrue(s.token.startsWith("7-"), s.token);
        assertEquals(s, sessions.check(KEY, s.token, why));
        assertNull(sessions.check(StreamKey.of("live", "b"), s.token, why));
        assertTrue(why[0].contains("does not match"), why[0]);
        assertNull(sessions.check(KEY, "8" + s.token.substring(1), why), "another id under the same signature");
        for (String bad : new String[] {null, "", "7", "-x", "x-y", "7-" + "A".repeat(70), "99999999999999999999-x"}) {
            assertNull(sessions.check(KEY, bad, why), bad);
        }
        assertEquals(List.of("play 7 {token=t}"), events);
        assertEquals(1, clients.list().size());
        assertEquals(ClientRegistry.Role.PLAY, clients.list().get(0).role());
    }

    @Test
    void anIdleSessionEndsOnceAndARequestKeepsItAlive() {
        HlsSessions.Session s = sessions.open(1, KEY, ALICE, Map.of(), Map.of());
        String[] why = new String[1];
        now[0] = TimeUnit.SECONDS.toNanos(25);
        assertNotNull(sessions.check(KEY, s.token, why));
        now[0] = TimeUnit.SECONDS.toNanos(50);
        sessions.sweep();
        assertEquals(1, sessions.size(), "seen 25 s ago: alive");
        now[0] = TimeUnit.SECONDS.toNanos(56);
        sessions.sweep();
        sessions.sweep();
        assertEquals(0, sessions.size());
        assertNull(sessions.check(KEY, s.token, why));
        assertTrue(why[0].contains("ended"), why[0]);
        assertEquals(List.of("play 1 {}", "stop 1 CANCELLED"), events);
        assertEquals(0, clients.list().size());
    }

    @Test
    void aKickEndsTheSessionAndItsNextRequestIsRefused() {
        HlsSessions.Session s = sessions.open(4, KEY, ALICE, Map.of(), Map.of());
        assertTrue(clients.kick(4));
        assertNull(sessions.check(KEY, s.token, new String[1]));
        assertEquals(List.of("play 4 {}", "stop 4 " + EndReason.KICKED), events);
        assertTrue(!clients.kick(4), "gone from the client list");
    }

    @Test
    void theLimitsHoldInAllAndPerAddressAndFreeWithTheSessions() {
        assertNotNull(sessions.open(1, KEY, ALICE, Map.of(), Map.of()));
        assertNotNull(sessions.open(2, KEY, ALICE, Map.of(), Map.of()));
        assertNull(sessions.open(3, KEY, ALICE, Map.of(), Map.of()), "two per address");
        assertNotNull(sessions.open(4, KEY, BOB, Map.of(), Map.of()));
        assertNull(sessions.open(5, KEY, BOB, Map.of(), Map.of()), "three in all");
        assertTrue(clients.kick(1));
        assertNotNull(sessions.open(6, KEY, ALICE, Map.of(), Map.of()), "a freed place is free again");
        sessions.closeAll();
        assertEquals(0, sessions.size());
        assertTrue(events.stream().filter(e -> e.startsWith("stop")).allMatch(e -> e.endsWith("KICKED") || e.endsWith("SHUTDOWN")),
                events.toString());
        assertEquals(4, events.stream().filter(e -> e.startsWith("stop")).count(), "one stop per session opened");
    }
}
