package io.streamkit.hls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import io.streamkit.hls.HlsConfig;
import io.streamkit.stream.Codec;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamEngine;
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
        try (StreamEngine engine = StreamEngine.builder().build()) {
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
}
