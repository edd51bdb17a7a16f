package io.streamkit.format.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.stream.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the multitrack writers of {@link FlvTags} write, {@code parseTracks} reads back to
 * the same fields; and the writers refuse what they cannot write without writing anything.
 */
class FlvTagsMultitrackTest {
    private static final byte[] PAYLOAD = {0, 0, 0, 2, 0x65, (byte) 0x88};

    /** What a video writer is asked to write. */
    enum VideoWrite { CONFIG, FRAME, END }

    static Stream<Arguments> videoRows() {
        return Stream.of(
                Arguments.of(Codec.H264, 1, VideoWrite.CONFIG, true, 0, 7),
                Arguments.of(Codec.H264, 1, VideoWrite.FRAME, true, 0, 7),
                Arguments.of(Codec.H264, 2, VideoWrite.FRAME, false, 40, 10),
                Arguments.of(Codec.H264, 255, VideoWrite.FRAME, false, FlvTags.MIN_COMPOSITION_TIME, 10),
                Arguments.of(Codec.H264, 1, VideoWrite.END, true, 0, 7),
                Arguments.of(Codec.H265, 3, VideoWrite.FRAME, true, FlvTags.MAX_COMPOSITION_TIME, 10),
                Arguments.of(Codec.H265, 1, VideoWrite.FRAME, false, -1, 10),
                Arguments.of(Codec.H265, 1, VideoWrite.CONFIG, true, 0, 7),
                Arguments.of(Codec.AV1, 1, VideoWrite.FRAME, true, 0, 7),
                Arguments.of(Codec.AV1, 7, VideoWrite.CONFIG, true, 0, 7),
                Arguments.of(Codec.AV1, 9, VideoWrite.END, true, 0, 7),
                Arguments.of(Codec.VP9, 1, VideoWrite.FRAME, false, 0, 7),
                Arguments.of(Codec.VP9, 128, VideoWrite.CONFIG, true, 0, 7));
    }

    @ParameterizedTest(name = "{0} track {1} {2} key={3} cts={4}")
    @MethodSource("videoRows")
    void videoRoundTrip(Codec codec, int trackId, VideoWrite what, boolean keyframe, int cts, int headerLength) {
        ByteBuf body = Unpooled.buffer();
        try {
            int n = switch (what) {
                case CONFIG -> FlvTags.writeMultitrackVideoSequenceStart(body, trackId, codec);
                case FRAME -> FlvTags.writeMultitrackVideoHeader(body, trackId, codec, keyframe, cts);
                case END -> FlvTags.writeMultitrackVideoSequenceEnd(body, trackId, codec);
            };
            assertEquals(headerLength, n);
            assertEquals(n, body.readableBytes());
            assertTrue(n <= FlvTags.MAX_VIDEO_HEADER_LENGTH);
            byte[] payload = what == VideoWrite.END ? new byte[0] : PAYLOAD;
            body.writeBytes(payload);

            List<FlvVideoTag> tags = new ArrayList<>();
            assertEquals(1, FlvVideoTag.parseTracks(body, tags));
            FlvVideoTag t = tags.get(0);
            FlvPacketKind kind = switch (what) {
                case CONFIG -> FlvPacketKind.CONFIG;
                case FRAME -> FlvPacketKind.FRAME;
                case END -> FlvPacketKind.END_OF_SEQUENCE;
            };
            assertEquals(new FlvVideoTag(codec, kind, keyframe, cts, true, trackId, 0, null, n, payload.length), t);
            assertArrayEquals(payload, ByteBufUtil.getBytes(t.payload(body)));
            // parse() reads the same body as a track it does not map.
            FlvVideoTag zero = FlvVideoTag.parse(body);
            assertEquals(FlvPacketKind.IGNORED, zero.kind());
            assertEquals(1, zero.ignoredTracks());
        } finally {
            body.release();
        }
    }

    static Stream<Arguments> audioRows() {
        return Stream.of(
                Arguments.of(Codec.AAC, 1, true),
                Arguments.of(Codec.AAC, 2, false),
                Arguments.of(Codec.AAC, 255, false),
                Arguments.of(Codec.OPUS, 1, true),
                Arguments.of(Codec.OPUS, 200, false),
                Arguments.of(Codec.MP3, 1, false));
    }

    @ParameterizedTest(name = "{0} track {1} config={2}")
    @MethodSource("audioRows")
    void audioRoundTrip(Codec codec, int trackId, boolean config) {
        ByteBuf body = Unpooled.buffer();
        try {
            int n = FlvTags.writeMultitrackAudioHeader(body, trackId, codec, config);
            assertEquals(7, n);
            assertEquals(n, body.readableBytes());
            assertTrue(n <= FlvTags.MAX_AUDIO_HEADER_LENGTH);
            body.writeBytes(PAYLOAD);

            List<FlvAudioTag> tags = new ArrayList<>();
            assertEquals(1, FlvAudioTag.parseTracks(body, tags));
            FlvPacketKind kind = config ? FlvPacketKind.CONFIG : FlvPacketKind.FRAME;
            assertEquals(new FlvAudioTag(codec, kind, 0, 0, true, trackId, 0, null, n, PAYLOAD.length), tags.get(0));
            assertArrayEquals(PAYLOAD, ByteBufUtil.getBytes(tags.get(0).payload(body)));
        } finally {
            body.release();
        }
    }

    /** The plain writers, for track 0, read back through parseTracks as track 0 and as parse() reads them. */
    static Stream<Arguments> plainRows() {
        return Stream.of(
                Arguments.of("legacy H.264 frame", (Consumer<ByteBuf>) b -> FlvTags.writeVideoHeader(b, Codec.H264, true, 40, false)),
                Arguments.of("enhanced H.265 frame", (Consumer<ByteBuf>) b -> FlvTags.writeVideoHeader(b, Codec.H265, false, -2, true)),
                Arguments.of("enhanced AV1 sequence start", (Consumer<ByteBuf>) b -> FlvTags.writeVideoSequenceStart(b, Codec.AV1, true)),
                Arguments.of("legacy H.264 sequence end", (Consumer<ByteBuf>) b -> FlvTags.writeVideoSequenceEnd(b, Codec.H264, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainRows")
    void plainVideoFormsAreTrackZero(String name, Consumer<ByteBuf> writer) {
        ByteBuf body = Unpooled.buffer();
        try {
            writer.accept(body);
            body.writeBytes(PAYLOAD);
            List<FlvVideoTag> tags = new ArrayList<>();
            assertEquals(1, FlvVideoTag.parseTracks(body, tags));
            assertEquals(FlvVideoTag.parse(body), tags.get(0));
            assertEquals(0, tags.get(0).trackId());
        } finally {
            body.release();
        }
    }

    @Test
    void plainAudioFormsAreTrackZero() {
        for (Codec codec : List.of(Codec.AAC, Codec.MP3, Codec.OPUS)) {
            ByteBuf body = Unpooled.buffer();
            try {
                FlvTags.writeAudioHeader(body, codec, 44_100, 2, false);
                body.writeBytes(PAYLOAD);
                List<FlvAudioTag> tags = new ArrayList<>();
                assertEquals(1, FlvAudioTag.parseTracks(body, tags));
                assertEquals(FlvAudioTag.parse(body), tags.get(0));
                assertEquals(0, tags.get(0).trackId());
                assertEquals(codec, tags.get(0).codec());
            } finally {
                body.release();
            }
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("video header of track 0", b -> FlvTags.writeMultitrackVideoHeader(b, 0, Codec.H264, true, 0),
                        "track 0 is written in the plain form"),
                refusal("video header of track 256", b -> FlvTags.writeMultitrackVideoHeader(b, 256, Codec.H264, true, 0),
                        "track id 256 is outside 1 to 255"),
                refusal("video header of track -1", b -> FlvTags.writeMultitrackVideoHeader(b, -1, Codec.AV1, true, 0),
                        "track id -1"),
                refusal("video header of an audio codec", b -> FlvTags.writeMultitrackVideoHeader(b, 1, Codec.AAC, true, 0),
                        "AAC is not a video codec"),
                refusal("AV1 with a composition time", b -> FlvTags.writeMultitrackVideoHeader(b, 1, Codec.AV1, true, 1),
                        "AV1 carries no composition time"),
                refusal("composition time past SI24", b -> FlvTags.writeMultitrackVideoHeader(b, 1, Codec.H264, true,
                        FlvTags.MAX_COMPOSITION_TIME + 1), "outside the SI24 range"),
                refusal("video sequence start of track 0", b -> FlvTags.writeMultitrackVideoSequenceStart(b, 0, Codec.H265),
                        "track 0 is written in the plain form"),
                refusal("video sequence start of an audio codec", b -> FlvTags.writeMultitrackVideoSequenceStart(b, 1, Codec.OPUS),
                        "OPUS is not a video codec"),
                refusal("video sequence end of track 300", b -> FlvTags.writeMultitrackVideoSequenceEnd(b, 300, Codec.VP9),
                        "track id 300"),
                refusal("audio header of track 0", b -> FlvTags.writeMultitrackAudioHeader(b, 0, Codec.AAC, false),
                        "track 0 is written in the plain form"),
                refusal("audio header of a video codec", b -> FlvTags.writeMultitrackAudioHeader(b, 1, Codec.H264, false),
                        "H264 is not an audio codec"),
                refusal("MP3 configuration", b -> FlvTags.writeMultitrackAudioHeader(b, 1, Codec.MP3, true),
                        "MP3 has no configuration"));
    }

    private static Arguments refusal(String name, Consumer<ByteBuf> write, String message) {
        return Arguments.of(name, write, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsWriteNothing(String name, Consumer<ByteBuf> write, String message) {
        ByteBuf out = Unpooled.buffer();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write.accept(out));
            assertTrue(e.getMessage().contains(message), e.getMessage());
            assertEquals(0, out.writerIndex());
        } finally {
            out.release();
        }
    }

    @Test
    void theOneTrackFormIsWhatFfmpeg8Writes() {
        // The headers FFmpeg 8.1 writes for track 1 (make-multitrack-fixtures.sh, and the same
        // encode without B-frames for the CodedFramesX 'a6 03').
        ByteBuf out = Unpooled.buffer();
        try {
            FlvTags.writeMultitrackVideoSequenceStart(out, 1, Codec.H264);
            FlvTags.writeMultitrackVideoHeader(out, 1, Codec.H264, false, 0);
            FlvTags.writeMultitrackAudioHeader(out, 1, Codec.AAC, true);
            FlvTags.writeMultitrackAudioHeader(out, 1, Codec.OPUS, false);
            // 96: IsExHeader, key frame, Multitrack; 00: OneTrack, SequenceStart; 'avc1'; track 1 ...
            assertEquals("96006176633101" + "a6036176633101" + "95006d70346101" + "95014f70757301",
                    ByteBufUtil.hexDump(out));
        } finally {
            out.release();
        }
    }
}
