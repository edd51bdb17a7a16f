package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.flv.FlvTagHeader;
import io.streamkit.httpflv.HttpFlvClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The body of an HTTP-FLV answer read as an FLV stream: the tracks, frames and metadata a real
 * file becomes, the same wherever the bytes are cut, and the stream's limits.
 *
 * <p>A PreviousTagSize that does not match its tag is tolerated: the reader never reads back
 * pointers, writers disagree on them, and a live stream lost for a wrong one would be worse.
 */
class HttpFlvPullStreamTest {
    private static final String URL = "http://origin.example/live/cam1.flv";
    private static final HttpFlvClientConfig SETTINGS = HttpFlvClientConfig.defaults();

    @Test
    void theGoldenFileBecomesAnH264AndAnAacTrackWithEveryFrame() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.chunkedResponse(FlvBytes.resource(FlvBytes.GOLDEN_H264_AAC), 4096));
        RecordingPublisher p = pull.publisher;
        assertEquals(List.of("track 0 H264 160x120", "track 1 AAC 44100 Hz 1 ch"), tracks(p));
        assertTrue(p.events.stream().anyMatch(e -> e.startsWith("metadata {") && e.contains("width=160.0")),
                "onMetaData passed on: " + p.events);
        List<RecordingPublisher.Frame> video = p.frames(0);
        List<RecordingPublisher.Frame> audio = p.frames(1);
        assertEquals(50, video.size(), "video frames");
        assertEquals(88, audio.size(), "audio frames");
        assertTrue(video.get(0).keyframe(), "the first video frame is an IDR");
        assertEquals(40_000, video.get(1).dts() - video.get(0).dts(), "25 fps in microseconds");
        assertTrue(p.frames.stream().allMatch(RecordingPublisher.Frame::slice), "every payload a slice, no copy");
        assertEquals(1, pull.firstTracks);
        assertEquals(List.of("close"), p.events.subList(p.events.size() - 1, p.events.size()), "closed, not aborted");
        pull.assertEndedCleanly();
        pull.finish();
    }

    @Test
    void enhancedFlvWithOpusTracksAndAMultitrackTrack() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.chunkedResponse(FlvBytes.resource(FlvBytes.GOLDEN_H264_OPUS_MULTITRACK), 1500));
        RecordingPublisher p = pull.publisher;
        assertEquals(List.of("track 0 H264 160x120", "track 1 OPUS 48000 Hz 2 ch", "track 2 OPUS 48000 Hz 1 ch"), tracks(p));
        assertEquals(List.of(50, 101, 101), List.of(p.frames(0).size(), p.frames(1).size(), p.frames(2).size()));
        pull.assertEndedCleanly();
        pull.finish();
    }

    @Test
    void theSameTracksAndFramesWhereverTheResponseIsCut() {
        byte[] wire = FlvBytes.chunkedResponse(FlvBytes.shortStream(), 37);
        List<Object> whole = run(List.of(wire));
        assertEquals(List.of("metadata {encoder=test, width=320.0}", "track 0 H264 320x240", "track 1 AAC 44100 Hz 1 ch",
                "close"), whole.subList(0, 4));
        List<String> frames = whole.stream().filter(o -> o instanceof RecordingPublisher.Frame)
                .map(o -> (RecordingPublisher.Frame) o)
                .map(f -> f.track() + " " + f.dts() + " " + f.pts() + (f.keyframe() ? " key " : " ") + f.size()).toList();
        assertEquals(List.of("0 0 80000 key 40", "1 3000 3000 key 17", "1 26000 26000 key 19", "0 40000 80000 30"), frames,
                "timestamps in µs, pts = dts + composition time");
        assertEquals(List.of("first tracks 1", "closes [clean]"), whole.subList(whole.size() - 2, whole.size()));
        for (int cut = 1; cut < wire.length; cut++) {
            assertEquals(whole, run(List.of(Arrays.copyOfRange(wire, 0, cut), Arrays.copyOfRange(wire, cut, wire.length))),
                    "cut at byte " + cut);
        }
        List<byte[]> bytes = new ArrayList<>();
        for (byte b : wire) {
            bytes.add(new byte[] {b});
        }
        assertEquals(whole, run(bytes), "one byte per read");
    }

    @Test
    void theGoldenFileInReadsOfManySizes() {
        byte[] wire = FlvBytes.chunkedResponse(FlvBytes.resource(FlvBytes.GOLDEN_H264_AAC), 1500);
        List<Object> whole = run(List.of(wire));
        for (int size : new int[] {1, 7, 11, 64, 1000, 1499, 4096}) {
            List<byte[]> reads = new ArrayList<>();
            for (int at = 0; at < wire.length; at += size) {
                reads.add(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + size)));
            }
            assertEquals(whole, run(reads), "reads of " + size + " bytes");
        }
    }

    @Test
    void aCloseDelimitedBodyEndsCleanlyWhenTheOriginCloses() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.concat(FlvBytes.closeDelimitedHead(), FlvBytes.shortStream()));
        assertEquals(4, pull.publisher.frames.size());
        assertTrue(pull.closes.isEmpty(), "still open: the body ends with the connection");
        pull.originCloses();
        pull.assertEndedCleanly();
        assertEquals("close", pull.publisher.events.get(pull.publisher.events.size() - 1));
        pull.finish();
    }

    @Test
    void aTagOverTheLimitIsRefusedAsSoonAsItsHeaderArrives() {
        HttpFlvClientConfig small = HttpFlvClientConfig.builder().connectTimeout(Duration.ofSeconds(10)).startTimeout(Duration.ofSeconds(15)).idleTimeout(Duration.ofSeconds(30)).maxTagSize(1000).maxHeaderSize(HttpFlvClientConfig.DEFAULT_MAX_HEADER_SIZE).build();
        byte[] nulls = new byte[1000];
        Arrays.fill(nulls, (byte) 5);   // AMF0 null: a script tag nothing reads
        byte[] atTheLimit = FlvBytes.header().tag(FlvTagHeader.TYPE_VIDEO, 0, FlvBytes.avcSequenceHeader())
                .tag(FlvTagHeader.TYPE_SCRIPT, 0, nulls).toByteArray();
        EmbeddedPull pull = new EmbeddedPull(small, URL);
        pull.in(FlvBytes.concat(FlvBytes.chunkedHead(), FlvBytes.chunked(atTheLimit, 512, false)));
        assertTrue(pull.closes.isEmpty(), "a tag of 1000 bytes is within the limit");
        ByteBuf tagHeader = Unpooled.buffer(FlvTagHeader.SIZE);
        FlvTagHeader.write(tagHeader, FlvTagHeader.TYPE_VIDEO, 9_000_000, 40);   // 9 MB announced, no byte of it sent
        pull.in(FlvBytes.chunked(ByteBufUtil.getBytes(tagHeader), 512, false));
        MediaFormatException e = pull.assertFailedWith(MediaFormatException.class);
        assertEquals("FLV tag of type 9 DataSize 9000000 exceeds the limit 1000", e.getMessage());
        assertEquals("abort", pull.publisher.events.get(pull.publisher.events.size() - 1));
        pull.finish();
    }

    @Test
    void aBodyThatIsNotFlvIsRefused() {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        byte[] notFlv = FlvBytes.shortStream();
        notFlv[2] = 'X';
        pull.in(FlvBytes.chunkedResponse(notFlv, 100));
        MediaFormatException e = pull.assertFailedWith(MediaFormatException.class);
        assertEquals("FLV signature 0x464c58 is not \"FLV\" (0x464c56)", e.getMessage());
        assertEquals(0, pull.publishes, "nothing published for a body that is not FLV");
        pull.finish();
    }

    @Test
    void backPointersThatDoNotMatchTheirTagsAreTolerated() {
        byte[] right = FlvBytes.shortStream();
        byte[] wrong = FlvBytes.header()
                .tag(FlvTagHeader.TYPE_SCRIPT, 0, FlvBytes.metadata(java.util.Map.of("width", 320.0, "encoder", "test")), 0)
                .tag(FlvTagHeader.TYPE_VIDEO, 0, FlvBytes.avcSequenceHeader(), 0xdeadbeef)
                .tag(FlvTagHeader.TYPE_AUDIO, 0, FlvBytes.aacSequenceHeader(), 1)
                .tag(FlvTagHeader.TYPE_VIDEO, 0, FlvBytes.avcFrame(1, 40, true, 80), -1)
                .tag(FlvTagHeader.TYPE_AUDIO, 3, FlvBytes.aacFrame(17), 0)
                .tag(FlvTagHeader.TYPE_AUDIO, 26, FlvBytes.aacFrame(19), 7)
                .tag(FlvTagHeader.TYPE_VIDEO, 40, FlvBytes.avcFrame(2, 30, false, 40), 0)
                .toByteArray();
        assertEquals(right.length, wrong.length);
        assertEquals(run(List.of(FlvBytes.chunkedResponse(right, 64))), run(List.of(FlvBytes.chunkedResponse(wrong, 64))));
    }

    @Test
    void keyframesFollowTheBitstreamNotTheTagsFrameType() {
        byte[] flv = FlvBytes.header()
                .tag(FlvTagHeader.TYPE_VIDEO, 0, FlvBytes.avcSequenceHeader())
                .tag(FlvTagHeader.TYPE_VIDEO, 0, flagged(FlvBytes.avcFrame(1, 40, true, 0), false))
                .tag(FlvTagHeader.TYPE_VIDEO, 40, flagged(FlvBytes.avcFrame(2, 40, false, 0), true))
                .toByteArray();
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        pull.in(FlvBytes.chunkedResponse(flv, 1000));
        assertEquals(List.of(true, false), pull.publisher.frames.stream().map(RecordingPublisher.Frame::keyframe).toList());
        pull.finish();
    }

    /** Sets or clears the FrameType key flag of a legacy video tag body. */
    private static byte[] flagged(byte[] body, boolean key) {
        body[0] = (byte) ((key ? 0x10 : 0x20) | body[0] & 0x0f);
        return body;
    }

    private static List<String> tracks(RecordingPublisher p) {
        return p.events.stream().filter(e -> e.startsWith("track ")).toList();
    }

    /** Feeds the reads to a fresh connection, closes it, and returns what was published. */
    private static List<Object> run(List<byte[]> reads) {
        EmbeddedPull pull = new EmbeddedPull(SETTINGS, URL);
        for (byte[] read : reads) {
            pull.in(read);
        }
        pull.finish();
        return pull.outcome();
    }
}
