package io.streamkit.server.spi;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.streamkit.engine.StreamEngine;
import io.streamkit.hook.ServerListener;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What a starting server lends its {@link ProtocolModule}s: the engine, the event loops and
 * the allocator every protocol shares, listeners, services, relay schemes and events.
 *
 * <p>The service tier: Netty types appear here on purpose, since a module builds pipelines.
 * Methods are called from {@link ProtocolModule#start}, on the thread that starts the server;
 * {@link #listen}, {@link #provide} and {@link #relayScheme} refuse to be called once the
 * server has started ({@link IllegalStateException}), the others may be kept and used later.
 */
public interface ModuleContext {

    /**
     * Returns the server's streams, where the module's publishers and players go.
     *
     * @return the engine
     */
    StreamEngine engine();

    /**
     * Returns the event loops every protocol and the engine's fan-out share; a player's frames
     * are written on the loop that owns its connection.
     *
     * @return the group
     */
    EventLoopGroup loops();

    /**
     * Returns the allocator of every connection's buffers.
     *
     * @return the server's allocator
     */
    ByteBufAllocator allocator();

    /**
     * Declares a listener, which the server binds once every module has started, with the
     * options every listener shares (the allocator, {@code TCP_NODELAY}, the players' write
     * buffer water marks). Its bound port is {@code MediaServer.port(name)}.
     *
     * @param name the listener's name, unique in the server: {@code "rtmp"}, {@code "https"}
     * @param address where to listen; port 0 picks a free one, a wildcard address listens on all
     * @param initializer builds each accepted connection's pipeline
     * @throws IllegalArgumentException when the name is taken
     */
    void listen(String name, InetSocketAddress address, ChannelHandler initializer);

    /**
     * Offers a service to the modules started after this one ({@code HttpMounts} from the
     * HTTP module, say).
     *
     * @param type what it is looked up by
     * @param service the service
     * @param <T> its type
     * @throws IllegalArgumentException when a service of that type is already offered
     */
    <T> void provide(Class<T> type, T service);

    /**
     * Looks a service up: one a module started earlier provided, or one of the server's own.
     *
     * @param type what it was provided as
     * @param <T> its type
     * @return the service, or empty when no module started so far provides it
     */
    <T> Optional<T> service(Class<T> type);

    /**
     * Registers the relay clients of a URL scheme, for {@code MediaServer.pull} and {@code push}.
     *
     * @param scheme the scheme, such as {@code "rtmp"}, matched without regard to case
     * @param relays the scheme's clients
     * @throws IllegalArgumentException when the scheme is taken
     */
    void relayScheme(String scheme, RelayScheme relays);

    /**
     * Finds the relay clients for a URL by its scheme, as {@code MediaServer.pull} and
     * {@code push} do: how a module that relays (forwarding, pulls on demand) reaches any
     * scheme another module registered. Call it once the server has started, when every
     * scheme is registered.
     *
     * @param url the remote URL, such as {@code rtmps://host/app/name}
     * @return the scheme's clients
     * @throws IllegalArgumentException when no module registered the URL's scheme; the message names those registered
     */
    RelayScheme relays(String url);

    /**
     * Adds a listener of the engine's events (streams published and ended, players, skips),
     * called after the application's own.
     *
     * @param listener called on event loops; must be fast and must not throw
     */
    void events(ServerListener listener);

    /**
     * Returns the application's listeners, and every module's, as one listener, for a module that
     * announces events of its own: a recorder's files ({@code onRecordStart}/{@code onRecordEnd}),
     * the plays and stops of viewers that hold no subscription (HLS sessions). A listener that
     * throws is logged and skipped.
     *
     * @return the composite; call it from any thread, one event at a time per client
     */
    ServerListener announcer();

    /**
     * Adds metrics of the module's own to the server's {@code /metrics} (when the HTTP module
     * serves it), written after the server's each time it is read.
     *
     * @param source writes the module's families and samples; fast, on an HTTP event loop
     */
    void metrics(MetricsSource source);

    /**
     * Returns where the module registers its client connections, to be listed, kicked and
     * announced to the application like Streamkit's own.
     *
     * @return the server's connections
     */
    Connections connections();

    /**
     * Returns the server's player write path, which Streamkit's own players use too: queued
     * shared frames, control messages in order after them, write batching, writes straight to
     * the socket where the transport allows.
     *
     * @return the factory of players' outputs
     */
    PlayerOutputs playerOutputs();

    /**
     * Returns an executor for blocking work (files, name lookups), never an event loop.
     *
     * @return the executor, shut down with the server
     */
    Executor blockingExecutor();

    /**
     * Registers work to run once the server's event loops have stopped: releasing what tasks
     * on them may still have used.
     *
     * @param task run once, on the thread that closes the server; must not throw
     */
    void onTerminated(Runnable task);
}
