package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaType;
import java.util.Objects;

/**
 * Writes the few header bytes that put a frame or a configuration record into an FLV
 * tag body or an RTMP audio/video message, so that the caller composes
 * {@code header + shared payload} without copying the payload.
 *
 * <p>Every writer appends at the writer index of a buffer the caller owns and returns the
 * number of bytes written, at most {@value #MAX_VIDEO_HEADER_LENGTH} for video and
 * {@value #MAX_AUDIO_HEADER_LENGTH} for audio; a writer that refuses its arguments writes
 * nothing. What they write, {@link FlvVideoTag#parse} and {@link FlvAudioTag#parse} read
 * back to the same fields; what the multitrack writers write, {@link FlvVideoTag#parseTracks}
 * and {@link FlvAudioTag#parseTracks} do.
 *
 * <p><b>Multitrack.</b> Track 0, the default track, is written in the plain forms above.
 * The {@code writeMultitrack*} writers put a frame or configuration of track 1 to
 * {@value #MAX_TRACK_ID} into an Enhanced RTMP v2 multitrack packet of one track
 * (AvMultitrackType OneTrack: the packet type, the FourCC, then the track id), one message
 * per track and timestamp, as FFmpeg 8 writes them. A message per track keeps each
 * message's payload the one shared frame buffer; ManyTracks would copy several frames into
 * one body. Only players that announced multitrack support may be sent these.
 *
 * <p><b>Legacy or enhanced.</b> Legacy FLV carries H.264 (CodecID 7), AAC (SoundFormat
 * 10) and MP3 (SoundFormat 2); H.265 only through the non-standard CodecID 12 that
 * Chinese CDNs and ffmpeg forks use, which Flash-era and stock players do not know.
 * Everything else (AV1, VP9, Opus, and H.265 for standard players) needs the Enhanced RTMP
 * header with a FourCC. {@link #hasLegacyForm(Codec, boolean)} tells a player which to use.
 *
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2</a>
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">FLV v10.1 Annex E.4.2.1 and E.4.3.1</a>
 */
public final class FlvTags {

    /**
     * Longest video header written: a multitrack CodedFrames header (2 bytes of packet
     * types, the FourCC, the track id and an SI24 composition time). Callers size header
     * buffers by it; it grew from 8 to 10 with the multitrack writers.
     */
    public static final int MAX_VIDEO_HEADER_LENGTH = 10;

    /**
     * Longest audio header written: a multitrack header (2 bytes of packet types, the
     * FourCC and the track id). Callers size header buffers by it; it grew from 5 to 7 with
     * the multitrack writers.
     */
    public static final int MAX_AUDIO_HEADER_LENGTH = 7;

    /** Largest track id: Enhanced RTMP v2 carries it as a UI8. */
    public static final int MAX_TRACK_ID = 255;

    /**
     * Most tracks one multitrack message may list, parsing. The spec sets no number; an
     * ABR ladder of a few renditions plus a few languages is well under it, and the cap
     * bounds the tags one message makes a parser create, whatever the message's size.
     */
    public static final int MAX_TRACKS_PER_MESSAGE = 16;

    /** Smallest composition time an SI24 holds, in milliseconds. */
    public static final int MIN_COMPOSITION_TIME = -(1 << 23);

    /** Largest composition time an SI24 holds, in milliseconds. */
    public static final int MAX_COMPOSITION_TIME = (1 << 23) - 1;

    // Video: IsExHeader and FrameType (FLV Annex E.4.3.1, Enhanced RTMP VideoFrameType).
    static final int EX_HEADER_BIT = 0x80;
    static final int FRAME_TYPE_KEY = 1;
    static final int FRAME_TYPE_INTER = 2;
    static final int FRAME_TYPE_DISPOSABLE_INTER = 3;
    static final int FRAME_TYPE_GENERATED_KEY = 4;
    static final int FRAME_TYPE_COMMAND = 5;

    // Legacy video CodecID and AVCPacketType.
    static final int VIDEO_CODEC_AVC = 7;
    static final int VIDEO_CODEC_HEVC_LEGACY = 12;
    static final int AVC_SEQUENCE_HEADER = 0;
    static final int AVC_NALU = 1;
    static final int AVC_END_OF_SEQUENCE = 2;

    // Enhanced VideoPacketType; ModEx is 7 for audio too.
    static final int VIDEO_SEQUENCE_START = 0;
    static final int VIDEO_CODED_FRAMES = 1;
    static final int VIDEO_SEQUENCE_END = 2;
    static final int VIDEO_CODED_FRAMES_X = 3;
    static final int VIDEO_METADATA = 4;
    static final int VIDEO_MPEG2TS_SEQUENCE_START = 5;
    static final int VIDEO_MULTITRACK = 6;
    static final int PACKET_TYPE_MOD_EX = 7;

    // Enhanced AudioPacketType.
    static final int AUDIO_SEQUENCE_START = 0;
    static final int AUDIO_CODED_FRAMES = 1;
    static final int AUDIO_SEQUENCE_END = 2;
    static final int AUDIO_MULTICHANNEL_CONFIG = 4;
    static final int AUDIO_MULTITRACK = 5;

    // Legacy SoundFormat and AACPacketType.
    static final int SOUND_FORMAT_MP3 = 2;
    static final int SOUND_FORMAT_G711_ALAW = 7;
    static final int SOUND_FORMAT_G711_MULAW = 8;
    static final int SOUND_FORMAT_EX_HEADER = 9;
    static final int SOUND_FORMAT_AAC = 10;
    static final int SOUND_FORMAT_MP3_8K = 14;
    static final int AAC_SEQUENCE_HEADER = 0;
    static final int AAC_RAW = 1;

    // FourCCs as big-endian ints, the order they are on the wire.
    static final int FOURCC_AVC1 = 0x61766331;
    static final int FOURCC_HVC1 = 0x68766331;
    static final int FOURCC_AV01 = 0x61763031;
    static final int FOURCC_VP09 = 0x76703039;
    static final int FOURCC_OPUS = 0x4f707573;
    static final int FOURCC_MP4A = 0x6d703461;
    static final int FOURCC_MP3 = 0x2e6d7033;

    private FlvTags() {
    }

    /**
     * Returns whether a codec can be carried with the legacy FLV header, which every FLV
     * player understands.
     *
     * @param codec the codec
     * @param hevcCodecId12 whether H.265 may use the non-standard CodecID 12 (for players
     *     known to read it, such as flv.js forks and Chinese CDN players)
     * @return {@code true} for H.264, AAC, MP3 and G.711, and for H.265 when {@code hevcCodecId12}
     */
    public static boolean hasLegacyForm(Codec codec, boolean hevcCodecId12) {
        return switch (Objects.requireNonNull(codec, "codec")) {
            case H264, AAC, MP3, PCMA, PCMU -> true;
            case H265 -> hevcCodecId12;
            case AV1, VP9, OPUS -> false;
        };
    }

    /**
     * Returns whether a codec can be a further track of a multitrack stream, which needs an
     * Enhanced RTMP FourCC.
     *
     * @param codec the codec
     * @return {@code false} for G.711, which Enhanced RTMP v2 names no FourCC for
     */
    public static boolean hasMultitrackForm(Codec codec) {
        return Objects.requireNonNull(codec, "codec") != Codec.PCMA && codec != Codec.PCMU;
    }

    /**
     * Writes the header of a coded video frame; the frame's payload (AVCC/HVCC
     * length-prefixed NAL units, AV1 OBUs, VP9 frames) follows it.
     *
     * <p>Legacy: {@code FrameType|CodecID, AVCPacketType 1, CompositionTime SI24}, 5 bytes,
     * for H.264 (CodecID 7) and H.265 (CodecID 12). Enhanced: for H.264 and H.265,
     * CodedFramesX with the FourCC (5 bytes) when the composition time is 0, else
     * CodedFrames with the FourCC and an SI24 (8 bytes); for AV1 and VP9, which carry no
     * composition time, CodedFrames with the FourCC (5 bytes).
     *
     * @param out where to write
     * @param codec a video codec
     * @param keyframe FrameType 1 (key frame) when set, else 2 (inter frame)
     * @param compositionTimeMs pts minus dts in milliseconds, from {@value #MIN_COMPOSITION_TIME}
     *     to {@value #MAX_COMPOSITION_TIME}; must be 0 for AV1 and VP9
     * @param enhanced whether to write the Enhanced RTMP form
     * @return the number of bytes written
     * @throws IllegalArgumentException when the codec is not video, has no legacy form and
     *     {@code enhanced} is false, or the composition time does not fit
     */
    public static int writeVideoHeader(ByteBuf out, Codec codec, boolean keyframe, int compositionTimeMs,
            boolean enhanced) {
        int frameType = keyframe ? FRAME_TYPE_KEY : FRAME_TYPE_INTER;
        if (compositionTimeMs < MIN_COMPOSITION_TIME || compositionTimeMs > MAX_COMPOSITION_TIME) {
            throw new IllegalArgumentException("composition time " + compositionTimeMs + " ms is outside the SI24 range "
                    + MIN_COMPOSITION_TIME + " to " + MAX_COMPOSITION_TIME);
        }
        if (!enhanced) {
            return writeLegacyVideo(out, codec, frameType, AVC_NALU, compositionTimeMs);
        }
        videoFourCc(codec); // checks the codec is video
        if (codec != Codec.H264 && codec != Codec.H265) {
            if (compositionTimeMs != 0) {
                throw new IllegalArgumentException(codec + " carries no composition time in Enhanced RTMP, got "
                        + compositionTimeMs + " ms");
            }
            return writeEnhancedVideo(out, codec, frameType, VIDEO_CODED_FRAMES);
        }
        if (compositionTimeMs == 0) {
            return writeEnhancedVideo(out, codec, frameType, VIDEO_CODED_FRAMES_X);
        }
        writeEnhancedVideo(out, codec, frameType, VIDEO_CODED_FRAMES);
        out.writeMedium(compositionTimeMs);
        return 8;
    }

    /**
     * Writes the header of a video sequence start; the decoder configuration record
     * (avcC, hvcC, av1C or vpcC) follows it.
     *
     * <p>Legacy: {@code 0x17 0x00 00 00 00} for H.264 ({@code 0x1c ...} for H.265 CodecID
     * 12). Enhanced: key frame, SequenceStart and the FourCC.
     *
     * @param out where to write
     * @param codec a video codec
     * @param enhanced whether to write the Enhanced RTMP form
     * @return the number of bytes written, 5
     * @throws IllegalArgumentException when the codec is not video, or has no legacy form and {@code enhanced} is false
     */
    public static int writeVideoSequenceStart(ByteBuf out, Codec codec, boolean enhanced) {
        return enhanced
                ? writeEnhancedVideo(out, codec, FRAME_TYPE_KEY, VIDEO_SEQUENCE_START)
                : writeLegacyVideo(out, codec, FRAME_TYPE_KEY, AVC_SEQUENCE_HEADER, 0);
    }

    /**
     * Writes a whole end-of-sequence video tag body: nothing follows it.
     *
     * <p>Legacy: {@code 0x17 0x02 00 00 00}. Enhanced: key frame, SequenceEnd and the FourCC.
     *
     * @param out where to write
     * @param codec a video codec
     * @param enhanced whether to write the Enhanced RTMP form
     * @return the number of bytes written, 5
     * @throws IllegalArgumentException when the codec is not video, or has no legacy form and {@code enhanced} is false
     */
    public static int writeVideoSequenceEnd(ByteBuf out, Codec codec, boolean enhanced) {
        return enhanced
                ? writeEnhancedVideo(out, codec, FRAME_TYPE_KEY, VIDEO_SEQUENCE_END)
                : writeLegacyVideo(out, codec, FRAME_TYPE_KEY, AVC_END_OF_SEQUENCE, 0);
    }

    /**
     * Writes the header of an audio tag body; the AudioSpecificConfig, OpusHead or coded
     * frame follows it.
     *
     * <ul>
     * <li>AAC, legacy: {@code 0xAF} (SoundFormat 10, 44 kHz, 16-bit, stereo, as the spec
     *     requires whatever the stream is) and AACPacketType 0 (config) or 1 (raw), 2 bytes.</li>
     * <li>MP3, legacy: SoundFormat 2 (14 at 8000 Hz), SoundRate from {@code sampleRate}
     *     rounded down to 44100, 22050, 11025 or 5512 (nominal: decoders read the MP3 frame
     *     headers), 16-bit, SoundType from {@code channels}, 1 byte. MP3 has no configuration.</li>
     * <li>Opus, enhanced: SoundFormat 9 with SequenceStart (config) or CodedFrames and the
     *     FourCC {@code Opus}, 5 bytes.</li>
     * <li>G.711, legacy: SoundFormat 7 (A-law) or 8 (µ-law), SoundRate 0, 16-bit, SoundType
     *     from {@code channels}, 1 byte: {@code 0x72} and {@code 0x82} for mono, as ffmpeg
     *     writes them. FLV's G.711 is 8 kHz whatever the flags say (the spec reserves these
     *     formats and players decode them at 8 kHz), so a track at another rate plays at the
     *     wrong speed; G.711 has no configuration.</li>
     * </ul>
     *
     * @param out where to write
     * @param codec an audio codec: AAC, MP3, Opus, PCMA or PCMU
     * @param sampleRate the sample rate in Hz, used by MP3 only
     * @param channels the channel count, used by MP3 and G.711 only
     * @param config whether the payload is the configuration rather than a frame
     * @return the number of bytes written
     * @throws IllegalArgumentException when the codec is not audio, {@code config} is set for
     *     MP3 or G.711, or MP3's rate or channels are not positive
     */
    public static int writeAudioHeader(ByteBuf out, Codec codec, int sampleRate, int channels, boolean config) {
        switch (Objects.requireNonNull(codec, "codec")) {
            case AAC -> {
                out.writeByte(SOUND_FORMAT_AAC << 4 | 0x0f);
                out.writeByte(config ? AAC_SEQUENCE_HEADER : AAC_RAW);
                return 2;
            }
            case MP3 -> {
                if (config) {
                    throw new IllegalArgumentException("MP3 has no configuration record to write a header for");
                }
                if (sampleRate <= 0 || channels <= 0) {
                    throw new IllegalArgumentException("MP3 sample rate " + sampleRate + " and channels " + channels
                            + " must be positive");
                }
                int format = sampleRate == 8000 ? SOUND_FORMAT_MP3_8K : SOUND_FORMAT_MP3;
                int rate = sampleRate >= 44100 ? 3 : sampleRate >= 22050 ? 2 : sampleRate >= 11025 ? 1 : 0;
                out.writeByte(format << 4 | rate << 2 | 0x02 | (channels > 1 ? 1 : 0));
                return 1;
            }
            case OPUS -> {
                out.writeByte(SOUND_FORMAT_EX_HEADER << 4 | (config ? AUDIO_SEQUENCE_START : AUDIO_CODED_FRAMES));
                out.writeInt(FOURCC_OPUS);
                return 5;
            }
            case PCMA, PCMU -> {
                if (config) {
                    throw new IllegalArgumentException("G.711 has no configuration record to write a header for");
                }
                int format = codec == Codec.PCMA ? SOUND_FORMAT_G711_ALAW : SOUND_FORMAT_G711_MULAW;
                out.writeByte(format << 4 | 0x02 | (channels > 1 ? 1 : 0));
                return 1;
            }
            default -> throw new IllegalArgumentException(codec + " is not an audio codec");
        }
    }

    /**
     * Writes the header of a coded video frame of track {@code trackId} (1 or more) in the
     * multitrack form; the frame's payload follows it.
     *
     * <p>{@code ExHeader|FrameType|Multitrack, OneTrack|PacketType, FourCC, trackId}: for
     * H.264 and H.265 CodedFramesX (7 bytes) when the composition time is 0, else CodedFrames
     * and an SI24 (10 bytes); for AV1 and VP9 CodedFrames (7 bytes).
     *
     * @param out where to write
     * @param trackId the track, 1 to {@value #MAX_TRACK_ID}; track 0 uses
     *     {@link #writeVideoHeader(ByteBuf, Codec, boolean, int, boolean)}
     * @param codec a video codec
     * @param keyframe FrameType 1 (key frame) when set, else 2 (inter frame)
     * @param compositionTimeMs pts minus dts in milliseconds, from {@value #MIN_COMPOSITION_TIME}
     *     to {@value #MAX_COMPOSITION_TIME}; must be 0 for AV1 and VP9
     * @return the number of bytes written
     * @throws IllegalArgumentException when the track id is out of range, the codec is not
     *     video, or the composition time does not fit or is not 0 for AV1 and VP9
     * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, Enhanced Video</a>
     */
    public static int writeMultitrackVideoHeader(ByteBuf out, int trackId, Codec codec, boolean keyframe,
            int compositionTimeMs) {
        checkTrackId(trackId);
        videoFourCc(codec);
        int frameType = keyframe ? FRAME_TYPE_KEY : FRAME_TYPE_INTER;
        if (compositionTimeMs < MIN_COMPOSITION_TIME || compositionTimeMs > MAX_COMPOSITION_TIME) {
            throw new IllegalArgumentException("composition time " + compositionTimeMs + " ms is outside the SI24 range "
                    + MIN_COMPOSITION_TIME + " to " + MAX_COMPOSITION_TIME);
        }
        if (codec != Codec.H264 && codec != Codec.H265) {
            if (compositionTimeMs != 0) {
                throw new IllegalArgumentException(codec + " carries no composition time in Enhanced RTMP, got "
                        + compositionTimeMs + " ms");
            }
            return writeOneTrackVideo(out, trackId, codec, frameType, VIDEO_CODED_FRAMES);
        }
        if (compositionTimeMs == 0) {
            return writeOneTrackVideo(out, trackId, codec, frameType, VIDEO_CODED_FRAMES_X);
        }
        int n = writeOneTrackVideo(out, trackId, codec, frameType, VIDEO_CODED_FRAMES);
        out.writeMedium(compositionTimeMs);
        return n + 3;
    }

    /**
     * Writes the header of a video sequence start of track {@code trackId} (1 or more) in the
     * multitrack form; the decoder configuration record (avcC, hvcC, av1C or vpcC) follows it.
     *
     * @param out where to write
     * @param trackId the track, 1 to {@value #MAX_TRACK_ID}; track 0 uses
     *     {@link #writeVideoSequenceStart(ByteBuf, Codec, boolean)}
     * @param codec a video codec
     * @return the number of bytes written, 7
     * @throws IllegalArgumentException when the track id is out of range or the codec is not video
     */
    public static int writeMultitrackVideoSequenceStart(ByteBuf out, int trackId, Codec codec) {
        checkTrackId(trackId);
        return writeOneTrackVideo(out, trackId, codec, FRAME_TYPE_KEY, VIDEO_SEQUENCE_START);
    }

    /**
     * Writes a whole end-of-sequence video tag body of track {@code trackId} (1 or more) in
     * the multitrack form: nothing follows it.
     *
     * @param out where to write
     * @param trackId the track, 1 to {@value #MAX_TRACK_ID}; track 0 uses
     *     {@link #writeVideoSequenceEnd(ByteBuf, Codec, boolean)}
     * @param codec a video codec
     * @return the number of bytes written, 7
     * @throws IllegalArgumentException when the track id is out of range or the codec is not video
     */
    public static int writeMultitrackVideoSequenceEnd(ByteBuf out, int trackId, Codec codec) {
        checkTrackId(trackId);
        return writeOneTrackVideo(out, trackId, codec, FRAME_TYPE_KEY, VIDEO_SEQUENCE_END);
    }

    /**
     * Writes the header of an audio tag body of track {@code trackId} (1 or more) in the
     * multitrack form; the configuration or coded frame follows it.
     *
     * <p>{@code 0x95} (SoundFormat 9, Multitrack), OneTrack with SequenceStart (config) or
     * CodedFrames, the FourCC and the track id, 7 bytes. AAC uses the FourCC {@code mp4a}
     * (its SequenceStart carries the AudioSpecificConfig, its frames are raw access units),
     * Opus {@code Opus} (OpusHead, then Opus packets), MP3 {@code .mp3} (frames only).
     *
     * @param out where to write
     * @param trackId the track, 1 to {@value #MAX_TRACK_ID}; track 0 uses
     *     {@link #writeAudioHeader(ByteBuf, Codec, int, int, boolean)}
     * @param codec an audio codec: AAC, MP3 or Opus
     * @param config whether the payload is the configuration rather than a frame
     * @return the number of bytes written, 7
     * @throws IllegalArgumentException when the track id is out of range, the codec is not
     *     audio or has no Enhanced RTMP FourCC (G.711; see {@link #hasMultitrackForm}), or
     *     {@code config} is set for MP3
     * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, Enhanced Audio</a>
     */
    public static int writeMultitrackAudioHeader(ByteBuf out, int trackId, Codec codec, boolean config) {
        checkTrackId(trackId);
        int fourCc = switch (Objects.requireNonNull(codec, "codec")) {
            case AAC -> FOURCC_MP4A;
            case OPUS -> FOURCC_OPUS;
            case MP3 -> {
                if (config) {
                    throw new IllegalArgumentException("MP3 has no configuration record to write a header for");
                }
                yield FOURCC_MP3;
            }
            case PCMA, PCMU -> throw new IllegalArgumentException(codec + " has no Enhanced RTMP FourCC");
            default -> throw new IllegalArgumentException(codec + " is not an audio codec");
        };
        out.writeByte(SOUND_FORMAT_EX_HEADER << 4 | AUDIO_MULTITRACK);
        out.writeByte(ExHeader.MULTITRACK_ONE_TRACK << 4 | (config ? AUDIO_SEQUENCE_START : AUDIO_CODED_FRAMES));
        out.writeInt(fourCc);
        out.writeByte(trackId);
        return 7;
    }

    private static void checkTrackId(int trackId) {
        if (trackId < 1 || trackId > MAX_TRACK_ID) {
            throw new IllegalArgumentException("multitrack track id " + trackId + " is outside 1 to " + MAX_TRACK_ID
                    + (trackId == 0 ? "; track 0 is written in the plain form" : ""));
        }
    }

    private static int writeOneTrackVideo(ByteBuf out, int trackId, Codec codec, int frameType, int packetType) {
        int fourCc = videoFourCc(codec);
        out.writeByte(EX_HEADER_BIT | frameType << 4 | VIDEO_MULTITRACK);
        out.writeByte(ExHeader.MULTITRACK_ONE_TRACK << 4 | packetType);
        out.writeInt(fourCc);
        out.writeByte(trackId);
        return 7;
    }

    private static int writeLegacyVideo(ByteBuf out, Codec codec, int frameType, int packetType, int cts) {
        int codecId = switch (Objects.requireNonNull(codec, "codec")) {
            case H264 -> VIDEO_CODEC_AVC;
            case H265 -> VIDEO_CODEC_HEVC_LEGACY;
            case AV1, VP9 -> throw new IllegalArgumentException(codec + " has no legacy FLV form; write it enhanced");
            default -> throw new IllegalArgumentException(codec + " is not a video codec");
        };
        out.writeByte(frameType << 4 | codecId);
        out.writeByte(packetType);
        out.writeMedium(cts);
        return 5;
    }

    private static int writeEnhancedVideo(ByteBuf out, Codec codec, int frameType, int packetType) {
        int fourCc = videoFourCc(codec);
        out.writeByte(EX_HEADER_BIT | frameType << 4 | packetType);
        out.writeInt(fourCc);
        return 5;
    }

    private static int videoFourCc(Codec codec) {
        if (Objects.requireNonNull(codec, "codec").type() != MediaType.VIDEO) {
            throw new IllegalArgumentException(codec + " is not a video codec");
        }
        return switch (codec) {
            case H264 -> FOURCC_AVC1;
            case H265 -> FOURCC_HVC1;
            case AV1 -> FOURCC_AV01;
            default -> FOURCC_VP09;
        };
    }
}
