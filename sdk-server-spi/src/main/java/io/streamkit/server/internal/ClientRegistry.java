package io.streamkit.server.internal;

import io.streamkit.hook.ConnectionEvent;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The media connections open now, for the API's client list, its kicks and the connection
 * gauges, and the one place connections are announced to the application's listeners. Thread-safe: a connection registers and updates its entry on its event loop, and
 * readers on any thread see each entry's latest role and stream.
 */
public final class ClientRegistry {
    private final ConcurrentHashMap<Long, Entry> clients = new ConcurrentHashMap<>();
    private final Engine events;

    /** Creates a registry that announces nothing; for tests. */
    public ClientRegistry() {
        this(null);
    }

    /**
     * Creates the registry of a server, which announces every connection that registers to
     * the application's listeners ({@code onConnect}, and {@code onDisconnect} when it
     * unregisters), whatever its protocol.
     *
     * @param events the engine whose listeners hear of connections, or {@code null} for none
     */
    public ClientRegistry(Engine events) {
        this.events = events;
    }

    /** What a client does on its connection. */
    public enum Role {
        /** Connected, not yet publishing or playing. */
        NONE,
        /** Publishes a stream. */
        PUBLISH,
        /** Plays a stream. */
        PLAY
    }

    /**
     * A snapshot of one client.
     *
     * @param id the connection's id, unique within the server's engine
     * @param protocol for example {@code rtmp}, {@code http-flv}, {@code ws-flv}
     * @param remoteAddress the peer, or {@code null} if unknown
     * @param connectedAt when the connection registered
     * @param role what it does
     * @param stream the stream it publishes or plays, or {@code null} before it says
     */
    public record Client(long id, String protocol, InetSocketAddress remoteAddress, Instant connectedAt, Role role,
                         StreamKey stream) {
    }

    /**
     * Registers a connection.
     *
     * @param id the connection's id
     * @param protocol its protocol
     * @param remoteAddress the peer, or {@code null}
     * @param close closes the connection; called by {@link #kick}, from any thread
     * @return the entry, which the connection updates and unregisters when it closes
     */
    public Entry register(long id, String protocol, InetSocketAddress remoteAddress, Runnable close) {
        Entry entry = new Entry(this, id, Objects.requireNonNull(protocol, "protocol"), remoteAddress,
                Objects.requireNonNull(close, "close"));
        clients.put(id, entry);
        if (events != null) {
            events.fireConnect(new ConnectionEvent(id, protocol, remoteAddress));
        }
        return entry;
    }

    /**
     * Lists the clients, oldest connection first.
     *
     * @return snapshots
     */
    public List<Client> list() {
        List<Client> out = new ArrayList<>(clients.size());
        for (Entry e : clients.values()) {
            out.add(e.snapshot());
        }
        out.sort(Comparator.comparing(Client::connectedAt).thenComparingLong(Client::id));
        return out;
    }

    /**
     * Counts the clients by protocol.
     *
     * @return protocol to connections, sorted by protocol
     */
    public Map<String, Integer> countByProtocol() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Entry e : clients.values()) {
            counts.merge(e.protocol, 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Closes a client's connection.
     *
     * @param id the connection's id
     * @return whether it was connected
     */
    public boolean kick(long id) {
        Entry e = clients.get(id);
        if (e == null) {
            return false;
        }
        e.close.run();
        return true;
    }

    /** One registered connection; its owner updates it on its event loop. */
    public static final class Entry {
        private final ClientRegistry registry;
        private final long id;
        private final String protocol;
        private final InetSocketAddress remoteAddress;
        private final Instant connectedAt = Instant.now();
        private final Runnable close;
        private volatile Role role = Role.NONE;
        private volatile StreamKey stream;

        private Entry(ClientRegistry registry, long id, String protocol, InetSocketAddress remoteAddress, Runnable close) {
            this.registry = registry;
            this.id = id;
            this.protocol = protocol;
            this.remoteAddress = remoteAddress;
            this.close = close;
        }

        /**
         * Records what the client does once it is allowed to.
         *
         * @param newRole publish or play
         * @param key the stream
         */
        public void role(Role newRole, StreamKey key) {
            this.stream = key;
            this.role = Objects.requireNonNull(newRole, "role");
        }

        /**
         * Removes the connection from the registry and announces its end once its subscriptions'
         * stops have been announced (they end on their event loops, after the close), so that a
         * listener hears a player's stop before its connection's disconnect; idempotent.
         */
        public void unregister() {
            if (registry.clients.remove(id, this) && registry.events != null) {
                ConnectionEvent end = new ConnectionEvent(id, protocol, remoteAddress);
                registry.events.afterSubscriptionsOf(id, () -> registry.events.fireDisconnect(end));
            }
        }

        /**
         * Returns the connection's id.
         *
         * @return the id it registered with
         */
        public long id() {
            return id;
        }

        Client snapshot() {
            Role r = role;
            return new Client(id, protocol, remoteAddress, connectedAt, r, stream);
        }
    }
}
