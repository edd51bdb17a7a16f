package io.streamkit.format.flv;

import static io.streamkit.format.flv.Bodies.buf;
import static io.streamkit.format.flv.Bodies.bytes;
import static io.streamkit.format.flv.Bodies.line;
import static io.streamkit.format.flv.Bodies.track;
import static io.streamkit.format.flv.Bodies.u24;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.codec.MediaFormatException;
import io.streamkit.stream.Codec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FlvVideoTag#parseTracks} over hand-built bodies of every Enhanced RTMP v2 multitrack
 * form, good and malformed, and {@link FlvVideoTag#parse} on the same bodies.
 */
class FlvVideoTracksTest {
    // Byte 0 of an enhanced multitrack video body: IsExHeader, FrameType, VideoPacketType 6.
    private static final int KEY_MT = 0x96;
    private static final int INTER_MT = 0xa6;
    private static final int GENERATED_KEY_MT = 0xc6;

    /** Name, body, the tags parseTracks returns, whether the case is a multitrack body without ignored tracks. */
    static Stream<Arguments> goodBodies() {
        return Stream.of(
                good("OneTrack avc1 CodedFrames of track 2, negative composition time",
                        bytes(KEY_MT, 0x01, "avc1", 2, u24(-3), 0, 0, 0, 1, 0x65),
                        "t2 H264 FRAME key cts-3 @10+5"),
                good("OneTrack hvc1 SequenceStart of track 1",
                        bytes(KEY_MT, 0x00, "hvc1", 1, 1, 2, 3),
                        "t1 H265 CONFIG key cts0 @7+3"),
                good("OneTrack avc1 CodedFramesX of track 0, inter",
                        bytes(INTER_MT, 0x03, "avc1", 0, 9, 9),
                        "t0 H264 FRAME inter cts0 @7+2"),
                good("ManyTracks av01 CodedFrames, three tracks",
                        bytes(INTER_MT, 0x11, "av01", track(0, u24(2), 1, 2), track(1, u24(1), 3),
                                track(2, u24(3), 4, 5, 6)),
                        "t0 AV1 FRAME inter cts0 @10+2", "t1 AV1 FRAME inter cts0 @16+1",
                        "t2 AV1 FRAME inter cts0 @21+3"),
                good("ManyTracks avc1 CodedFrames, a composition time per track",
                        bytes(KEY_MT, 0x11, "avc1", track(0, u24(5), u24(40), 7, 8), track(3, u24(3), u24(0))),
                        "t0 H264 FRAME key cts40 @13+2", "t3 H264 FRAME key cts0 @22+0"),
                good("ManyTracksManyCodecs avc1, hvc1, vp09, av01, generated key frame",
                        bytes(GENERATED_KEY_MT, 0x21, track("avc1", 1, u24(4), u24(-1), 9),
                                track("hvc1", 0, u24(3), u24(2)), track("vp09", 5, u24(2), 1, 2),
                                track("av01", 7, u24(0))),
                        "t1 H264 FRAME key cts-1 @13+1", "t0 H265 FRAME key cts2 @25+0",
                        "t5 VP9 FRAME key cts0 @33+2", "t7 AV1 FRAME key cts0 @43+0"),
                good("ManyTracks SequenceEnd, empty track data",
                        bytes(KEY_MT, 0x12, "hvc1", track(1, u24(0)), track(2, u24(0))),
                        "t1 H265 END_OF_SEQUENCE key cts0 @10+0", "t2 H265 END_OF_SEQUENCE key cts0 @14+0"),
                good("ModEx prefix, then OneTrack avc1",
                        bytes(0x97, 2, 0, 0, 1, 0x06, 0x01, "avc1", 4, u24(0), 7),
                        "t4 H264 FRAME key cts0 @15+1"),
                good("OneTrack Metadata of track 1: the frame type means nothing",
                        bytes(KEY_MT, 0x04, "av01", 1, 2, 0),
                        "t1 AV1 METADATA inter cts0 @7+2"),
                ignoring("ManyTracksManyCodecs with a FourCC Streamkit cannot carry: that track only is ignored",
                        bytes(INTER_MT, 0x23, track("vvc1", 1, u24(2), 1, 2), track("avc1", 0, u24(1), 9)),
                        "t1 null IGNORED", "t0 H264 FRAME inter cts0 @20+1"),
                ignoring("MPEG2TSSequenceStart of track 2 is ignored, with its codec",
                        bytes(KEY_MT, 0x05, "av01", 2, 1, 2),
                        "t2 AV1 IGNORED"),
                ignoring("command frame with a multitrack packet type is a command",
                        bytes(0xd6, 0x00),
                        "t0 null IGNORED"),
                ignoring("plain enhanced hvc1 CodedFramesX is track 0",
                        bytes(0x93, "hvc1", 1, 2),
                        "t0 H265 FRAME key cts0 @5+2"),
                ignoring("legacy AVC NALU is track 0",
                        bytes(0x27, 0x01, u24(2), 5),
                        "t0 H264 FRAME inter cts2 @5+1 legacy"),
                ignoring("empty body",
                        bytes(),
                        "t0 null IGNORED"));
    }

    private static Arguments good(String name, byte[] body, String... tags) {
        return Arguments.of(name, body, List.of(tags), true);
    }

    /** A case that is not a clean multitrack body: a plain form, or one with ignored tracks. */
    private static Arguments ignoring(String name, byte[] body, String... tags) {
        return Arguments.of(name, body, List.of(tags), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodBodies")
    void parseTracksReturnsEveryTrackWithItsOwnPayloadRange(String name, byte[] body, List<String> expected,
            boolean clean) {
        List<FlvVideoTag> tags = new ArrayList<>();
        int n = FlvVideoTag.parseTracks(buf(body), tags);
        assertEquals(expected, tags.stream().map(Bodies::line).toList());
        assertEquals(tags.size(), n);
        for (FlvVideoTag t : tags) {
            assertEquals(0, t.ignoredTracks());
            assertTrue(t.payloadOffset() + t.payloadLength() <= body.length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodBodies")
    void parseMapsTrackZeroAndCountsTheOthers(String name, byte[] body, List<String> expected, boolean clean) {
        List<FlvVideoTag> tags = new ArrayList<>();
        FlvVideoTag.parseTracks(buf(body), tags);
        FlvVideoTag parsed = FlvVideoTag.parse(buf(body));
        FlvVideoTag zero = tags.stream().filter(t -> t.trackId() == 0).findFirst().orElse(null);
        if (zero == null) {
            assertEquals(FlvPacketKind.IGNORED, parsed.kind());
            assertEquals(tags.size(), parsed.ignoredTracks());
            assertTrue(parsed.reason().contains("only track 0 is mapped"), parsed.reason());
        } else {
            assertEquals(new FlvVideoTag(zero.codec(), zero.kind(), zero.keyframe(), zero.compositionTime(),
                    zero.enhanced(), 0, tags.size() - 1, zero.reason(), zero.payloadOffset(), zero.payloadLength()),
                    parsed);
        }
        assertEquals(0, parsed.trackId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodBodies")
    void payloadSlicesShareTheBody(String name, byte[] body, List<String> expected, boolean clean) {
        var b = buf(body);
        List<FlvVideoTag> tags = new ArrayList<>();
        FlvVideoTag.parseTracks(b, tags);
        for (FlvVideoTag t : tags) {
            var slice = t.retainedPayload(b);
            try {
                assertEquals(t.payloadLength(), slice.readableBytes());
                for (int i = 0; i < t.payloadLength(); i++) {
                    assertEquals(body[t.payloadOffset() + i], slice.getByte(slice.readerIndex() + i));
                }
            } finally {
                slice.release();
            }
        }
        assertEquals(1, b.refCnt());
        b.release();
    }

    /**
     * Cuts every clean multitrack body at every byte: a OneTrack body stays good once its
     * header is whole (its track runs to the end of the body); a ManyTracks body is good
     * exactly where a track ends. Everything else is a MediaFormatException, nothing else.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goodBodies")
    void truncatedAtEveryByteIsGoodOnlyWhereTheFormAllows(String name, byte[] body, List<String> expected,
            boolean clean) {
        if (!clean) {
            return;
        }
        List<FlvVideoTag> whole = new ArrayList<>();
        FlvVideoTag.parseTracks(buf(body), whole);
        boolean oneTrack = name.contains("OneTrack");
        Set<Integer> trackEnds = new HashSet<>();
        whole.forEach(t -> trackEnds.add(t.payloadOffset() + t.payloadLength()));
        for (int cut = 1; cut < body.length; cut++) {
            byte[] prefix = Arrays.copyOf(body, cut);
            boolean good = oneTrack ? cut >= whole.get(0).payloadOffset() : trackEnds.contains(cut);
            List<FlvVideoTag> tags = new ArrayList<>();
            if (good) {
                FlvVideoTag.parseTracks(buf(prefix), tags);
                for (FlvVideoTag t : tags) {
                    assertTrue(t.payloadOffset() + t.payloadLength() <= cut, name + " cut at " + cut);
                }
            } else {
                assertThrows(MediaFormatException.class, () -> FlvVideoTag.parseTracks(buf(prefix), tags),
                        name + " cut at " + cut);
                assertEquals(List.of(), tags);
            }
        }
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("nested Multitrack", bytes(KEY_MT, 0x06, "avc1", 1), "must not nest"),
                Arguments.of("nested ModEx", bytes(KEY_MT, 0x07, "avc1", 1), "must not nest"),
                Arguments.of("reserved AvMultitrackType 3", bytes(KEY_MT, 0x31, "avc1", 1), "AvMultitrackType 3 is reserved"),
                Arguments.of("reserved AvMultitrackType 15", bytes(KEY_MT, 0xf1, "avc1", 1), "AvMultitrackType 15 is reserved"),
                Arguments.of("reserved inner VideoPacketType 8", bytes(KEY_MT, 0x08, "avc1", 0), "VideoPacketType 8 is reserved"),
                Arguments.of("reserved inner VideoPacketType 15",
                        bytes(KEY_MT, 0x1f, "avc1", track(0, u24(0))), "VideoPacketType 15 is reserved"),
                Arguments.of("reserved FrameType 0", bytes(0x86, 0x01, "avc1", 0, u24(0)), "FrameType 0 is reserved"),
                Arguments.of("reserved FrameType 6", bytes(0xe6, 0x01, "avc1", 0, u24(0)), "FrameType 6 is reserved"),
                Arguments.of("sizeOfTrack past the end",
                        bytes(KEY_MT, 0x11, "avc1", track(0, u24(10), 1, 2, 3)), "sizeOfTrack 10"),
                Arguments.of("second sizeOfTrack one past the end",
                        bytes(KEY_MT, 0x13, "avc1", track(0, u24(1), 1), track(1, u24(2), 1)), "sizeOfTrack 2"),
                Arguments.of("sizeOfTrack 0xFFFFFF",
                        bytes(KEY_MT, 0x13, "avc1", track(0, u24(0xffffff))), "sizeOfTrack 16777215"),
                Arguments.of("ManyTracks list of no tracks", bytes(KEY_MT, 0x11, "avc1"), "lists no tracks"),
                Arguments.of("ManyTracksManyCodecs list of no tracks", bytes(KEY_MT, 0x21), "lists no tracks"),
                Arguments.of("track id twice",
                        bytes(KEY_MT, 0x13, "avc1", track(1, u24(0)), track(1, u24(0))), "lists track 1 twice"),
                Arguments.of("track id 255 twice, ManyTracksManyCodecs",
                        bytes(KEY_MT, 0x23, track("av01", 255, u24(0)), track("vp09", 255, u24(0))),
                        "lists track 255 twice"),
                Arguments.of("17 tracks", manyTracks(17), "more than 16 tracks"),
                Arguments.of("track too short for its composition time",
                        bytes(KEY_MT, 0x11, "avc1", track(0, u24(2), 0, 0)), "CompositionTime needs 3 bytes"),
                Arguments.of("OneTrack without its track id", bytes(KEY_MT, 0x01, "avc1"), "video track id needs 1 byte"),
                Arguments.of("ManyTracksManyCodecs track FourCC cut", bytes(KEY_MT, 0x21, "av"), "track FourCC needs 4 bytes"),
                Arguments.of("multitrack FourCC cut", bytes(KEY_MT, 0x01, "avc"), "multitrack FourCC needs 4 bytes"),
                Arguments.of("no AvMultitrackType byte", bytes(KEY_MT), "AvMultitrackType needs 1 byte"),
                Arguments.of("unsupported FourCC without the wrapper", bytes(0x91, "vvc1", 0, 0, 0),
                        "FourCC 'vvc1' is not supported"));
    }

    /** A ManyTracks SequenceEnd body of {@code n} empty tracks, ids 0 to n - 1. */
    private static byte[] manyTracks(int n) {
        Object[] tracks = new Object[n];
        for (int i = 0; i < n; i++) {
            tracks[i] = track(i, u24(0));
        }
        return bytes(KEY_MT, 0x12, "av01", tracks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void malformedBodiesThrowNamingTheValueAndLeaveTheListAsItWas(String name, byte[] body, String message) {
        FlvVideoTag sentinel = FlvVideoTag.parse(buf(bytes(0x17, 0x00, u24(0))));
        List<FlvVideoTag> tags = new ArrayList<>(List.of(sentinel));
        MediaFormatException e = assertThrows(MediaFormatException.class,
                () -> FlvVideoTag.parseTracks(buf(body), tags));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(1, tags.size());
        assertSame(sentinel, tags.get(0));
        MediaFormatException p = assertThrows(MediaFormatException.class, () -> FlvVideoTag.parse(buf(body)));
        assertEquals(e.getMessage(), p.getMessage());
    }

    @Test
    void sixteenTracksAreTheLimit() {
        List<FlvVideoTag> tags = new ArrayList<>();
        assertEquals(FlvTags.MAX_TRACKS_PER_MESSAGE, FlvVideoTag.parseTracks(buf(manyTracks(16)), tags));
        assertEquals(15, tags.get(15).trackId());
        assertEquals(15, FlvVideoTag.parse(buf(manyTracks(16))).ignoredTracks());
    }

    @Test
    void parseRefusesTrackZeroWithACodecItCannotCarryWhereParseTracksIgnoresIt() {
        byte[] body = bytes(INTER_MT, 0x23, track("vvc1", 0, u24(1), 1), track("av01", 1, u24(1), 2));
        List<FlvVideoTag> tags = new ArrayList<>();
        FlvVideoTag.parseTracks(buf(body), tags);
        assertEquals(List.of("t0 null IGNORED", "t1 AV1 FRAME inter cts0 @19+1"), tags.stream().map(Bodies::line).toList());
        assertTrue(tags.get(0).reason().contains("video track 0: video FourCC 'vvc1' is not supported"),
                tags.get(0).reason());
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> FlvVideoTag.parse(buf(body)));
        assertTrue(e.getMessage().contains("'vvc1'"), e.getMessage());
    }

    @Test
    void parseOfAOneTrackPacketOfAnotherTrackIsIgnoredAsBefore() {
        FlvVideoTag t = FlvVideoTag.parse(buf(bytes(KEY_MT, 0x01, "avc1", 3, u24(0), 1)));
        assertEquals(FlvPacketKind.IGNORED, t.kind());
        assertEquals(1, t.ignoredTracks());
        assertEquals("video track 3 (only track 0 is mapped)", t.reason());
    }

    @Test
    void parseTracksAppendsAfterWhatTheListHeld() {
        List<FlvVideoTag> tags = new ArrayList<>();
        FlvVideoTag.parseTracks(buf(bytes(0x17, 0x00, u24(0), 1)), tags);
        int n = FlvVideoTag.parseTracks(buf(bytes(INTER_MT, 0x13, "av01", track(2, u24(1), 5), track(4, u24(0)))),
                tags);
        assertEquals(2, n);
        assertEquals(List.of("t0 H264 CONFIG key cts0 @5+1 legacy", "t2 AV1 FRAME inter cts0 @10+1",
                "t4 AV1 FRAME inter cts0 @15+0"), tags.stream().map(Bodies::line).toList());
    }

    /**
     * Random bytes after a multitrack header, from a fixed seed: the parser either returns
     * tracks whose ids are distinct and whose payloads lie within the body, or throws
     * MediaFormatException; never anything else.
     */
    @Test
    void randomMultitrackBodiesNeverEscapeTheirBounds() {
        Random random = new Random(20_250_601);
        int good = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] body = new byte[2 + random.nextInt(40)];
            random.nextBytes(body);
            body[0] = (byte) (0x80 | (1 + random.nextInt(4)) << 4 | FlvTags.VIDEO_MULTITRACK);
            body[1] = (byte) (random.nextInt(3) << 4 | random.nextInt(6));
            if (random.nextBoolean() && body.length >= 6) {
                System.arraycopy(new byte[] {'a', 'v', '0', '1'}, 0, body, 2, 4);
            }
            List<FlvVideoTag> tags = new ArrayList<>();
            try {
                FlvVideoTag.parseTracks(buf(body), tags);
            } catch (MediaFormatException e) {
                assertEquals(List.of(), tags);
                continue;
            }
            good++;
            Set<Integer> ids = new HashSet<>();
            for (FlvVideoTag t : tags) {
                assertTrue(ids.add(t.trackId()), "track " + t.trackId() + " twice");
                assertTrue(t.payloadOffset() + t.payloadLength() <= body.length);
            }
            assertTrue(tags.size() <= FlvTags.MAX_TRACKS_PER_MESSAGE);
        }
        assertTrue(good > 100, good + " random bodies parsed; the test would prove little");
    }

    @Test
    void everyTagOfAMultitrackBodyIsEnhancedAndNamesItsCodec() {
        List<FlvVideoTag> tags = new ArrayList<>();
        FlvVideoTag.parseTracks(buf(bytes(GENERATED_KEY_MT, 0x20, track("avc1", 1, u24(1), 1),
                track("hvc1", 2, u24(1), 2))), tags);
        assertEquals(List.of(Codec.H264, Codec.H265), tags.stream().map(FlvVideoTag::codec).toList());
        assertTrue(tags.stream().allMatch(t -> t.enhanced() && t.keyframe() && t.kind() == FlvPacketKind.CONFIG));
    }
}
