package io.streamkit.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DecodeTimesTest {
    private static final long FRAME = 40_000;

    @Test
    void withoutReorderingDecodingTimesArePresentationTimes() {
        DecodeTimes t = new DecodeTimes();
        for (int i = 0; i < 50; i++) {
            assertEquals(i * FRAME, t.next(i * FRAME));
            assertEquals(i * FRAME, t.pts());
        }
        assertEquals(0, t.delay());
    }

    @Test
    void bFramesWithAPyramidSettleToADelayAndKeepEveryRule() {
        // x264's default: 3 B-frames with a pyramid, in decoding order: I0 P4 B2 b1 b3 P8 B6 b5 b7 ...
        int[] order = {0, 4, 2, 1, 3};
        DecodeTimes t = new DecodeTimes();
        long last = Long.MIN_VALUE;
        int raised = 0;
        for (int gop = 0; gop < 20; gop++) {
            for (int k = 0; k < order.length; k++) {
                if (gop > 0 && k == 0) {
                    continue;   // one I frame only
                }
                long pts = (gop * 4L + order[k]) * FRAME;
                long dts = t.next(pts);
                assertTrue(dts > last, "decoding times increase");
                assertTrue(dts <= t.pts(), "decoding time not after presentation time");
                if (t.pts() != pts) {
                    raised++;
                    assertTrue(gop < 2, "only the first frames are presented late, not in group " + gop);
                }
                last = dts;
            }
        }
        assertTrue(raised <= 4, "frames presented late: " + raised);
        assertTrue(t.delay() >= 3 * FRAME && t.delay() <= 8 * FRAME, "delay " + t.delay());
    }
}
