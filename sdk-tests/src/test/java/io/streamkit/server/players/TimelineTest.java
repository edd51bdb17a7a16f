package io.streamkit.server.players;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checks RealPlayersIT judges real players by: parsing their reports, and what counts as a jump. */
class TimelineTest {
    private static final Set<String> AV = Set.of("audio", "video");

    @Test
    void ffprobesCompactOutputGivesEachTypesTimesAndAProgramsRepeatedStreamsCountOnce() {
        Timeline t = Timeline.fromFfprobe("""
                packet|codec_type=video|pts_time=0.000000|dts_time=0.000000
                packet|codec_type=audio|pts_time=0.017000|dts_time=0.017000|side_data|

                packet|codec_type=video|pts_time=0.040000|dts_time=N/A
                program|stream|index=0|codec_name=h264|codec_type=video
                stream|index=1|codec_name=aac|codec_type=audio
                stream|index=0|codec_name=h264|codec_type=video
                """);
        assertEquals(List.of(0L, 40_000L), t.of("video"));
        assertEquals(List.of(17_000L), t.of("audio"));
        assertEquals(AV, t.types());
    }

    @Test
    void aTrackNotPublishedOrASecondStreamOfATypeIsReported() {
        Timeline extra = Timeline.fromFfprobe("stream|index=0|codec_name=h264|codec_type=video\n"
                + "stream|index=1|codec_name=h264|codec_type=video\n");
        assertTrue(extra.problems(Set.of("video"), false, 0, Long.MAX_VALUE).get(0).startsWith("tracks"));
        Timeline data = new Timeline();
        data.add("audio", 0);
        data.declare(1, "data", "none");
        assertTrue(data.problems(Set.of("audio"), false, 0, Long.MAX_VALUE).get(0).startsWith("tracks [audio, data]"));
    }

    @Test
    void stepsUpToTwoFramesAndAMillisecondPassAndLongerOrBackwardStepsDoNot() {
        Timeline t = new Timeline();
        for (long ms : new long[] {0, 40, 121, 201, 200}) {   // 81 ms passes, 80 passes, -1 does not
            t.add("video", ms * 1000);
        }
        assertEquals(List.of("video: 1 step(s) outside (0, 81] ms: #4 201->200 ms"),
                t.problems(Set.of("video"), true, 0, Long.MAX_VALUE));
        Timeline audio = new Timeline();
        audio.add("audio", 0);
        audio.add("audio", 47_440);   // two AAC frames at 44.1 kHz (46.44 ms) and a millisecond
        audio.add("audio", 94_890);
        assertEquals(List.of("audio: 1 step(s) outside (0, 47.4] ms: #2 47.4->94.9 ms"),
                audio.problems(Set.of("audio"), true, 0, Long.MAX_VALUE));
    }

    @Test
    void aFirstFrameFarFromZeroAndATooShortSpanAreReported() {
        Timeline t = new Timeline();
        t.add("video", 101_000);
        t.add("video", 141_000);
        List<String> problems = t.problems(Set.of("video"), true, 3_000_000, 30_000_000);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("first frame at 101 ms"), problems.toString());
        assertTrue(problems.get(1).contains("2 frames spanning 40 ms"), problems.toString());
        assertTrue(t.problems(Set.of("video"), false, 0, 30_000_000).isEmpty(), "a re-basing player may start anywhere");
    }

    @Test
    void gstreamersTracerLinesGiveFlvdemuxsBuffersAndALostLineIsAnError() {
        String line = "0:00:00.13 1 0x5 TRACE GST_BUFFER :0:do_push_buffer_pre:<d:%s> 0:00:00.13, pad=<d:%s>, "
                + "buffer=buffer: 0x7f, pts %s, dts %s, dur 99:99:99.999999999, size 201, offset %d, offset_end %d, flags 0x4040\n";
        String log = String.format(line, "video", "video", "0:00:00.000000000", "0:00:00.000000000", 0, 1)
                + String.format(line, "audio", "audio", "0:00:00.011000000", "99:99:99.999999999", 0, 1)
                + "0:00:00.13 1 0x5 TRACE GST_BUFFER :0:do_push_buffer_pre:<queue0:src> pts 0:00:09.000000000, "
                + "dts 0:00:09.000000000, dur 99:99:99.999999999, size 1, offset 7, offset_end 8,\n"
                + String.format(line, "video", "video", "0:01:00.040000000", "0:01:00.040000000", 1, 2);
        Timeline t = Timeline.fromGstreamer(log);
        assertEquals(List.of(0L, 60_040_000L), t.of("video"));
        assertEquals(List.of(11_000L), t.of("audio"), "no dts: the pts");
        String skipped = log + String.format(line, "video", "video", "0:01:00.120000000", "0:01:00.120000000", 3, 4);
        assertThrows(AssertionError.class, () -> Timeline.fromGstreamer(skipped));
    }
}
