package io.streamkit.hook;

import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * A publish or play request as the application's {@link AuthHandler} sees it: who asks (the
 * protocol, the address, the connection), for which stream, with which query parameters.
 *
 * <p>A final class rather than a record, so that fields can be added without breaking callers;
 * made with {@link #builder(Action, StreamKey)}.
 */
public final class AuthRequest {
    private final Action action;
    private final StreamKey key;
    private final Map<String, String> query;
    private final InetSocketAddress remoteAddress;
    private final String protocol;
    private final long connectionId;
    private final String url;
    private final Credentials credentials;

    private AuthRequest(Action action, StreamKey key, Map<String, String> query, InetSocketAddress remoteAddress,
                        String protocol, long connectionId, String url, Credentials credentials) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(protocol, "protocol");
        query = query == null ? Map.of() : Map.copyOf(query);
        this.action = action;
        this.key = key;
        this.query = query;
        this.remoteAddress = remoteAddress;
        this.protocol = protocol;
        this.connectionId = connectionId;
        this.url = url == null ? "" : url;
        this.credentials = credentials;
    }

    /**
     * Returns what the client proved of its identity in the protocol itself (RTSP's Basic or
     * Digest authorization), when it sent any: a protocol without such a header (RTMP, HTTP-FLV)
     * carries tokens in the query instead.
     *
     * @return the credentials, or empty
     */
    public java.util.Optional<Credentials> credentials() {
        return java.util.Optional.ofNullable(credentials);
    }

    /**
     * Returns the URL the client connected with, as it sent it: RTMP's {@code tcUrl} (the server
     * and app, with the app's query); empty when the protocol has none or it is unknown.
     *
     * @return the client's URL, or empty
     */
    public String url() {
        return url;
    }

    /**
     * Returns publish or play.
     *
     * @return publish or play
     */
    public Action action() {
        return action;
    }

    /**
     * Returns the stream.
     *
     * @return the stream
     */
    public StreamKey key() {
        return key;
    }

    /**
     * Returns the query parameters from the URL or stream name ({@code ?token=...}): the first
     * value of each name, unmodifiable.
     *
     * @return the query parameters from the URL or stream name ({@code ?token=...}): the first
     *     value of each name, unmodifiable
     */
    public Map<String, String> query() {
        return query;
    }

    /**
     * Returns the client's address, or {@code null} for application code.
     *
     * @return the client's address, or {@code null} for application code
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Returns the protocol, for example {@code "rtmp"} or {@code "http-flv"}.
     *
     * @return the protocol, for example {@code "rtmp"} or {@code "http-flv"}
     */
    public String protocol() {
        return protocol;
    }

    /**
     * Returns the client's connection, as in {@code MediaServer.clients()} and {@link
     * ConnectionEvent#id()} (kick it, or match it to later events); 0 when the request comes from
     * no connection (application code, or HLS, whose viewers hold none).
     *
     * @return the client's connection, as in {@code MediaServer.clients()} and {@link
     *     ConnectionEvent#id()} (kick it, or match it to later events); 0 when the request comes
     *     from no connection (application code, or HLS, whose viewers hold none)
     */
    public long connectionId() {
        return connectionId;
    }

    /**
     * Starts a request; the protocol is {@code "app"} until {@link Builder#protocol} names another.
     *
     * @param action publish or play
     * @param key the stream
     * @return a builder
     */
    public static Builder builder(Action action, StreamKey key) {
        return new Builder(action, key);
    }

    /**
     * Returns one query parameter.
     *
     * @param name the parameter's name
     * @return its first value, or {@code null} if absent
     */
    public String param(String name) {
        return query.get(name);
    }

    /** What the client asks to do. */
    public enum Action {
        /** Send a stream in. */
        PUBLISH,
        /** Receive a stream. */
        PLAY
    }

    /** Builds an {@link AuthRequest}; for protocols, modules and tests. */
    public static final class Builder {
        private final Action action;
        private final StreamKey key;
        private Map<String, String> query = Map.of();
        private InetSocketAddress remoteAddress;
        private String protocol = "app";
        private long connectionId;
        private String url = "";
        private Credentials credentials;

        private Builder(Action action, StreamKey key) {
            this.action = Objects.requireNonNull(action, "action");
            this.key = Objects.requireNonNull(key, "key");
        }

        /**
         * Sets the query parameters.
         *
         * @param parameters the first value of each name; {@code null} for none
         * @return this builder
         */
        public Builder query(Map<String, String> parameters) {
            this.query = parameters == null ? Map.of() : parameters;
            return this;
        }

        /**
         * Sets the client's address.
         *
         * @param address the address, or {@code null}
         * @return this builder
         */
        public Builder remoteAddress(InetSocketAddress address) {
            this.remoteAddress = address;
            return this;
        }

        /**
         * Names the protocol.
         *
         * @param name for example {@code "rtmp"}
         * @return this builder
         */
        public Builder protocol(String name) {
            this.protocol = Objects.requireNonNull(name, "protocol");
            return this;
        }

        /**
         * Sets the client's connection.
         *
         * @param id the connection's id; 0 for none
         * @return this builder
         */
        public Builder connectionId(long id) {
            this.connectionId = id;
            return this;
        }

        /**
         * Sets the URL the client connected with (RTMP's {@code tcUrl}).
         *
         * @param clientUrl the URL as the client sent it; {@code null} for none
         * @return this builder
         */
        public Builder url(String clientUrl) {
            this.url = clientUrl == null ? "" : clientUrl;
            return this;
        }

        /**
         * Sets what the client proved of its identity in the protocol.
         *
         * @param proved the credentials, or {@code null} for none
         * @return this builder
         */
        public Builder credentials(Credentials proved) {
            this.credentials = proved;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request, its query frozen
         */
        public AuthRequest build() {
            return new AuthRequest(action, key, query, remoteAddress, protocol, connectionId, url, credentials);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuthRequest o && Objects.equals(action, o.action) && Objects.equals(key, o.key)
                && Objects.equals(query, o.query) && Objects.equals(remoteAddress, o.remoteAddress)
                && Objects.equals(protocol, o.protocol) && connectionId == o.connectionId && url.equals(o.url)
                && Objects.equals(credentials, o.credentials);
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, key, query, remoteAddress, protocol, connectionId, url, credentials);
    }

    @Override
    public String toString() {
        return "AuthRequest[" + "action=" + action + ", " + "key=" + key + ", " + "query=" + query
                + ", " + "remoteAddress=" + remoteAddress + ", " + "protocol=" + protocol
                + ", " + "connectionId=" + connectionId + ", url=" + url
                + (credentials == null ? "" : ", user=" + credentials.user() + " (" + credentials.scheme() + ")") + "]";
    }
}
