package io.streamkit.hls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.handler.codec.http.FullHttpResponse;
import io.streamkit.engine.StreamEngine;
import io.streamkit.hls.HlsConfig;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.Await;
import io.streamkit.test.TestMedia;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Segment URIs are signed once, when a segment is made, and stay byte-identical in every
 * playlist that lists them (RFC 8216 6.2.1), across minutes of wall-clock time; the playlist
 * service runs on a clock the test moves.
 */
class HlsSegmentUriTest {
    private static final Pattern URI = Pattern.compile("(?m)^one/(\\d+)\\.ts\\?e=(\\d+)&s=([0-9a-f]{32})$");

    private final AtomicLong millis = new AtomicLong();
    private final StreamKey key = StreamKey.of("live", "one");
    private final HlsConfig config = HlsConfig.builder().viewerSessions(false)   // the per-segment signed URLs
            .segmentDuration(Duration.ofSeconds(1)).playlistSize(3)
            .keptSegments(1).build();
    private DefaultEventLoopGroup loops;
    private HlsService hls;
    private StreamEngine engine;

    @BeforeEach
    void start() {
        loops = new DefaultEventLoopGroup(2);
        hls = new HlsService(config, loops, new TestClock(millis));
        engine = Engine.builder().executor(loops).listener(hls.listener()).build();
        hls.start((Engine) engine);
    }

    @AfterEach
    void stop() {
        hls.close();
        engine.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        hls.release();
    }

    @Test
    void listedUrisStayTheSameAcrossMinutesAndExpireSessionTtlAfterTheirSegment() throws Exception {
        long ttl = config.sessionTtl().toSeconds();
        // Half a second before a minute boundary of now + sessionTtl: an expiry computed per
        // playlist request and rounded to the minute changes within the next second.
        long start = 1_700_000_000L / 60 * 60 + 59 - ttl % 60 + 60;
        assertEquals(59, (start + ttl) % 60);
        millis.set(start * 1000 + 500);

        Publisher pub = engine.publish(key);
        Track video = pub.addTrack(TestMedia.h264());
        Map<Long, String> seen = new LinkedHashMap<>();   // sequence -> URI, first seen

        writeSecond(pub, video, 0);
        writeSecond(pub, video, 1);   // its keyframe ends segment 0, signed now
        String first = awaitListing(0);
        millis.addAndGet(1_000);      // across the minute boundary of now + sessionTtl
        String second = playlist();
        assertEquals(uri(first, 0), uri(second, 0), "segment 0 in two playlists a second apart\n" + first + second);
        record(seen, first);
        record(seen, second);

        writeSecond(pub, video, 2);   // segment 1, made a second after segment 0
        record(seen, awaitListing(1));
        millis.addAndGet(60_000);
        record(seen, playlist());
        writeSecond(pub, video, 3);   // segment 2, made a minute later
        record(seen, awaitListing(2));
        millis.addAndGet(60_000);
        writeSecond(pub, video, 4);   // segment 3: segment 0 leaves the playlist of three, stays fetchable
        String last = awaitListing(3);
        record(seen, last);
        assertEquals(-1, last.indexOf("one/0.ts"), "segment 0 left the playlist:\n" + last);

        assertEquals(4, seen.size(), "segments seen: " + seen.keySet());
        long[] made = {start, start + 1, start + 61, start + 121};
        for (Map.Entry<Long, String> e : seen.entrySet()) {
            Matcher m = URI.matcher(e.getValue());
            assertTrue(m.matches(), e.getValue());
            assertEquals(made[e.getKey().intValue()] + ttl, Long.parseLong(m.group(2)),
                    "segment " + e.getKey() + " expires sessionTtl after it was made");
            assertEquals(200, status(e.getKey(), e.getValue()), "segment " + e.getKey() + " fetched with its URI");
        }
        assertEquals(4, seen.values().stream().map(u -> u.substring(u.indexOf("&s="))).distinct().count(),
                "a signature per segment");

        // A signature is good for its own segment only, and expires with it.
        assertEquals(403, status(2, seen.get(1L)), "segment 1's signature on segment 2");
        assertEquals(403, status(1, seen.get(1L).replace("e=", "e=1")), "a changed expiry");
        assertEquals(403, status(1, "one/1.ts"), "no signature");
        millis.set((start + ttl + 1) * 1000 + 500);
        FullHttpResponse expired = hls.segment(key, 0, query(seen.get(0L)));
        assertEquals(403, expired.status().code());
        assertTrue(expired.content().toString(StandardCharsets.UTF_8).contains("expired"),
                expired.content().toString(StandardCharsets.UTF_8));
        expired.release();
        assertEquals(200, status(3, seen.get(3L)), "a later segment's URI is still good");
        assertNotEquals(seen.get(0L), seen.get(3L));
        pub.close();
    }

    /** Every URI of a playlist is the one seen for its sequence number before, byte for byte. */
    private static void record(Map<Long, String> seen, String playlist) {
        Matcher m = URI.matcher(playlist);
        while (m.find()) {
            long sequence = Long.parseLong(m.group(1));
            String before = seen.putIfAbsent(sequence, m.group());
            if (before != null) {
                assertEquals(before, m.group(), "URI of segment " + sequence + " changed while listed in\n" + playlist);
            }
        }
    }

    private static String uri(String playlist, long sequence) {
        Matcher m = URI.matcher(playlist);
        while (m.find()) {
            if (Long.parseLong(m.group(1)) == sequence) {
                return m.group();
            }
        }
        throw new AssertionError("segment " + sequence + " is not in\n" + playlist);
    }

    /** One second of 25 fps video from second {@code s}, starting with a keyframe. */
    private static void writeSecond(Publisher pub, Track video, int s) {
        for (int i = 0; i < 25; i++) {
            long dts = s * 1_000_000L + i * 40_000L;
            ByteBuf au = PooledByteBufAllocator.DEFAULT.buffer(300);
            au.writeInt(296).writeByte(i == 0 ? 0x65 : 0x41).writeZero(295);
            pub.write(video, dts, dts, i == 0, au);
        }
    }

    private String awaitListing(long sequence) {
        String[] last = {""};
        Await.until(Duration.ofSeconds(10), () -> (last[0] = playlist()).contains("one/" + sequence + ".ts?"),
                () -> "segment " + sequence + " listed in\n" + last[0]);
        return last[0];
    }

    private String playlist() {
        FullHttpResponse r = hls.playlist(key, Map.of(), null).toCompletableFuture().join();
        try {
            return r.status().code() == 200 ? r.content().toString(StandardCharsets.UTF_8) : "";
        } finally {
            r.release();
        }
    }

    private int status(long sequence, String uri) {
        FullHttpResponse r = hls.segment(key, sequence, query(uri));
        try {
            return r.status().code();
        } finally {
            r.release();
        }
    }

    private static Map<String, String> query(String uri) {
        Map<String, String> query = new LinkedHashMap<>();
        int q = uri.indexOf('?');
        if (q >= 0) {
            for (String p : uri.substring(q + 1).split("&")) {
                int eq = p.indexOf('=');
                query.put(p.substring(0, eq), p.substring(eq + 1));
            }
        }
        return query;
    }

    /** A wall clock at the test's time. */
    private static final class TestClock extends Clock {
        private final AtomicLong millis;

        TestClock(AtomicLong millis) {
            this.millis = millis;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
