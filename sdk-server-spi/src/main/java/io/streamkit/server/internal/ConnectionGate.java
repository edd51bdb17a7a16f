package io.streamkit.server.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a listener's connections under two limits: connections open in total and connections
 * open from one client address, so that one address cannot take every slot. A connection is
 * admitted once, when its client address is known: at accept, or, behind a proxy that speaks
 * the PROXY protocol, when the proxy's header has named the client. The address it was admitted
 * under is the one every log line, auth request and client listing shows
 * ({@link #clientAddress(Channel)}).
 *
 * <p>Shared by a protocol's plain and TLS listeners; thread-safe. A refusal closes the
 * connection and writes one rate-limited line.
 */
public final class ConnectionGate {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    private static final AttributeKey<InetSocketAddress> CLIENT = AttributeKey.valueOf("streamkit.client");

    private final String protocol;
    private final int maxConnections;
    private final int maxPerAddress;
    private final ClientLog clientLog;
    private final AtomicInteger connections = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    /**
     * @param protocol the listener's name in log lines ({@code rtmp}, {@code http})
     * @param maxConnections connections open at once in total
     * @param maxPerAddress connections open at once from one client address
     * @param clientLog where refusals are logged
     */
    public ConnectionGate(String protocol, int maxConnections, int maxPerAddress, ClientLog clientLog) {
        if (maxConnections < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
        this.protocol = protocol;
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.clientLog = clientLog;
    }

    /**
     * The address of the client at the other end of a connection: the one the PROXY protocol
     * named, if the listener takes it, else the socket's peer.
     *
     * @param channel the connection
     * @return its client's address, or the channel's remote address when it has none of its own
     */
    public static SocketAddress clientAddress(Channel channel) {
        InetSocketAddress client = channel.attr(CLIENT).get();
        return client != null ? client : channel.remoteAddress();
    }

    /**
     * Admits a connection from a client address, or closes it.
     *
     * @param channel the connection, which releases its place when it closes
     * @param client its client's address (the socket's peer, or what a proxy said)
     * @return whether it was admitted; if not, it is being closed and a line was logged
     */
    public boolean admit(Channel channel, InetSocketAddress client) {
        channel.attr(CLIENT).set(client);
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            clientLog.warn(log, "{} {}: refused, {} connections reach the limit", protocol, client, maxConnections);
            channel.close();
            return false;
        }
        InetAddress address = client.getAddress();
        AtomicInteger mine = perAddress.compute(address, (a, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            c.incrementAndGet();
            return c;
        });
        if (mine.get() > maxPerAddress) {
            release(address);
            clientLog.warn(log, "{} {}: refused, {} connections from this address reach the limit",
                    protocol, client, maxPerAddress);
            channel.close();
            return false;
        }
        channel.closeFuture().addListener(f -> release(address));
        return true;
    }

    private void release(InetAddress address) {
        connections.decrementAndGet();
        perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() == 0 ? null : n);
    }

    /**
     * Returns the connections open now.
     *
     * @return the count over every address
     */
    public int connections() {
        return connections.get();
    }

    /**
     * Returns the connections open now from one address.
     *
     * @param address a client address
     * @return its count
     */
    public int connections(InetAddress address) {
        AtomicInteger n = perAddress.get(address);
        return n == null ? 0 : n.get();
    }
}
