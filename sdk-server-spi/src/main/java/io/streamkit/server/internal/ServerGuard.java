package io.streamkit.server.internal;

/**
 * What every listener of one server shares to keep clients within bounds: the memory budget of
 * unfinished input and the rate-limited log of clients' mistakes.
 *
 * @param log where clients' mistakes are logged, at a bounded rate
 * @param memory the budget of bytes held for unfinished inbound messages
 */
public record ServerGuard(ClientLog log, MemoryBudget memory) {
    /**
     * A guard that limits nothing and logs everything, for code that runs without a server.
     *
     * @return the guard
     */
    public static ServerGuard lenient() {
        return new ServerGuard(new ClientLog(1_000_000, 1_000_000), MemoryBudget.unlimited());
    }
}
