package io.streamkit.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.streamkit.hook.AuthHandler;
import io.streamkit.stream.Codec;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.test.Await;
import io.streamkit.test.RecordingSubscriber;
import io.streamkit.test.TestMedia;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The repair through the engine, on an injected clock: a publisher whose timestamps are all
 * zero, whose video format tells no frame rate, still gives subscribers evenly rising time,
 * with pts - dts kept and every repaired frame counted on its track.
 */
class ClockRepairEngineTest {
    private static final long MS = 1_000;
    private final DefaultEventExecutorGroup loops = new DefaultEventExecutorGroup(1);
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final Engine engine = Engine.create(new EngineSettings(AuthHandler.allowAll(), AuthHandler.allowAll(),
            List.of(), key -> StreamPolicy.defaults(), loops, Duration.ofSeconds(10), 10, 2_048, now::get));

    @AfterEach
    void close() {
        engine.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Test
    void zeroTimestampsAreTimedByArrivalAndFormatAndCounted() {
        StreamKey key = StreamKey.of("live", "zero");
        Publisher pub = engine.publish(key, PublishOptions.defaults().timestampWrap(PublishOptions.RTMP_TIMESTAMP_WRAP));
        Track video = pub.addTrack(TrackFormat.of(Codec.H264));   // no record: the rate is unknown
        Track audio = pub.addTrack(TestMedia.aac());              // 44.1 kHz: 23.22 ms a frame
        RecordingSubscriber sub = new RecordingSubscriber();
        engine.subscribe(key, sub).toCompletableFuture().join();
        // 30 fps video and 44.1 kHz audio arriving in real time, all stamped 0; video carries a 66 ms pts offset.
        long start = now.get();
        int videoFrames = 0;
        int audioFrames = 0;
        for (long t = 0; t < 4_000 * MS; t += MS) {
            now.set(start + t * 1_000);
            if (t >= Math.round(videoFrames * 1e6 / 30)) {
                pub.write(video, 0, 66 * MS, videoFrames % 30 == 0, TestMedia.payload(videoFrames, 200));
                videoFrames++;
            }
            if (t >= Math.round(audioFrames * 1024e6 / 44_100)) {
                pub.write(audio, 0, 0, true, TestMedia.payload(100_000 + audioFrames, 20));
                audioFrames++;
            }
        }
        int total = videoFrames + audioFrames;
        Await.until(Duration.ofSeconds(5), () -> sub.frames.size() == total, () -> sub.frames.size() + " of " + total);
        assertTrue(sub.violations.isEmpty(), sub.violations::toString);

        List<RecordingSubscriber.Seen> v = sub.frames.stream().filter(f -> f.track() == video.id()).toList();
        List<RecordingSubscriber.Seen> a = sub.frames.stream().filter(f -> f.track() == audio.id()).toList();
        for (int i = 1; i < v.size(); i++) {
            assertTrue(v.get(i).dts() > v.get(i - 1).dts(), "video rises at " + i);
            assertEquals(66 * MS, v.get(i).pts() - v.get(i).dts(), "composition offset kept at " + i);
        }
        // Once arrival has been averaged (200 ms), video steps are the arrival's 33.3 ms.
        for (int i = 10; i < v.size(); i++) {
            long step = v.get(i).dts() - v.get(i - 1).dts();
            assertTrue(Math.abs(step - 33_333) <= 1_500, "video step " + i + " is " + step + " µs");
        }
        for (int i = 1; i < a.size(); i++) {
            long step = a.get(i).dts() - a.get(i - 1).dts();
            assertTrue(Math.abs(step - 23_220) <= 1, "audio step " + i + " is " + step + " µs");
        }
        long videoEnd = v.get(v.size() - 1).dts();
        long audioEnd = a.get(a.size() - 1).dts();
        assertTrue(Math.abs(videoEnd - audioEnd) < 100 * MS, "A/V " + (videoEnd - audioEnd) / MS + " ms apart after 4 s");
        assertEquals(v.size() - 1, video.stats().timestampCorrections());
        assertEquals(a.size() - 1, audio.stats().timestampCorrections());
        pub.close();
    }
}
