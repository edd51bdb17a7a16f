package io.streamkit.format.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.aac.AudioSpecificConfig;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.codec.opus.OpusHead;
import io.streamkit.stream.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Multitrack FLV files written by FFmpeg 8.1 (make-multitrack-fixtures.sh): parseTracks
 * finds every track with the ids and codecs FFmpeg wrote, and the packet counts the script
 * printed per stream.
 */
class MultitrackFlvFileTest {

    /** What one track of a file held. */
    static final class TrackSummary {
        final List<Codec> codecs = new ArrayList<>();
        final Map<FlvPacketKind, Integer> kinds = new EnumMap<>(FlvPacketKind.class);
        final List<byte[]> configs = new ArrayList<>();
        int keyframes;
        int withCompositionTime;
        int multitrackTags;

        int count(FlvPacketKind kind) {
            return kinds.getOrDefault(kind, 0);
        }
    }

    /** Per media ("video"/"audio") and track id, what parseTracks found in the file. */
    private static Map<String, TrackSummary> summarize(String resource) {
        Map<String, TrackSummary> tracks = new TreeMap<>();
        try (FlvReader reader = new FlvReader(PooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            reader.feed(Unpooled.wrappedBuffer(resource(resource)));
            List<FlvVideoTag> video = new ArrayList<>();
            List<FlvAudioTag> audio = new ArrayList<>();
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                try {
                    ByteBuf body = tag.body();
                    boolean multitrack = isMultitrack(tag.type(), body);
                    if (tag.type() == FlvTagHeader.TYPE_VIDEO) {
                        video.clear();
                        FlvVideoTag.parseTracks(body, video);
                        for (FlvVideoTag t : video) {
                            TrackSummary s = tracks.computeIfAbsent("video " + t.trackId(), k -> new TrackSummary());
                            add(s, t.codec(), t.kind(), multitrack);
                            s.keyframes += t.kind() == FlvPacketKind.FRAME && t.keyframe() ? 1 : 0;
                            s.withCompositionTime += t.compositionTime() != 0 ? 1 : 0;
                            if (t.kind() == FlvPacketKind.CONFIG) {
                                s.configs.add(ByteBufUtil.getBytes(t.payload(body)));
                            }
                            if (t.kind() == FlvPacketKind.FRAME && t.codec() == Codec.H264) {
                                assertAvccCoversThePayload(t.payload(body));
                            }
                        }
                    } else if (tag.type() == FlvTagHeader.TYPE_AUDIO) {
                        audio.clear();
                        FlvAudioTag.parseTracks(body, audio);
                        for (FlvAudioTag t : audio) {
                            TrackSummary s = tracks.computeIfAbsent("audio " + t.trackId(), k -> new TrackSummary());
                            add(s, t.codec(), t.kind(), multitrack);
                            if (t.kind() == FlvPacketKind.CONFIG) {
                                s.configs.add(ByteBufUtil.getBytes(t.payload(body)));
                            }
                        }
                    }
                } finally {
                    tag.release();
                }
            }
            assertEquals(0, reader.bufferedBytes());
        }
        return tracks;
    }

    /** Whether byte 0 says Multitrack (FFmpeg writes no ModEx prefix that would hide it). */
    private static boolean isMultitrack(int type, ByteBuf body) {
        if (body.readableBytes() == 0) {
            return false;
        }
        int b = body.getUnsignedByte(body.readerIndex());
        return type == FlvTagHeader.TYPE_VIDEO
                ? (b & FlvTags.EX_HEADER_BIT) != 0 && (b & 0x0f) == FlvTags.VIDEO_MULTITRACK
                : b == (FlvTags.SOUND_FORMAT_EX_HEADER << 4 | FlvTags.AUDIO_MULTITRACK);
    }

    private static void add(TrackSummary s, Codec codec, FlvPacketKind kind, boolean multitrack) {
        if (codec != null && !s.codecs.contains(codec)) {
            s.codecs.add(codec);
        }
        s.kinds.merge(kind, 1, Integer::sum);
        s.multitrackTags += multitrack ? 1 : 0;
    }

    /** 4-byte length-prefixed NAL units fill an H.264 frame's payload exactly, so its offset and length are right. */
    private static void assertAvccCoversThePayload(ByteBuf payload) {
        int pos = 0;
        int length = payload.readableBytes();
        while (pos < length) {
            assertTrue(length - pos >= 4, "a NAL unit length cut at " + pos);
            int nal = payload.getInt(payload.readerIndex() + pos);
            assertTrue(nal > 0 && nal <= length - pos - 4, "NAL unit length " + nal + " at " + pos + " of " + length);
            pos += 4 + nal;
        }
    }

    @Test
    void twoH264AndTwoAacTracks() {
        Map<String, TrackSummary> tracks = summarize("/format/flv/h264x2-aacx2-multitrack-2s.flv");
        assertEquals(List.of("audio 0", "audio 1", "video 0", "video 1"), List.copyOf(tracks.keySet()));

        TrackSummary v0 = tracks.get("video 0");
        TrackSummary v1 = tracks.get("video 1");
        assertEquals(List.of(Codec.H264), v0.codecs);
        assertEquals(List.of(Codec.H264), v1.codecs);
        // make-multitrack-fixtures.sh printed "packets per stream 50,50,88,95".
        assertEquals(50, v0.count(FlvPacketKind.FRAME));
        assertEquals(50, v1.count(FlvPacketKind.FRAME));
        assertEquals(2, v0.keyframes, "GOP 25 over 50 frames");
        assertEquals(2, v1.keyframes, "GOP 25 over 50 frames");
        assertTrue(v1.withCompositionTime > 0, "B-frames give track 1 composition times");
        assertEquals(0, v0.multitrackTags, "FFmpeg writes track 0 in the plain form");
        assertEquals(1 + 50, v1.multitrackTags, "and track 1 as multitrack: its sequence start and its frames");
        assertEquals(List.of(160, 120), size(v0));
        assertEquals(List.of(128, 96), size(v1));
        assertEquals(1, v1.count(FlvPacketKind.CONFIG));
        // FFmpeg 8.1 ends both video streams with a plain AVC end of sequence, so both land on track 0.
        assertEquals(2, v0.count(FlvPacketKind.END_OF_SEQUENCE));
        assertEquals(0, v1.count(FlvPacketKind.END_OF_SEQUENCE));

        TrackSummary a0 = tracks.get("audio 0");
        TrackSummary a1 = tracks.get("audio 1");
        assertEquals(List.of(Codec.AAC), a0.codecs);
        assertEquals(List.of(Codec.AAC), a1.codecs);
        assertEquals(88, a0.count(FlvPacketKind.FRAME));
        assertEquals(95, a1.count(FlvPacketKind.FRAME));
        assertEquals(44_100, AudioSpecificConfig.parse(a0.configs.get(0)).samplingFrequency());
        assertEquals(48_000, AudioSpecificConfig.parse(a1.configs.get(0)).samplingFrequency());
        assertEquals(1, a1.count(FlvPacketKind.IGNORED), "track 1's MultichannelConfig");
        assertEquals(0, a0.multitrackTags);
        assertEquals(a1.count(FlvPacketKind.CONFIG) + 95 + 1, a1.multitrackTags);
    }

    @Test
    void h264AndTwoOpusTracks() {
        Map<String, TrackSummary> tracks = summarize("/format/flv/h264-opusx2-multitrack-2s.flv");
        assertEquals(List.of("audio 0", "audio 1", "video 0"), List.copyOf(tracks.keySet()));

        TrackSummary v0 = tracks.get("video 0");
        assertEquals(List.of(Codec.H264), v0.codecs);
        // make-multitrack-fixtures.sh printed "packets per stream 50,101,101".
        assertEquals(50, v0.count(FlvPacketKind.FRAME));
        assertEquals(List.of(160, 120), size(v0));

        TrackSummary a0 = tracks.get("audio 0");
        TrackSummary a1 = tracks.get("audio 1");
        assertEquals(List.of(Codec.OPUS), a0.codecs);
        assertEquals(List.of(Codec.OPUS), a1.codecs);
        assertEquals(101, a0.count(FlvPacketKind.FRAME));
        assertEquals(101, a1.count(FlvPacketKind.FRAME));
        assertEquals(2, OpusHead.parse(Unpooled.wrappedBuffer(a0.configs.get(0))).channelCount());
        assertEquals(1, OpusHead.parse(Unpooled.wrappedBuffer(a1.configs.get(0))).channelCount());
        // FFmpeg 8.1 follows each Opus sequence start with a MultichannelConfig, which we ignore.
        assertEquals(1, a0.count(FlvPacketKind.IGNORED));
        assertEquals(1, a1.count(FlvPacketKind.IGNORED));
        assertEquals(0, a0.multitrackTags, "Opus track 0 is enhanced but plain");
        assertEquals(1 + 1 + 101, a1.multitrackTags);
    }

    @Test
    void parseStillMapsTrackZeroOnly() {
        try (FlvReader reader = new FlvReader(PooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
            reader.feed(Unpooled.wrappedBuffer(resource("/format/flv/h264x2-aacx2-multitrack-2s.flv")));
            int videoFrames = 0;
            int audioFrames = 0;
            int ignored = 0;
            for (FlvTag tag; (tag = reader.next()) != null; ) {
                try {
                    if (tag.type() == FlvTagHeader.TYPE_VIDEO) {
                        FlvVideoTag t = FlvVideoTag.parse(tag.body());
                        videoFrames += t.kind() == FlvPacketKind.FRAME ? 1 : 0;
                        ignored += t.kind() == FlvPacketKind.IGNORED ? 1 : 0;
                    } else if (tag.type() == FlvTagHeader.TYPE_AUDIO) {
                        FlvAudioTag t = FlvAudioTag.parse(tag.body());
                        audioFrames += t.kind() == FlvPacketKind.FRAME ? 1 : 0;
                        ignored += t.kind() == FlvPacketKind.IGNORED ? 1 : 0;
                    }
                } finally {
                    tag.release();
                }
            }
            assertEquals(50, videoFrames);
            assertEquals(88, audioFrames);
            assertEquals(51 + 1 + 95 + 1, ignored, "every tag of track 1, each counted as one ignored track");
        }
    }

    private static List<Integer> size(TrackSummary video) {
        var sps = AvcDecoderConfigurationRecord.parse(Unpooled.wrappedBuffer(video.configs.get(0))).firstSps();
        return List.of(sps.width(), sps.height());
    }

    private static byte[] resource(String name) {
        try (InputStream in = MultitrackFlvFileTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
