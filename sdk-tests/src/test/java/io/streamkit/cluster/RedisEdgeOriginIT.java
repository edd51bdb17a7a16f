package io.streamkit.cluster;

import io.streamkit.redis.RedisStreamDirectory;
import io.streamkit.relay.StreamDirectory;
import io.streamkit.test.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link EdgeOriginIT}'s scenario with the directory in a real {@code redis-server} (Debian's),
 * started on a free port: each node has its own Lettuce client, as separate machines would.
 */
class RedisEdgeOriginIT extends EdgeOriginIT {
    private RedisServer redis;
    private final List<RedisStreamDirectory> clients = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopRedis() throws Exception {
        stop();   // the servers first, while their directory clients still work
        for (RedisStreamDirectory c : clients) {
            c.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        redis.close();
    }

    @Override
    StreamDirectory directory() {
        RedisStreamDirectory client = RedisStreamDirectory.builder(redis.uri())
                .watchPollInterval(Duration.ofMillis(500)).build();
        clients.add(client);
        return client;
    }
}
