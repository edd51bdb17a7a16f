package io.streamkit.format.mpegts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.format.mpegts.TsTestSupport.Fixture;
import io.streamkit.format.mpegts.TsTestSupport.Packet;
import io.streamkit.format.mpegts.TsTestSupport.TestTrack;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Track;
import io.streamkit.test.TestMedia;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Walks every TS packet of muxed streams and checks the PCR against ISO/IEC 13818-1 and what a
 * TR 101 290 analyser looks at: every PES's DTS (PTS without DTS) is at or after the PCR last
 * sent, PCRs are at most 100 ms apart and never go back, all on the 33-bit clock, modulo 2^33.
 */
class MpegTsMuxerPcrTest {
    private static final long WRAP = 1L << 33;
    private static final long MASK_33 = WRAP - 1;
    /** 2^33 ticks of 90 kHz in microseconds, rounded down: where the 33-bit clock wraps. */
    private static final long WRAP_MICROS = WRAP * 100 / 9;

    private final TestTrack video = new TestTrack(0, TestMedia.h264());
    private final TestTrack audio = new TestTrack(1, TestMedia.aac());

    /** What a walk saw, for assertions on its size. */
    record Walk(int pcrs, int pes, long smallestLead) {
    }

    @Test
    void theFixtureAsHlsMuxesItKeepsEveryPesAfterThePcr() {
        try (Fixture f = TsTestSupport.loadFlv()) {
            ByteBuf ts = TsTestSupport.mux(f);
            try {
                Walk walk = walk(ts);
                assertEquals(50 + 88, walk.pes(), "every frame of the fixture is a PES");
                assertTrue(walk.pcrs() >= 50, "a PCR with every video PES: " + walk.pcrs());
            } finally {
                ts.release();
            }
        }
    }

    /**
     * Audio arriving up to {@code lagMs} after the video of the same time, as RTMP encoders
     * interleave it; with the PCR equal to the video DTS the first audio PES after a video PES
     * would be before the PCR.
     */
    @ParameterizedTest(name = "audio {0} ms behind the video, starting at {1} s")
    @CsvSource({
        "0,   0",
        "150, 0",
        "300, 0",
        "600, 0",
        "300, -2.5",   // seconds before the 33-bit wrap: the clock wraps in the middle
    })
    void audioAndVideoInterleavedWithSkew(int lagMs, double startSeconds) {
        long start = startSeconds < 0 ? WRAP_MICROS + (long) (startSeconds * 1e6) : (long) (startSeconds * 1e6);
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < 250; i++) {   // 10 s of 25 fps video, a keyframe every 2 s
            long t = start + i * 40_000L;
            arrivals.add(new Arrival(t - start, video, t, i % 50 == 0));
        }
        for (int i = 0; i < 430; i++) {   // 10 s of 44.1 kHz AAC
            long t = start + i * 23_220L;
            arrivals.add(new Arrival(t - start + lagMs * 1000L, audio, t, true));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        ByteBuf ts = mux(List.of(video, audio), arrivals);
        try {
            Walk walk = walk(ts);
            assertEquals(250 + 430, walk.pes());
            assertTrue(walk.smallestLead() >= MpegTsMuxer.MUX_DELAY_90K - lagMs * 90L - 9,
                    "the mux delay less the skew is left: " + walk.smallestLead());
        } finally {
            ts.release();
        }
    }

    @ParameterizedTest(name = "starting at {0} s")
    @CsvSource({"0", "-1"})
    void audioOnlyCarriesItsPcrOnTheAudioPid(double startSeconds) {
        long start = startSeconds < 0 ? WRAP_MICROS + (long) (startSeconds * 1e6) : 0;
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < 220; i++) {   // 5 s of 44.1 kHz AAC
            long t = start + i * 23_220L;
            arrivals.add(new Arrival(i, audio, t, true));
        }
        ByteBuf ts = mux(List.of(audio), arrivals);
        try {
            Walk walk = walk(ts);
            assertEquals(220, walk.pes());
            assertEquals(220, walk.pcrs(), "one PCR with every audio PES");
        } finally {
            ts.release();
        }
    }

    @Test
    void sparseVideoWithAudioStaysWithin100Ms() {
        List<Arrival> arrivals = new ArrayList<>();
        for (long t = 0; t < 5_000_000; t += 23_220) {
            if (t % 1_000_000 < 23_220) {   // one video frame a second
                arrivals.add(new Arrival(2 * t, video, t, true));
            }
            arrivals.add(new Arrival(2 * t + 1, audio, t, true));
        }
        ByteBuf ts = mux(List.of(video, audio), arrivals);
        try {
            Walk walk = walk(ts);
            assertTrue(walk.pcrs() > 50, "PCR-only packets fill the gaps: " + walk.pcrs());
        } finally {
            ts.release();
        }
    }

    /** A frame to write, in order of {@code at}. */
    private record Arrival(long at, Track track, long dts, boolean key) {
    }

    private static ByteBuf mux(List<Track> tracks, List<Arrival> arrivals) {
        MpegTsMuxer muxer = new MpegTsMuxer();
        muxer.setTracks(tracks);
        ByteBuf out = Unpooled.buffer();
        muxer.writeTables(out);
        int n = 0;
        for (Arrival a : arrivals) {
            ByteBuf payload = a.track().type() == MediaType.VIDEO
                    ? MpegTsMuxerTest.nal(a.key() ? 0x65 : 0x41, a.key() ? 3_000 : 600)
                    : Unpooled.wrappedBuffer(new byte[200 + n++ % 50]);
            MediaFrame frame = MediaFrame.of(a.track(), a.dts(), a.dts(), a.key(), payload);
            try {
                assertTrue(muxer.writeFrame(out, frame));
            } finally {
                frame.release();
            }
        }
        return out;
    }

    /**
     * Checks every packet: PCRs never back and at most 100 ms apart, every PES's DTS (or PTS)
     * at or after the last PCR, all modulo 2^33.
     */
    static Walk walk(ByteBuf ts) {
        long lastPcr = -1;
        int pcrs = 0;
        int pes = 0;
        long smallestLead = Long.MAX_VALUE;
        for (Packet p : TsTestSupport.packets(ts)) {
            if (p.pcr() >= 0) {
                if (lastPcr >= 0) {
                    long step = p.pcr() - lastPcr & MASK_33;
                    if (step >= WRAP / 2) {
                        fail("PCR goes back by " + (WRAP - step) + " ticks at packet " + p.index());
                    }
                    assertTrue(step <= MpegTsMuxer.PCR_INTERVAL_90K, "PCR interval " + step
                            + " ticks over 100 ms at packet " + p.index());
                }
                lastPcr = p.pcr();
                pcrs++;
            }
            if (!p.start() || (p.pid() != MpegTsMuxer.VIDEO_PID && p.pid() != MpegTsMuxer.AUDIO_PID)) {
                continue;
            }
            int at = ts.readerIndex() + p.index() * 188 + p.payloadOffset();
            assertEquals(0x000001, ts.getUnsignedMedium(at), "PES start code at packet " + p.index());
            int flags = ts.getUnsignedByte(at + 7) >> 6;
            assertTrue(flags >= 2, "PES at packet " + p.index() + " has a PTS");
            long decodeTime = timestamp(ts, at + (flags == 3 ? 14 : 9));
            assertTrue(lastPcr >= 0, "a PCR before the first PES, packet " + p.index());
            long lead = decodeTime - lastPcr & MASK_33;
            if (lead >= WRAP / 2) {
                fail("PES at packet " + p.index() + " has DTS " + decodeTime + ", " + (WRAP - lead)
                        + " ticks before the PCR " + lastPcr + " already sent");
            }
            smallestLead = Math.min(smallestLead, lead);
            pes++;
        }
        return new Walk(pcrs, pes, smallestLead);
    }

    /** Reads a 33-bit PTS or DTS from its 5-byte form (2.4.3.7). */
    private static long timestamp(ByteBuf b, int at) {
        return (long) (b.getUnsignedByte(at) >> 1 & 0x7) << 30 | (long) (b.getUnsignedShort(at + 1) >> 1) << 15
                | b.getUnsignedShort(at + 3) >> 1;
    }
}
