/**
 * Relays and clusters as a module: forwarding rules and destinations added at runtime, static
 * and on-demand pulls, origins that claim their streams in a stream directory and edges that
 * pull from the origin holding a stream; its state in the JSON API ({@code /api/relays}) and
 * {@code /metrics}. Applications configure it through {@code io.streamkit.cluster}.
 */
module io.streamkit.cluster {
    requires transitive io.streamkit.http;
    requires org.slf4j;

    exports io.streamkit.cluster;
    exports io.streamkit.cluster.internal to io.streamkit.protocols;
}
