package io.streamkit.format.flv;

import static io.streamkit.format.flv.Bodies.buf;
import static io.streamkit.format.flv.Bodies.bytes;
import static io.streamkit.format.flv.Bodies.track;
import static io.streamkit.format.flv.Bodies.u24;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.codec.MediaFormatException;
import io.streamkit.stream.Codec;
import io.streamkit.stream.TrackFormat;
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
 * {@link FlvAudioTag#parseTracks} over hand-built bodies of every Enhanced RTMP v2 multitrack
 * form, good and malformed, and {@link FlvAudioTag#parse} on the same bodies.
 */
class FlvAudioTracksTest {
    // Byte 0 of an enhanced multitrack audio body: SoundFormat 9 (ExHeader), AudioPacketType 5.
    private static final int MT = 0x95;

    static Stream<Arguments> goodBodies() {
        return Stream.of(
                good("OneTrack mp4a SequenceStart of track 1, as FFmpeg 8 writes it",
                        bytes(MT, 0x00, "mp4a", 1, 0x11, 0x90),
                        "t1 AAC CONFIG @7+2"),
                good("OneTrack Opus CodedFrames of track 3",
                        bytes(MT, 0x01, "Opus", 3, 0xfc, 1, 2),
                        "t3 OPUS FRAME @7+3"),
                good("OneTrack .mp3 CodedFrames of track 1",
                        bytes(MT, 0x01, ".mp3", 1, 0xff, 0xfb),
                        "t1 MP3 FRAME @7+2"),
                good("OneTrack Opus SequenceStart of track 0",
                        bytes(MT, 0x00, "Opus", 0, "OpusHead"),
                        "t0 OPUS CONFIG @7+8"),
                good("ManyTracks mp4a CodedFrames, two tracks",
                        bytes(MT, 0x11, "mp4a", track(0, u24(2), 1, 2), track(1, u24(3), 3, 4, 5)),
                        "t0 AAC FRAME @10+2", "t1 AAC FRAME @16+3"),
                good("ManyTracks Opus SequenceEnd, empty track data",
                        bytes(MT, 0x12, "Opus", track(0, u24(0)), track(1, u24(0))),
                        "t0 OPUS END_OF_SEQUENCE @10+0", "t1 OPUS END_OF_SEQUENCE @14+0"),
                good("ManyTracksManyCodecs Opus, mp4a, .mp3",
                        bytes(MT, 0x21, track("Opus", 0, u24(1), 7), track("mp4a", 1, u24(2), 1, 2),
                                track(".mp3", 3, u24(0))),
                        "t0 OPUS FRAME @10+1", "t1 AAC FRAME @19+2", "t3 MP3 FRAME @29+0"),
                good("ModEx prefix, then OneTrack mp4a",
                        bytes(0x97, 0, 0, 0x05, 0x01, "mp4a", 2, 9),
                        "t2 AAC FRAME @10+1"),
                ignoring("ManyTracksManyCodecs with fLaC, which Streamkit cannot carry: that track only is ignored",
                        bytes(MT, 0x21, track("Opus", 0, u24(1), 7), track("fLaC", 2, u24(1), 0),
                                track("mp4a", 1, u24(0))),
                        "t0 OPUS FRAME @10+1", "t2 null IGNORED", "t1 AAC FRAME @28+0"),
                ignoring("MultichannelConfig of track 1 is ignored, with its codec, as FFmpeg 8 writes it",
                        bytes(MT, 0x04, "Opus", 1, 1, 1, 0, 0, 0, 4),
                        "t1 OPUS IGNORED"),
                ignoring("plain enhanced Opus is track 0",
                        bytes(0x91, "Opus", 1, 2),
                        "t0 OPUS FRAME @5+2"),
                ignoring("legacy AAC is track 0",
                        bytes(0xaf, 0x01, 5, 6),
                        "t0 AAC FRAME @2+2 legacy"),
                ignoring("empty body",
                        bytes(),
                        "t0 null IGNORED"));
    }

    private static Arguments good(String name, byte[] body, String... tags) {
        return Arguments.of(name, body, List.of(tags), true);
    }

    private static Arguments ignoring(String name, byte[] body, String... tags) {
        return Arguments.of(name, body, List.of(tags), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodBodies")
    void parseTracksReturnsEveryTrackWithItsOwnPayloadRange(String name, byte[] body, List<String> expected,
            boolean clean) {
        List<FlvAudioTag> tags = new ArrayList<>();
        int n = FlvAudioTag.parseTracks(buf(body), tags);
        assertEquals(expected, tags.stream().map(Bodies::line).toList());
        assertEquals(tags.size(), n);
        for (FlvAudioTag t : tags) {
            assertEquals(0, t.ignoredTracks());
            assertTrue(t.payloadOffset() + t.payloadLength() <= body.length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodBodies")
    void parseMapsTrackZeroAndCountsTheOthers(String name, byte[] body, List<String> expected, boolean clean) {
        List<FlvAudioTag> tags = new ArrayList<>();
        FlvAudioTag.parseTracks(buf(body), tags);
        FlvAudioTag parsed = FlvAudioTag.parse(buf(body));
        FlvAudioTag zero = tags.stream().filter(t -> t.trackId() == 0).findFirst().orElse(null);
        if (zero == null) {
            assertEquals(FlvPacketKind.IGNORED, parsed.kind());
            assertEquals(tags.size(), parsed.ignoredTracks());
            assertTrue(parsed.reason().contains("only track 0 is mapped"), parsed.reason());
        } else {
            assertEquals(new FlvAudioTag(zero.codec(), zero.kind(), zero.soundRate(), zero.channels(), zero.enhanced(),
                    0, tags.size() - 1, zero.reason(), zero.payloadOffset(), zero.payloadLength()), parsed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodBodies")
    void truncatedAtEveryByteIsGoodOnlyWhereTheFormAllows(String name, byte[] body, List<String> expected,
            boolean clean) {
        if (!clean) {
            return;
        }
        List<FlvAudioTag> whole = new ArrayList<>();
        FlvAudioTag.parseTracks(buf(body), whole);
        boolean oneTrack = name.contains("OneTrack");
        Set<Integer> trackEnds = new HashSet<>();
        whole.forEach(t -> trackEnds.add(t.payloadOffset() + t.payloadLength()));
        for (int cut = 1; cut < body.length; cut++) {
            byte[] prefix = Arrays.copyOf(body, cut);
            boolean good = oneTrack ? cut >= whole.get(0).payloadOffset() : trackEnds.contains(cut);
            List<FlvAudioTag> tags = new ArrayList<>();
            if (good) {
                FlvAudioTag.parseTracks(buf(prefix), tags);
                for (FlvAudioTag t : tags) {
                    assertTrue(t.payloadOffset() + t.payloadLength() <= cut, name + " cut at " + cut);
                }
            } else {
                assertThrows(MediaFormatException.class, () -> FlvAudioTag.parseTracks(buf(prefix), tags),
                        name + " cut at " + cut);
                assertEquals(List.of(), tags);
            }
        }
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("nested Multitrack", bytes(MT, 0x05, "mp4a", 0), "must not nest"),
                Arguments.of("nested ModEx", bytes(MT, 0x07, "mp4a", 0), "must not nest"),
                Arguments.of("reserved AvMultitrackType 4", bytes(MT, 0x41, "mp4a", 0), "AvMultitrackType 4 is reserved"),
                Arguments.of("reserved inner AudioPacketType 3", bytes(MT, 0x03, "Opus", 0), "AudioPacketType 3 is reserved"),
                Arguments.of("reserved inner AudioPacketType 6", bytes(MT, 0x16, "Opus", track(0, u24(0))),
                        "AudioPacketType 6 is reserved"),
                Arguments.of("sizeOfTrack past the end", bytes(MT, 0x11, "mp4a", track(0, u24(5), 1)), "sizeOfTrack 5"),
                Arguments.of("second sizeOfTrack one past the end",
                        bytes(MT, 0x21, track("Opus", 0, u24(1), 1), track("mp4a", 1, u24(2), 1)), "sizeOfTrack 2"),
                Arguments.of("ManyTracks list of no tracks", bytes(MT, 0x11, "mp4a"), "lists no tracks"),
                Arguments.of("ManyTracksManyCodecs list of no tracks", bytes(MT, 0x21), "lists no tracks"),
                Arguments.of("track id twice", bytes(MT, 0x11, "Opus", track(2, u24(0)), track(2, u24(0))),
                        "lists track 2 twice"),
                Arguments.of("17 tracks", manyTracks(17), "more than 16 tracks"),
                Arguments.of("OneTrack without its track id", bytes(MT, 0x01, "mp4a"), "audio track id needs 1 byte"),
                Arguments.of("unsupported FourCC without the wrapper", bytes(0x91, "fLaC", 0), "FourCC 'fLaC' is not supported"));
    }

    private static byte[] manyTracks(int n) {
        Object[] tracks = new Object[n];
        for (int i = 0; i < n; i++) {
            tracks[i] = track(i, u24(0));
        }
        return bytes(MT, 0x12, "Opus", tracks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void malformedBodiesThrowNamingTheValueAndLeaveTheListAsItWas(String name, byte[] body, String message) {
        FlvAudioTag sentinel = FlvAudioTag.parse(buf(bytes(0xaf, 0x00, 0x12, 0x10)));
        List<FlvAudioTag> tags = new ArrayList<>(List.of(sentinel));
        MediaFormatException e = assertThrows(MediaFormatException.class,
                () -> FlvAudioTag.parseTracks(buf(body), tags));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(1, tags.size());
        assertSame(sentinel, tags.get(0));
        MediaFormatException p = assertThrows(MediaFormatException.class, () -> FlvAudioTag.parse(buf(body)));
        assertEquals(e.getMessage(), p.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("g711Headers")
    void g711IsReadAt8kHzAndWrittenAsFfmpegWritesIt(String name, int header, Codec codec, int channels) {
        FlvAudioTag t = FlvAudioTag.parse(buf(bytes(header, 0xd5, 0x55)));
        assertEquals(List.of(codec, FlvPacketKind.FRAME, 8000, channels, false, 2),
                List.of(t.codec(), t.kind(), t.soundRate(), t.channels(), t.enhanced(), t.payloadLength()));
        assertEquals(TrackFormat.of(codec, 8000, channels), t.formatWithoutConfig());
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
        assertEquals(1, FlvTags.writeAudioHeader(out, codec, 8000, channels, false));
        assertEquals(header & 0xf0 | 0x02 | channels - 1, out.readUnsignedByte(), "SoundRate 0, 16-bit, SoundType");
        out.release();
        assertThrows(IllegalArgumentException.class, () -> FlvTags.writeMultitrackAudioHeader(
                io.netty.buffer.Unpooled.buffer(), 1, codec, false), "no Enhanced RTMP FourCC");
    }

    static Stream<Arguments> g711Headers() {
        // ffmpeg 5.1's flvenc: SoundFormat 7 or 8, SoundRate 0, 16-bit, SoundType
        return Stream.of(Arguments.of("A-law mono", 0x72, Codec.PCMA, 1), Arguments.of("mu-law mono", 0x82, Codec.PCMU, 1),
                Arguments.of("A-law stereo", 0x73, Codec.PCMA, 2), Arguments.of("rate bits ignored", 0x7e, Codec.PCMA, 1));
    }

    @Test
    void sixteenTracksAreTheLimit() {
        List<FlvAudioTag> tags = new ArrayList<>();
        assertEquals(FlvTags.MAX_TRACKS_PER_MESSAGE, FlvAudioTag.parseTracks(buf(manyTracks(16)), tags));
    }

    @Test
    void anIgnoredTrackSaysWhichAndWhy() {
        List<FlvAudioTag> tags = new ArrayList<>();
        FlvAudioTag.parseTracks(buf(bytes(MT, 0x21, track("ac-3", 4, u24(1), 0))), tags);
        assertEquals(4, tags.get(0).trackId());
        assertEquals("audio track 4: audio FourCC 'ac-3' is not supported; supported: 'Opus', 'mp4a', '.mp3'",
                tags.get(0).reason());
    }

    @Test
    void randomMultitrackBodiesNeverEscapeTheirBounds() {
        Random random = new Random(20_250_602);
        int good = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] body = new byte[2 + random.nextInt(40)];
            random.nextBytes(body);
            body[0] = (byte) MT;
            body[1] = (byte) (random.nextInt(3) << 4 | random.nextInt(5));
            if (random.nextBoolean() && body.length >= 6) {
                System.arraycopy(new byte[] {'O', 'p', 'u', 's'}, 0, body, 2, 4);
            }
            List<FlvAudioTag> tags = new ArrayList<>();
            try {
                FlvAudioTag.parseTracks(buf(body), tags);
            } catch (MediaFormatException e) {
                assertEquals(List.of(), tags);
                continue;
            }
            good++;
            Set<Integer> ids = new HashSet<>();
            for (FlvAudioTag t : tags) {
                assertTrue(ids.add(t.trackId()), "track " + t.trackId() + " twice");
                assertTrue(t.payloadOffset() + t.payloadLength() <= body.length);
            }
            assertTrue(tags.size() <= FlvTags.MAX_TRACKS_PER_MESSAGE);
        }
        assertTrue(good > 100, good + " random bodies parsed; the test would prove little");
    }
}
