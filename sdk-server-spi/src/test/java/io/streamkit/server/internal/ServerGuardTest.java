package io.streamkit.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The pieces that keep clients within bounds: connection gate, memory budget, client log. */
class ServerGuardTest {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(ServerGuardTest.class);

    @Test
    void theGateLimitsConnectionsPerAddressAndInTotal() {
        ConnectionGate gate = new ConnectionGate("rtmp", 3, 2, new ClientLog(100, 100));
        EmbeddedChannel a1 = new EmbeddedChannel();
        EmbeddedChannel a2 = new EmbeddedChannel();
        EmbeddedChannel a3 = new EmbeddedChannel();
        EmbeddedChannel b1 = new EmbeddedChannel();
        EmbeddedChannel c1 = new EmbeddedChannel();
        InetSocketAddress a = new InetSocketAddress("192.0.2.1", 1000);
        assertTrue(gate.admit(a1, a));
        assertTrue(gate.admit(a2, new InetSocketAddress("192.0.2.1", 1001)));
        assertFalse(gate.admit(a3, new InetSocketAddress("192.0.2.1", 1002)), "a third from one address");
        assertFalse(a3.isOpen(), "a refused connection is closed");
        assertTrue(gate.admit(b1, new InetSocketAddress("192.0.2.2", 1000)));
        assertFalse(gate.admit(c1, new InetSocketAddress("192.0.2.3", 1000)), "a fourth in total");
        assertEquals(3, gate.connections());
        assertEquals(a, ConnectionGate.clientAddress(a1), "the address it was admitted under");
        a1.close();
        assertEquals(2, gate.connections());
        assertEquals(1, gate.connections(a.getAddress()));
        EmbeddedChannel a4 = new EmbeddedChannel();
        assertTrue(gate.admit(a4, new InetSocketAddress("192.0.2.1", 1003)), "a closed one frees its place");
        for (EmbeddedChannel ch : new EmbeddedChannel[] {a2, b1, a4}) {
            ch.close();
        }
        assertEquals(0, gate.connections());
        assertEquals(0, gate.connections(a.getAddress()));
    }

    @Test
    void theBudgetHasThreeShares() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000, 600);
        InetAddress x = InetAddress.getByName("192.0.2.1");
        InetAddress y = InetAddress.getByName("192.0.2.2");
        MemoryBudget.Account x1 = budget.open(x, 400);
        MemoryBudget.Account x2 = budget.open(x, 400);
        MemoryBudget.Account y1 = budget.open(y, 1000);
        assertTrue(x1.reserve(400));
        assertFalse(x1.reserve(1), "the connection's share");
        assertEquals("the connection would hold 401 bytes of unfinished input, more than its share of 400", x1.refusal());
        assertTrue(x2.reserve(200));
        assertFalse(x2.reserve(1), "the address's share");
        assertTrue(x2.refusal().startsWith("connections from this address would hold 601"), x2.refusal());
        assertTrue(y1.reserve(400));
        assertFalse(y1.reserve(1), "the server's share");
        assertTrue(y1.refusal().startsWith("the server would hold 1001"), y1.refusal());
        assertEquals(1000, budget.used());
        assertEquals(3, budget.refusals());
        x1.release(100);
        assertTrue(y1.reserve(100));
        x1.close();
        x2.close();
        y1.close();
        assertEquals(0, budget.used());
        assertFalse(y1.reserve(1), "a closed account takes nothing");
        MemoryBudget.Account again = budget.open(x, 600);
        assertTrue(again.reserve(600), "the address's share was given back whole");
        again.close();
        assertNull(budget.open(null, 10).refusal());
    }

    @Test
    void theClientLogWritesABurstThenTheRateAndCountsTheRest() {
        AtomicLong now = new AtomicLong();
        ClientLog clientLog = new ClientLog(2, 5, now::get);
        int written = 0;
        for (int i = 0; i < 100; i++) {
            if (clientLog.admit()) {
                written++;
            }
        }
        assertEquals(5, written, "the burst");
        assertEquals(95, clientLog.suppressed());
        now.addAndGet(1_000_000_000L);   // one second: two more lines
        written = 0;
        for (int i = 0; i < 10; i++) {
            if (clientLog.admit()) {
                written++;
            }
        }
        assertEquals(2, written);
        assertEquals(103, clientLog.suppressed());
        now.addAndGet(60_000_000_000L);   // a quiet minute refills the burst, no more
        clientLog.info(log, "client {} made a mistake", "192.0.2.1");   // says how many were suppressed
        written = 1;
        for (int i = 0; i < 10; i++) {
            if (clientLog.admit()) {
                written++;
            }
        }
        assertEquals(5, written);
    }

    @Test
    void aZeroRateWritesNothing() {
        ClientLog quiet = new ClientLog(0, 0);
        assertFalse(quiet.admit());
        quiet.warn(log, "not written");
        assertEquals(2, quiet.suppressed());
    }
}
