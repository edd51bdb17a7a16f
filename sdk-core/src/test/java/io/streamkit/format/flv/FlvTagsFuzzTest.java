package io.streamkit.format.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.stream.Codec;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the round trip of tag bodies: headers written with {@link FlvTags}, in every form it
 * writes (legacy, enhanced, multitrack; frames, sequence starts and ends), followed by a
 * payload, read back with {@link FlvVideoTag} and {@link FlvAudioTag}.
 *
 * <p>Properties: what the writer was told (codec, kind, key frame, composition time, track)
 * comes back, and the payload range is exactly the payload; {@code parse} maps a multitrack
 * track other than 0 as IGNORED; the byte count each writer returns is what it wrote.
 */
class FlvTagsFuzzTest {
    private static final Codec[] VIDEO = {Codec.H264, Codec.H265, Codec.AV1, Codec.VP9};
    private static final Codec[] AUDIO = {Codec.AAC, Codec.MP3, Codec.OPUS, Codec.PCMA, Codec.PCMU};

    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        ByteBuf body = Unpooled.buffer();
        try {
            if (data.consumeBoolean()) {
                video(data, body);
            } else {
                audio(data, body);
            }
        } finally {
            body.release();
        }
    }

    private static void video(FuzzedDataProvider data, ByteBuf body) {
        Codec codec = data.pickValue(VIDEO);
        boolean legacyForm = codec == Codec.H264 || codec == Codec.H265;
        boolean enhanced = !legacyForm || data.consumeBoolean();
        int trackId = data.consumeBoolean() ? data.consumeInt(1, FlvTags.MAX_TRACK_ID) : 0;
        int what = data.consumeInt(0, 2);
        boolean keyframe = data.consumeBoolean();
        int cts = codec == Codec.H264 || codec == Codec.H265
                ? data.consumeInt(FlvTags.MIN_COMPOSITION_TIME, FlvTags.MAX_COMPOSITION_TIME) : 0;
        int n;
        FlvPacketKind kind;
        if (what == 0) {
            kind = FlvPacketKind.FRAME;
            n = trackId == 0 ? FlvTags.writeVideoHeader(body, codec, keyframe, cts, enhanced)
                    : FlvTags.writeMultitrackVideoHeader(body, trackId, codec, keyframe, cts);
        } else if (what == 1) {
            kind = FlvPacketKind.CONFIG;
            keyframe = true;
            cts = 0;
            n = trackId == 0 ? FlvTags.writeVideoSequenceStart(body, codec, enhanced)
                    : FlvTags.writeMultitrackVideoSequenceStart(body, trackId, codec);
        } else {
            kind = FlvPacketKind.END_OF_SEQUENCE;
            keyframe = true;
            cts = 0;
            n = trackId == 0 ? FlvTags.writeVideoSequenceEnd(body, codec, enhanced)
                    : FlvTags.writeMultitrackVideoSequenceEnd(body, trackId, codec);
        }
        assertEquals(n, body.writerIndex(), "bytes the writer said it wrote");
        assertTrue(n <= FlvTags.MAX_VIDEO_HEADER_LENGTH, "a header of " + n + " bytes");
        byte[] payload = kind == FlvPacketKind.END_OF_SEQUENCE ? new byte[0] : data.consumeRemainingAsBytes();
        body.writeBytes(payload);

        List<FlvVideoTag> tags = new ArrayList<>();
        assertEquals(1, FlvVideoTag.parseTracks(body, tags));
        FlvVideoTag t = tags.get(0);
        assertEquals(List.of(codec, kind, keyframe, cts, trackId != 0 || enhanced, trackId),
                List.of(t.codec(), t.kind(), t.keyframe(), t.compositionTime(), t.enhanced(), t.trackId()),
                "codec, kind, key frame, composition time, enhanced, track");
        assertArrayEquals(payload, ByteBufUtil.getBytes(t.payload(body)), "payload");
        FlvVideoTag mapped = FlvVideoTag.parse(body);
        assertEquals(trackId == 0 ? kind : FlvPacketKind.IGNORED, mapped.kind(), "what parse maps");
    }

    private static void audio(FuzzedDataProvider data, ByteBuf body) {
        Codec codec = data.pickValue(AUDIO);
        // G.711 has no Enhanced RTMP FourCC, so no multitrack form, and no configuration
        int trackId = FlvTags.hasMultitrackForm(codec) && data.consumeBoolean() ? data.consumeInt(1, FlvTags.MAX_TRACK_ID) : 0;
        boolean config = codec.requiresConfig() && data.consumeBoolean();
        int sampleRate = data.consumeInt(1, 192_000);
        int channels = data.consumeInt(1, 8);
        int n = trackId == 0 ? FlvTags.writeAudioHeader(body, codec, sampleRate, channels, config)
                : FlvTags.writeMultitrackAudioHeader(body, trackId, codec, config);
        assertEquals(n, body.writerIndex(), "bytes the writer said it wrote");
        assertTrue(n <= FlvTags.MAX_AUDIO_HEADER_LENGTH, "a header of " + n + " bytes");
        byte[] payload = data.consumeRemainingAsBytes();
        body.writeBytes(payload);

        List<FlvAudioTag> tags = new ArrayList<>();
        assertEquals(1, FlvAudioTag.parseTracks(body, tags));
        FlvAudioTag t = tags.get(0);
        FlvPacketKind kind = config ? FlvPacketKind.CONFIG : FlvPacketKind.FRAME;
        boolean enhanced = trackId != 0 || codec == Codec.OPUS;
        assertEquals(List.of(codec, kind, enhanced, trackId), List.of(t.codec(), t.kind(), t.enhanced(), t.trackId()),
                "codec, kind, enhanced, track");
        if ((codec == Codec.PCMA || codec == Codec.PCMU) && trackId == 0) {
            assertEquals(8000, t.soundRate(), "FLV's G.711 is 8 kHz");
            assertEquals(channels > 1 ? 2 : 1, t.channels(), "G.711 SoundType");
        }
        if (codec == Codec.MP3 && trackId == 0) {
            assertEquals(channels > 1 ? 2 : 1, t.channels(), "MP3 SoundType");
            assertEquals(sampleRate == 8000 ? 8000 : sampleRate >= 44100 ? 44100 : sampleRate >= 22050 ? 22050
                    : sampleRate >= 11025 ? 11025 : 5512, t.soundRate(), "MP3 SoundRate");
        }
        assertArrayEquals(payload, ByteBufUtil.getBytes(t.payload(body)), "payload");
        FlvAudioTag mapped = FlvAudioTag.parse(body);
        assertEquals(trackId == 0 ? kind : FlvPacketKind.IGNORED, mapped.kind(), "what parse maps");
    }
}
