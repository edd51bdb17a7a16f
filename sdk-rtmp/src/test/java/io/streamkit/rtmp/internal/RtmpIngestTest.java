package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.stream.Codec;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.stream.TrackStats;
import io.streamkit.test.AccessUnitFixtures;
import io.streamkit.test.TestMedia;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RTMP ingest takes the keyframe flag of H.264 and H.265 frames from their bitstream, in both
 * directions, over the NAL unit length size of the track's record; other codecs keep the FLV flag.
 */
class RtmpIngestTest {

    /** Real access units of make-access-units.sh, sent with a true or a false FLV frame type. */
    @ParameterizedTest(name = "{0} access unit {1} ({3}) flagged {2}")
    @CsvSource({
        // fixture,                 index, FLV keyframe, what it is,                   keyframe published
        "h264-open-gop-64x64.h264,  0,     true,         IDR,                          true",
        "h264-open-gop-64x64.h264,  0,     false,        IDR,                          true",
        "h264-open-gop-64x64.h264,  4,     true,         non-IDR I with recovery SEI,  false",
        "h264-open-gop-64x64.h264,  1,     false,        P,                            false",
        "hevc-open-gop-64x64.h265,  4,     true,         CRA,                          true",
        "hevc-open-gop-64x64.h265,  4,     false,        CRA,                          true",
        "hevc-open-gop-64x64.h265,  1,     true,         TRAIL_R,                      false",
        "hevc-radl-64x64.h265,      2,     false,        IDR_W_RADL,                   true",
        "hevc-radl-64x64.h265,      3,     true,         RADL_R,                       false",
    })
    void theBitstreamDecidesForH264AndH265(String fixture, int index, boolean flvKeyframe, String what,
            boolean expected) {
        boolean h265 = fixture.startsWith("hevc");
        RecordingPublisher pub = new RecordingPublisher();
        RtmpIngest ingest = new RtmpIngest(pub);
        byte[] record = AccessUnitFixtures.read(h265 ? "hevc-main-320x240-25.hvcC" : "h264-baseline-320x240-25.avcC");
        send(ingest, legacy(h265, true, 0, record));
        byte[] au = AccessUnitFixtures.accessUnits(fixture, h265, 4).get(index);
        send(ingest, legacy(h265, flvKeyframe, 1, au));
        assertEquals(List.of(expected), pub.keyframes, what);
        assertEquals(flvKeyframe == expected ? 0 : 1, ingest.keyframeFlagsCorrected());
    }

    @Test
    void theLengthSizeComesFromTheRecord() {
        byte[] idr = AccessUnitFixtures.accessUnits("h264-open-gop-64x64.h264", false, 2).get(0);   // 2-byte NAL unit lengths
        byte[] twoByteLengths = TestMedia.AVC_320x240.clone();
        twoByteLengths[4] = (byte) 0xfd;   // lengthSizeMinusOne 1
        for (byte[] record : new byte[][] {twoByteLengths, TestMedia.AVC_320x240}) {
            RecordingPublisher pub = new RecordingPublisher();
            RtmpIngest ingest = new RtmpIngest(pub);
            send(ingest, legacy(false, true, 0, record));
            send(ingest, legacy(false, true, 1, idr));
            boolean matches = record == twoByteLengths;
            assertEquals(List.of(matches), pub.keyframes, matches ? "an IDR read with the record's 2-byte lengths"
                    : "2-byte lengths read as the 4-byte ones the record declares: malformed, no keyframe");
        }
    }

    @ParameterizedTest(name = "AV1 flagged {0}")
    @CsvSource({"true", "false"})
    void otherCodecsKeepTheFlvFlag(boolean flvKeyframe) {
        RecordingPublisher pub = new RecordingPublisher();
        RtmpIngest ingest = new RtmpIngest(pub);
        send(ingest, enhanced(true, 0, "av01", AccessUnitFixtures.read("av1-aom-320x240-25.av1C")));
        send(ingest, enhanced(flvKeyframe, 1, "av01", new byte[] {0x12, 0x00, 0x32, 0x01, 0x00}));
        assertEquals(List.of(flvKeyframe), pub.keyframes);
        assertEquals(Codec.AV1, pub.tracks.get(0).codec());
    }

    private static void send(RtmpIngest ingest, ByteBuf body) {
        try {
            ingest.video(body, 40);
        } finally {
            body.release();
        }
    }

    /** A legacy FLV video tag body: AVC (CodecID 7) or the common HEVC CodecID 12, composition time 0. */
    private static ByteBuf legacy(boolean h265, boolean keyframe, int packetType, byte[] payload) {
        return Unpooled.buffer().writeByte((keyframe ? 0x10 : 0x20) | (h265 ? 12 : 7)).writeByte(packetType)
                .writeMedium(0).writeBytes(payload);
    }

    /** An Enhanced RTMP video tag body: SequenceStart (0) or CodedFrames (1) of a FourCC without composition time. */
    private static ByteBuf enhanced(boolean keyframe, int packetType, String fourCc, byte[] payload) {
        return Unpooled.buffer().writeByte(0x80 | (keyframe ? 0x10 : 0x20) | packetType)
                .writeBytes(fourCc.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).writeBytes(payload);
    }

    /** Records the keyframe flag of each frame written and releases its payload. */
    private static final class RecordingPublisher implements Publisher {
        final List<Boolean> keyframes = new ArrayList<>();
        final List<Track> tracks = new ArrayList<>();

        @Override
        public StreamKey key() {
            return StreamKey.of("live", "ingest");
        }

        @Override
        public Track addTrack(TrackFormat format) {
            int id = tracks.size();
            Track track = new Track() {
                @Override
                public int id() {
                    return id;
                }

                @Override
                public StreamKey stream() {
                    return key();
                }

                @Override
                public TrackFormat format() {
                    return format;
                }

                @Override
                public TrackStats stats() {
                    return new TrackStats(0, 0, 0, 0, 0);
                }
            };
            tracks.add(track);
            return track;
        }

        @Override
        public void updateTrack(Track track, TrackFormat format) {
            throw new AssertionError("one sequence header per test");
        }

        @Override
        public void updateMetadata(Map<String, Object> metadata) {
        }

        @Override
        public boolean write(Track track, long dts, long pts, boolean keyframe, ByteBuf payload) {
            keyframes.add(keyframe);
            payload.release();
            return true;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public CompletionStage<EndReason> closed() {
            return new CompletableFuture<>();
        }

        @Override
        public void close() {
        }
    }
}
