package io.streamkit.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The budget's shares, and the guarantee of an authorised publisher: found by
 * {@code RtmpHostileClientsIT} in CI, where attackers filled the server's share to within a few
 * kilobytes and the live publisher's next chunk was the one refused, closing the stream.
 */
class MemoryBudgetTest {
    private static final InetAddress ATTACKER = InetAddress.getLoopbackAddress();
    private static InetAddress publisherAddress() throws Exception {
        return InetAddress.getByName("192.0.2.1");
    }

    @Test
    void aReservationPastTheServersShareIsRefusedAndHoldsNothing() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000, 1000);
        MemoryBudget.Account attacker = budget.open(ATTACKER, 1000);
        assertTrue(attacker.reserve(990));
        MemoryBudget.Account publisher = budget.open(publisherAddress(), 1000);
        assertFalse(publisher.reserve(20));
        assertTrue(publisher.refusal().contains("memory budget of 1000"), publisher.refusal());
        assertEquals(990, budget.used());
        assertEquals(1, budget.refusals());
    }

    @Test
    void aGuaranteedPublisherHoldsItsMessageWhenOthersFilledTheServersShare() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000, 1000);
        MemoryBudget.Account attacker = budget.open(ATTACKER, 1000);
        assertTrue(attacker.reserve(990));
        MemoryBudget.Account publisher = budget.open(publisherAddress(), 1000);
        publisher.guarantee(300);
        assertTrue(publisher.reserve(200), "within its guarantee");
        assertEquals(1190, budget.used(), "counted, beyond the limit by at most the guarantee");
        assertTrue(publisher.reserve(100));
        assertFalse(publisher.reserve(1), "past its guarantee the server's share applies again");
        assertFalse(attacker.reserve(1), "others stay refused");
        publisher.release(300);
        attacker.close();
        assertEquals(0, budget.used());
    }

    @Test
    void theGuaranteeLeavesTheConnectionsAndTheAddresssSharesInForce() throws Exception {
        MemoryBudget budget = new MemoryBudget(10_000, 500);
        MemoryBudget.Account publisher = budget.open(publisherAddress(), 400);
        publisher.guarantee(5_000);
        assertFalse(publisher.reserve(401), "its own share");
        MemoryBudget.Account second = budget.open(publisherAddress(), 400);
        second.guarantee(5_000);
        assertTrue(publisher.reserve(300));
        assertFalse(second.reserve(300), "the address's share");
    }
}
