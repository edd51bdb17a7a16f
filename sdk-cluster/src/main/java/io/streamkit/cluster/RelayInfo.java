package io.streamkit.cluster;

import io.streamkit.relay.RelayStatus;
import io.streamkit.stream.StreamKey;
import java.util.Objects;

/**
 * One relay as {@link Relays#list()} reports it: what it is, which local stream, which remote
 * URL, and its {@link RelayStatus}.
 */
public final class RelayInfo {
    private final String id;
    private final RelayKind kind;
    private final StreamKey stream;
    private final String url;
    private final String rule;
    private final RelayStatus status;

    /**
     * Creates a snapshot.
     *
     * @param id the relay's id, unique in the server, for {@link Relays#remove}
     * @param kind what it is
     * @param stream the local stream
     * @param url the remote URL without its query (which may carry a key or a token)
     * @param rule the forwarding rule's name for {@link RelayKind#FORWARD}, otherwise {@code null}
     * @param status its state, bytes and last error
     */
    public RelayInfo(String id, RelayKind kind, StreamKey stream, String url, String rule, RelayStatus status) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.url = Objects.requireNonNull(url, "url");
        this.rule = rule;
        this.status = Objects.requireNonNull(status, "status");
    }

    /**
     * Returns the relay's id.
     *
     * @return the id, such as {@code push-3}
     */
    public String id() {
        return id;
    }

    /**
     * Returns what the relay is.
     *
     * @return the kind
     */
    public RelayKind kind() {
        return kind;
    }

    /**
     * Returns the local stream it sends or publishes.
     *
     * @return the stream
     */
    public StreamKey stream() {
        return stream;
    }

    /**
     * Returns the remote URL without its query.
     *
     * @return the URL
     */
    public String url() {
        return url;
    }

    /**
     * Returns the name of the forwarding rule that made it.
     *
     * @return the rule's name, or {@code null} when no rule made it
     */
    public String rule() {
        return rule;
    }

    /**
     * Returns its state, bytes moved, attempts and last error.
     *
     * @return the status
     */
    public RelayStatus status() {
        return status;
    }

    @Override
    public String toString() {
        return id + " " + kind + " " + stream + " " + url + ": " + status;
    }
}
