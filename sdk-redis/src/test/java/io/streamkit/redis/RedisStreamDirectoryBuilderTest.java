package io.streamkit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.stream.StreamKey;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisStreamDirectory}'s settings and argument checks, which need no Redis: the
 * directory connects on first use, and every check here comes before one.
 */
class RedisStreamDirectoryBuilderTest {
    private static final String NOWHERE = "redis://127.0.0.1:1";   // never connected to
    private static final StreamKey KEY = StreamKey.of("live", "cam1");

    @Test
    void settersCheckTheirArgumentsAtOnce() {
        assertThrows(NullPointerException.class, () -> RedisStreamDirectory.builder(null));
        assertThrows(IllegalArgumentException.class, () -> RedisStreamDirectory.builder("not a uri"));
        assertThrows(IllegalArgumentException.class, () -> RedisStreamDirectory.builder("http://127.0.0.1:6379"));
        RedisStreamDirectory.Builder b = RedisStreamDirectory.builder(NOWHERE);
        assertThrows(IllegalArgumentException.class, () -> b.keyPrefix(""));
        assertThrows(NullPointerException.class, () -> b.keyPrefix(null));
        assertThrows(IllegalArgumentException.class, () -> b.commandTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.commandTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.watchPollInterval(Duration.ofMillis(99)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.watchPollInterval(Duration.ofMillis(10)));
        assertTrue(e.getMessage().contains("100 ms"), e.getMessage());
        assertEquals(b, b.keyPrefix("x:").commandTimeout(Duration.ofMillis(1)).watchPollInterval(Duration.ofMillis(100)));
    }

    @Test
    void toStringNamesTheServerButNotThePassword() throws Exception {
        RedisStreamDirectory d = RedisStreamDirectory.builder("redis://alice:s3cret@127.0.0.1:6390/2").build();
        try {
            String s = d.toString();
            assertFalse(s.contains("s3cret"), s);
            assertTrue(s.contains("redis://127.0.0.1:6390/2"), s);
            assertTrue(s.contains("streamkit:stream:*"), s);
        } finally {
            d.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shortLeasesAndEmptyNodesAreRefused() throws Exception {
        RedisStreamDirectory d = RedisStreamDirectory.connect(NOWHERE);
        try {
            Duration tooShort = Duration.ofMillis(999);
            assertThrows(IllegalArgumentException.class, () -> d.claim(KEY, "rtmp://a", tooShort));
            assertThrows(IllegalArgumentException.class, () -> d.renew(KEY, "rtmp://a", tooShort));
            assertThrows(IllegalArgumentException.class, () -> d.claim(KEY, "", Duration.ofSeconds(5)));
            assertThrows(NullPointerException.class, () -> d.claim(KEY, null, Duration.ofSeconds(5)));
            assertThrows(NullPointerException.class, () -> d.lookup(null));
        } finally {
            d.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void closedDirectoryRefusesWork() throws Exception {
        RedisStreamDirectory d = RedisStreamDirectory.connect(NOWHERE);
        d.close();
        d.close();   // idempotent
        d.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThrows(IllegalStateException.class, () -> d.watch(KEY, holder -> { }));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> d.lookup(KEY).toCompletableFuture().get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalStateException, e.getCause().toString());
    }
}
