package io.streamkit.hls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.streamkit.engine.StreamEngine;
import io.streamkit.hls.HlsConfig;
import io.streamkit.internal.engine.Engine;
import io.streamkit.stream.Codec;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** HLS never writes {@code EXTINF:0}: a segment's duration is positive whatever the timeline gave. */
class HlsSegmentDurationTest {
    private final StreamKey key = StreamKey.of("live", "still");
    private final HlsConfig config = HlsConfig.builder().segmentDuration(Duration.ofSeconds(1)).build();

    @Test
    void theTimelineSpanIsTheDurationAndOnlyANonPositiveOneFallsBackToWallClock() {
        assertEquals(2_000_000, HlsSegmenter.duration(2_000_000, 0));
        assertEquals(2_500_000, HlsSegmenter.duration(0, 2_500_000_000L));
        assertEquals(2_500_000, HlsSegmenter.duration(-40_000, 2_500_000_000L));
        assertEquals(HlsSegmenter.MIN_DURATION_MICROS, HlsSegmenter.duration(0, 0));
        assertEquals(HlsSegmenter.MIN_DURATION_MICROS, HlsSegmenter.duration(1, 10));
    }

    @Test
    void aTimelineThatStandsStillIsNotCutAndItsSegmentIsNotZeroLong() {
        // Frames that all carry dts 0, fed to the segmenter directly (the engine would have repaired them).
        try (StreamEngine engine = Engine.builder().build()) {
            Publisher pub = engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            HlsStream stream = new HlsStream(key, config, new HlsSegmentSigner(new byte[32], Clock.systemUTC(),
                    config.sessionTtl()));
            HlsSegmenter segmenter = new HlsSegmenter(stream, config, PooledByteBufAllocator.DEFAULT, false, s -> { },
                    s -> { });
            try {
                segmenter.onTrack(video);
                for (int i = 0; i < 100; i++) {
                    MediaFrame frame = MediaFrame.of(video, 0, 0, i % 25 == 0,
                            TestMedia.accessUnit(Codec.H264, i % 50, 200, i % 25 == 0));
                    try {
                        segmenter.onFrame(frame);
                    } finally {
                        frame.release();
                    }
                }
                segmenter.onEnd(EndReason.UNPUBLISHED);
                HlsStream.View view = stream.view();
                assertEquals(1, view.segments().size(), "a standing timeline never reaches the target: one segment");
                assertTrue(view.segments().get(0).durationMicros() >= HlsSegmenter.MIN_DURATION_MICROS);
                String playlist = HlsStream.playlist(view, false, HlsSegment::uri);
                assertFalse(playlist.contains("#EXTINF:0.000"), playlist);
            } finally {
                stream.release();
                pub.close();
            }
        }
    }
    @Test
    void anOpenSegmentWithoutAKeyframeToCutAtIsDroppedAtHalfTheStreamBudget() {
        HlsConfig small = HlsConfig.builder().segmentDuration(Duration.ofSeconds(1)).maxStreamBytes(2 << 20).build();
        try (StreamEngine engine = Engine.builder().build()) {
            Publisher pub = engine.publish(key);
            Track video = pub.addTrack(TestMedia.h264());
            HlsStream stream = new HlsStream(key, small, new HlsSegmentSigner(new byte[32], Clock.systemUTC(),
                    small.sessionTtl()));
            HlsSegmenter segmenter = new HlsSegmenter(stream, small, PooledByteBufAllocator.DEFAULT, false, s -> { },
                    s -> { });
            try {
                segmenter.onTrack(video);
                // One keyframe, then 10 KB frames for 10 s with no keyframe (an intra-refresh encoder),
                // then keyframes again every second.
                for (int i = 0; i < 375; i++) {   // five segments after the drop, all listed
                    boolean key = i == 0 || i >= 250 && i % 25 == 0;
                    MediaFrame frame = MediaFrame.of(video, i * 40_000L, i * 40_000L, key,
                            TestMedia.accessUnit(Codec.H264, i % 50, 10_000, key));
                    try {
                        segmenter.onFrame(frame);
                    } finally {
                        frame.release();
                    }
                }
                segmenter.onEnd(EndReason.UNPUBLISHED);
                assertEquals(1, segmenter.dropped(), "the keyframe-less run was dropped once, at 1 MiB");
                HlsStream.View view = stream.view();
                assertTrue(view.segments().get(0).discontinuity(), "the first segment after the drop is a discontinuity");
                assertTrue(view.segments().get(0).durationMicros() <= 1_100_000, "it starts at the next keyframe");
            } finally {
                stream.release();
                pub.close();
            }
        }
    }
}
