/**
 * A {@link io.streamkit.relay.StreamDirectory} on Redis through Lettuce, for clusters of origins and edges.
 */
module io.streamkit.redis {
    requires transitive io.streamkit.core;
    requires org.slf4j;
    // Lettuce is an automatic module: it reads every module in the graph but brings in none of the
    // named Netty modules it runs on, so they are required here to be resolved on the module path.
    requires lettuce.core;
    requires io.netty.handler;
    requires io.netty.resolver.dns;

    exports io.streamkit.redis;
}
