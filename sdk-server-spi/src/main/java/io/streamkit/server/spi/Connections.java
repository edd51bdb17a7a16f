package io.streamkit.server.spi;

import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;

/**
 * Where a module registers its client connections, so that the application sees them as it
 * sees Streamkit's own: in {@code MediaServer.clients()} and {@code /api/clients}, kickable,
 * and announced to its listeners ({@code onConnect} at registration, {@code onDisconnect} at
 * {@link Connection#close()}). From {@link ModuleContext#connections()}; thread-safe.
 */
public interface Connections {

    /**
     * Registers a connection.
     *
     * @param protocol the module's protocol name, as in auth requests and events
     * @param remoteAddress the client's address, or {@code null} when unknown
     * @param close closes the connection when the application kicks it; called from any thread
     * @return the registration, closed by the module when the connection ends
     */
    Connection register(String protocol, InetSocketAddress remoteAddress, Runnable close);

    /** One registered connection; its module updates it as the client publishes or plays. */
    interface Connection extends AutoCloseable {

        /**
         * Returns the connection's id, unique within the server: what {@code MediaServer.kick} takes.
         *
         * @return the id
         */
        long id();

        /**
         * Records that the client publishes a stream.
         *
         * @param key the stream
         */
        void publishing(StreamKey key);

        /**
         * Records that the client plays a stream.
         *
         * @param key the stream
         */
        void playing(StreamKey key);

        /** Unregisters the connection and announces its end; idempotent. */
        @Override
        void close();
    }
}
