package io.streamkit.stream;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Where a subscriber runs and who it is; passed to {@link io.streamkit.engine.StreamEngine#subscribe}.
 *
 * @param executor the executor every {@link Subscriber} method runs on, or {@code null} for
 *     one of the engine's own. It must run tasks one at a time, in order, on a thread of its
 *     own (an event loop, a single-thread executor). A network subscriber passes its
 *     connection's event loop, so that frames are handed once to each loop and written there
 *     without a further hop; subscribers that pass the same executor instance share that
 *     hand-off. An executor that runs tasks inline ({@code Runnable::run}) makes the
 *     subscriber run inside the publisher's write, under the stream's lock: acceptable for
 *     benchmarks, wrong for anything that blocks or publishes to another stream
 * @param protocol the output protocol as shown in the API and events, for example {@code "rtmp"}
 * @param remoteAddress the player's address, or {@code null} for application code
 */
public record SubscribeOptions(Executor executor, String protocol, InetSocketAddress remoteAddress) {

    /**
     * Checks the components.
     * @param executor where subscriber methods run, or {@code null}
     * @param protocol the protocol name
     * @param remoteAddress the client's address, or {@code null}
     */
    public SubscribeOptions {
        Objects.requireNonNull(protocol, "protocol");
    }

    /**
     * Returns the options of application code: an engine executor, protocol {@code "app"}, no address.
     *
     * @return the defaults
     */
    public static SubscribeOptions defaults() {
        return new SubscribeOptions(null, "app", null);
    }

    /**
     * Returns a copy with another executor.
     *
     * @param executor runs every subscriber method, one at a time
     * @return the copy
     */
    public SubscribeOptions executor(Executor executor) {
        return new SubscribeOptions(executor, protocol, remoteAddress);
    }

    /**
     * Returns a copy naming another protocol.
     *
     * @param protocol for example {@code "http-flv"}
     * @return the copy
     */
    public SubscribeOptions protocol(String protocol) {
        return new SubscribeOptions(executor, protocol, remoteAddress);
    }

    /**
     * Returns a copy with the player's address.
     *
     * @param address the remote address
     * @return the copy
     */
    public SubscribeOptions remoteAddress(InetSocketAddress address) {
        return new SubscribeOptions(executor, protocol, address);
    }
}
