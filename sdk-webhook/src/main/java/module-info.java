/**
 * HTTP hooks as a module: the application's publish and play decisions and every event of the
 * server (connections, publishes, plays, recorded files) sent to a backend over HTTP with the
 * JDK's {@code java.net.http} client, in SRS's dialect or a plain one; applications configure it
 * through {@code io.streamkit.webhook}.
 */
module io.streamkit.webhook {
    requires transitive io.streamkit.server.spi;
    requires java.net.http;
    requires org.slf4j;

    exports io.streamkit.webhook;
    exports io.streamkit.webhook.internal to io.streamkit.protocols;
}
