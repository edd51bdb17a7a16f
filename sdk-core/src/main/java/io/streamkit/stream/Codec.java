package io.streamkit.stream;

/**
 * A media codec that Streamkit carries, with the canonical payload form its
 * {@link MediaFrame}s use.
 *
 * <p>Video payloads are length-prefixed NAL units (AVCC/HVCC, the length size taken
 * from the decoder configuration record) or, for AV1, low-overhead OBUs; audio payloads
 * are raw access units without a transport header (no ADTS, no Ogg); G.711's are runs of
 * samples, one byte each per channel, of any length.
 */
public enum Codec {
    /** H.264 / AVC; configuration: AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1). */
    H264(MediaType.VIDEO, "avc1", true),
    /** H.265 / HEVC; configuration: HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1). */
    H265(MediaType.VIDEO, "hvc1", true),
    /** AV1; configuration: AV1CodecConfigurationRecord (AV1 ISOBMFF binding 2.3). */
    AV1(MediaType.VIDEO, "av01", true),
    /** VP9; configuration: VPCodecConfigurationRecord, kept as bytes. */
    VP9(MediaType.VIDEO, "vp09", false),
    /** AAC; configuration: AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1). */
    AAC(MediaType.AUDIO, "mp4a", true),
    /** MPEG-1/2 Audio Layer III; frames carry their own headers, no configuration. */
    MP3(MediaType.AUDIO, ".mp3", false),
    /** Opus; configuration: the OpusHead identification header (RFC 7845 5.1). */
    OPUS(MediaType.AUDIO, "Opus", true),
    /**
     * G.711 A-law (ITU-T G.711, RTP's {@code PCMA}); a frame is a run of 8-bit samples, no
     * configuration: the sample rate and channels travel with the track's format
     * ({@link TrackFormat#of(Codec, int, int)}). Carried through, never transcoded.
     */
    PCMA(MediaType.AUDIO, "alaw", false),
    /**
     * G.711 µ-law (ITU-T G.711, RTP's {@code PCMU}); as {@link #PCMA}.
     */
    PCMU(MediaType.AUDIO, "ulaw", false);

    private final MediaType type;
    private final String fourCc;
    private final boolean requiresConfig;

    Codec(MediaType type, String fourCc, boolean requiresConfig) {
        this.type = type;
        this.fourCc = fourCc;
        this.requiresConfig = requiresConfig;
    }

    /**
     * Returns whether this is a video or an audio codec.
     *
     * @return the media type
     */
    public MediaType type() {
        return type;
    }

    /**
     * Returns the FourCC that ISO BMFF and Enhanced RTMP use for this codec.
     *
     * <p>G.711's are QuickTime's sample entry names; Enhanced RTMP defines none for it.
     *
     * @return four ASCII characters, for example {@code "hvc1"}
     */
    public String fourCc() {
        return fourCc;
    }

    /**
     * Returns whether a decoder needs a configuration record before the first frame.
     *
     * @return {@code true} for H.264, H.265, AV1, AAC and Opus
     */
    public boolean requiresConfig() {
        return requiresConfig;
    }
}
