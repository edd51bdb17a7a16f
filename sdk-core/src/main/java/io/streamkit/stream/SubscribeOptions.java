package io.streamkit.stream;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Where a subscriber runs and who it is; passed to the engine's {@code subscribe}.
 * Made from {@link #defaults()} and its {@code with}-style copies ({@link #executor(Executor)}, ...).
 */
public final class SubscribeOptions {
    private final Executor executor;
    private final String protocol;
    private final InetSocketAddress remoteAddress;
    private final long connectionId;
    private final Map<String, String> attributes;
    private final Map<String, String> query;

    private SubscribeOptions(Executor executor, String protocol, InetSocketAddress remoteAddress, long connectionId,
                             Map<String, String> attributes,
            Map<String, String> query) {
        Objects.requireNonNull(protocol, "protocol");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        this.executor = executor;
        this.protocol = protocol;
        this.remoteAddress = remoteAddress;
        this.connectionId = connectionId;
        this.attributes = attributes;
        this.query = query == null ? Map.of() : Map.copyOf(query);
    }

    /**
     * Returns the executor every {@link Subscriber} method runs on, or {@code null} for one of the
     * engine's own. It must run tasks one at a time, in order, on a thread of its own (an event
     * loop, a single-thread executor). A network subscriber passes its connection's event loop, so
     * that frames are handed once to each loop and written there without a further hop; subscribers
     * that pass the same executor instance share that hand-off. An executor that runs tasks inline
     * ({@code Runnable::run}) makes the subscriber run inside the publisher's write, under the
     * stream's lock, with no hand-off at all: right for a subscriber that only passes frames on to
     * threads of its own (the recorder queues them for its file writers) and for benchmarks, wrong
     * for anything that blocks, closes a subscription or publishes to another stream.
     *
     * @return the executor every {@link Subscriber} method runs on, or {@code null} for one of the
     *     engine's own. It must run tasks one at a time, in order, on a thread of its own (an event
     *     loop, a single-thread executor). A network subscriber passes its connection's event loop,
     *     so that frames are handed once to each loop and written there without a further hop;
     *     subscribers that pass the same executor instance share that hand-off. An executor that
     *     runs tasks inline ({@code Runnable::run}) makes the subscriber run inside the publisher's
     *     write, under the stream's lock: right for a subscriber that only passes frames on to
     *     threads of its own, wrong for anything that blocks, closes a subscription or publishes to
     *     another stream
     */
    public Executor executor() {
        return executor;
    }

    /**
     * Returns the output protocol as shown in the API and events, for example {@code "rtmp"}.
     *
     * @return the output protocol as shown in the API and events, for example {@code "rtmp"}
     */
    public String protocol() {
        return protocol;
    }

    /**
     * Returns the player's address, or {@code null} for application code.
     *
     * @return the player's address, or {@code null} for application code
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Returns the player's connection, as in {@code MediaServer.clients()}; 0 for application code.
     *
     * @return the player's connection, as in {@code MediaServer.clients()}; 0 for application code
     */
    public long connectionId() {
        return connectionId;
    }

    /**
     * Returns the attributes of the auth decision that let the client in
     * (the auth decision's attributes), which the engine's events carry; empty for none.
     *
     * @return the attributes of the auth decision that let the client in (the auth decision's attributes), which the engine's events carry; empty for
     *     none
     */
    public Map<String, String> attributes() {
        return attributes;
    }

    /**
     * Returns the options of application code: an engine executor, protocol {@code "app"}, no
     * address, no connection, no attributes.
     *
     * @return the defaults
     */
    public static SubscribeOptions defaults() {
        return new SubscribeOptions(null, "app", null, 0, Map.of(), Map.of());
    }

    /**
     * Returns a copy with another executor.
     *
     * @param executor runs every subscriber method, one at a time
     * @return the copy
     */
    public SubscribeOptions executor(Executor executor) {
        return new SubscribeOptions(executor, protocol, remoteAddress, connectionId, attributes, query);
    }

    /**
     * Returns a copy naming another protocol.
     *
     * @param protocol for example {@code "http-flv"}
     * @return the copy
     */
    public SubscribeOptions protocol(String protocol) {
        return new SubscribeOptions(executor, protocol, remoteAddress, connectionId, attributes, query);
    }

    /**
     * Returns a copy with the player's address.
     *
     * @param address the remote address
     * @return the copy
     */
    public SubscribeOptions remoteAddress(InetSocketAddress address) {
        return new SubscribeOptions(executor, protocol, address, connectionId, attributes, query);
    }

    /**
     * Returns a copy with the player's connection.
     *
     * @param id the connection's id
     * @return the copy
     */
    public SubscribeOptions connectionId(long id) {
        return new SubscribeOptions(executor, protocol, remoteAddress, id, attributes, query);
    }

    /**
     * Returns a copy with the auth decision's attributes.
     *
     * @param decided the attributes; {@code null} for none
     * @return the copy
     */
    public SubscribeOptions attributes(Map<String, String> decided) {
        return new SubscribeOptions(executor, protocol, remoteAddress, connectionId, decided, query);
    }

    /**
     * Returns the query parameters of the client's request (the URL's or the stream name's
     * {@code ?token=...}), which the engine's events carry; empty for none.
     *
     * @return the first value of each name, unmodifiable
     */
    public Map<String, String> query() {
        return query;
    }

    /**
     * Returns a copy with the client's query parameters.
     *
     * @param parameters the first value of each name; {@code null} for none
     * @return the copy
     */
    public SubscribeOptions query(Map<String, String> parameters) {
        return new SubscribeOptions(executor, protocol, remoteAddress, connectionId, attributes, parameters);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubscribeOptions o && Objects.equals(executor, o.executor)
                && Objects.equals(protocol, o.protocol) && Objects.equals(remoteAddress, o.remoteAddress)
                && connectionId == o.connectionId && Objects.equals(attributes, o.attributes)
                && Objects.equals(query, o.query);
    }

    @Override
    public int hashCode() {
        return Objects.hash(executor, protocol, remoteAddress, connectionId, attributes, query);
    }

    @Override
    public String toString() {
        return "SubscribeOptions[" + "executor=" + executor + ", " + "protocol=" + protocol
                + ", " + "remoteAddress=" + remoteAddress + ", " + "connectionId=" + connectionId
                + ", " + "attributes=" + attributes + ", " + "query=" + query + "]";
    }
}
