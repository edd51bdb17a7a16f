package io.streamkit.format.sdp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.aac.AudioSpecificConfig;
import io.streamkit.codec.aac.StreamMuxConfig;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.codec.h265.HevcDecoderConfigurationRecord;
import io.streamkit.codec.opus.OpusHead;
import io.streamkit.stream.Codec;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.TrackFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The mapping between Streamkit's track formats and SDP media descriptions of RTP payload
 * formats, both ways.
 *
 * <table>
 *   <caption>Payload formats</caption>
 *   <tr><th>codec</th><th>{@code a=rtpmap}</th><th>{@code a=fmtp}</th><th>read as</th></tr>
 *   <tr><td>H.264 (RFC 6184)</td><td>{@code H264/90000}</td>
 *     <td>{@code packetization-mode=1;profile-level-id=<hex>;sprop-parameter-sets=<SPS>,<PPS>}</td>
 *     <td>packetization mode 0 or 1 (2, interleaved, is not carried); the parameter sets, in
 *       base64 with or without padding, make an AVC configuration record with 4-byte NAL unit
 *       lengths; without them, or when they do not decode, the format is {@code null}</td></tr>
 *   <tr><td>H.265 (RFC 7798)</td><td>{@code H265/90000}</td>
 *     <td>{@code sprop-vps=<VPS>;sprop-sps=<SPS>;sprop-pps=<PPS>}</td>
 *     <td>as H.264, into an HEVC configuration record; {@code sprop-max-don-diff} above 0
 *       (DONL fields in the packets) is not carried</td></tr>
 *   <tr><td>AAC (RFC 3640)</td><td>{@code mpeg4-generic/<rate>/<channels>}</td>
 *     <td>{@code streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=<hex>}</td>
 *     <td>only AAC-hbr with 13, 3 and 3 bits, the layout
 *       {@link io.streamkit.format.rtp.AacRtpDepacketizer} reads, and a {@code config} that
 *       parses; anything else is not carried</td></tr>
 *   <tr><td>AAC (RFC 6416), read only</td><td>{@code MP4A-LATM/<rate>/<channels>}</td>
 *     <td>{@code cpresent=0;config=<hex StreamMuxConfig>}</td>
 *     <td>the configuration out of band only ({@code cpresent=0}); its AudioSpecificConfig is the
 *       track's, the rest in {@link RtpTrackFormat#latm()}; described as {@code mpeg4-generic}</td></tr>
 *   <tr><td>Opus (RFC 7587)</td><td>{@code opus/48000/2}</td><td>{@code sprop-stereo=1} when stereo</td>
 *     <td>a mapping family 0 {@link OpusHead}: 2 channels when {@code sprop-stereo=1}, else 1
 *       (7.1's default); pre-skip {@value #OPUS_PRE_SKIP}</td></tr>
 *   <tr><td>MP3 (RFC 3551, 2250)</td><td>{@code MPA/90000}</td><td>none</td>
 *     <td>{@link TrackFormat#of(Codec)}; also the static payload type
 *       {@value #MPA_PAYLOAD_TYPE} without an {@code a=rtpmap}</td></tr>
 *   <tr><td>G.711 (RFC 3551 4.5.14)</td><td>{@code PCMA/8000}, {@code PCMU/8000}, with
 *       {@code /<channels>} when more than one</td><td>none</td>
 *     <td>{@link TrackFormat#of(Codec, int, int)} with the map's rate and channels (1 when not
 *       given); also the static payload types {@value #PCMA_PAYLOAD_TYPE} (A-law) and
 *       {@value #PCMU_PAYLOAD_TYPE} (µ-law) without an {@code a=rtpmap}, 8 kHz mono</td></tr>
 * </table>
 *
 * <p>Encoding names and parameter names are compared ignoring case (RFC 4855 3). AV1, VP9
 * and Opus of more than two channels have no payload format here. Stateless and thread-safe.
 */
public final class RtpFormats {
    /** The RTP clock of every video payload format here (RFC 6184 8.2.1, RFC 7798 7.1) and of MPEG audio (RFC 3551 4.5.13). */
    public static final int VIDEO_CLOCK_RATE = 90_000;

    /** The RTP clock of Opus, whatever the encoder's input rate (RFC 7587 4.1). */
    public static final int OPUS_CLOCK_RATE = 48_000;

    /** The static payload type of MPEG audio, MP3 included (RFC 3551 6, table 4). */
    public static final int MPA_PAYLOAD_TYPE = 14;

    /** The static payload type of G.711 A-law at 8 kHz, mono (RFC 3551 6, table 4). */
    public static final int PCMA_PAYLOAD_TYPE = 8;

    /** The static payload type of G.711 µ-law at 8 kHz, mono (RFC 3551 6, table 4). */
    public static final int PCMU_PAYLOAD_TYPE = 0;

    /** The rate of G.711's static payload types, and of a G.711 track that does not say its own. */
    public static final int G711_CLOCK_RATE = 8_000;

    /** The pre-skip of the OpusHead made for an RTP track: libopus's 6.5 ms lookahead at 48 kHz, what its encoders write. */
    public static final int OPUS_PRE_SKIP = 312;

    /** Most parameter sets of one kind read from {@code sprop-*}: H.265 allows 64 PPS, H.264 32 SPS. */
    static final int MAX_PARAMETER_SETS = 64;

    /** The NAL unit length size of the configuration records made from parameter sets, as every muxer writes. */
    private static final int NAL_UNIT_LENGTH = 4;

    private static final int H264_SPS = 7;
    private static final int H264_PPS = 8;
    private static final String AAC_HBR = "AAC-hbr";

    private RtpFormats() {
    }

    /**
     * What an SDP media description carries, as Streamkit sees it.
     *
     * @param payloadType the RTP payload type, 0 to 127
     * @param clockRate the RTP timestamp clock in Hz, from the {@code a=rtpmap} (90,000 for the
     *     static MPEG audio type)
     * @param codec the codec
     * @param format the track's format; {@code null} when the codec needs a configuration the
     *     SDP does not give (H.264 and H.265 without {@code sprop-*}: the parameter sets come
     *     in band, and the ingest builds the format from them)
     * @param control the section's {@code a=control} URL as written, or {@code null}
     * @param latm for AAC in the MP4A-LATM payload format (RFC 6416), its {@code config}: how
     *     its packets are read ({@link io.streamkit.format.rtp.LatmRtpDepacketizer}); {@code null}
     *     for every other format, AAC in {@code mpeg4-generic} included
     */
    public record RtpTrackFormat(int payloadType, int clockRate, Codec codec, TrackFormat format, String control,
                                 StreamMuxConfig latm) {
        /**
         * Creates a track format, checking it.
         *
         * @param payloadType 0 to 127
         * @param clockRate above 0
         * @param codec not null
         * @param format null, or a format of {@code codec}
         * @param control the control URL, or null
         * @param latm null, or for AAC its MP4A-LATM configuration
         * @throws IllegalArgumentException when a field is out of range, the format's codec
         *     differs, or a LATM configuration comes with another codec than AAC
         */
        public RtpTrackFormat {
            Objects.requireNonNull(codec, "codec");
            if (payloadType < 0 || payloadType > 127) {
                throw new IllegalArgumentException("payload type " + payloadType + " is outside 0 to 127");
            }
            if (clockRate < 1) {
                throw new IllegalArgumentException("clock rate " + clockRate + " is not above 0");
            }
            if (format != null && format.codec() != codec) {
                throw new IllegalArgumentException("a " + format.codec() + " format for a " + codec + " track");
            }
            if (latm != null && codec != Codec.AAC) {
                throw new IllegalArgumentException("an MP4A-LATM configuration for a " + codec + " track");
            }
        }

        /**
         * Creates a track format of any payload format but MP4A-LATM.
         *
         * @param payloadType 0 to 127
         * @param clockRate above 0
         * @param codec not null
         * @param format null, or a format of {@code codec}
         * @param control the control URL, or null
         * @throws IllegalArgumentException when a field is out of range or the format's codec differs
         */
        public RtpTrackFormat(int payloadType, int clockRate, Codec codec, TrackFormat format, String control) {
            this(payloadType, clockRate, codec, format, control, null);
        }
    }

    /**
     * Reads what a media description carries: the first of its payload types, in the order of
     * the {@code m=} line, that the class description's table lists.
     *
     * <p>Never throws on the description's values: a payload type whose attributes cannot be
     * read, or whose parameters this does not carry, is passed over. The protocol is not
     * checked: servers write {@code RTP/AVP}, {@code RTP/AVP/TCP} and others for the same
     * payload.
     *
     * @param m the media description, for example of a {@code DESCRIBE} answer
     * @return the payload type's track format; empty when no payload type is one of the table's
     */
    public static Optional<RtpTrackFormat> parse(MediaDescription m) {
        Objects.requireNonNull(m, "m");
        for (int payloadType : m.payloadTypes()) {
            try {
                RtpTrackFormat f = track(m, payloadType);
                if (f != null) {
                    return Optional.of(f);
                }
            } catch (MediaFormatException | IllegalArgumentException e) {
                // this payload type is not carried; try the next
            }
        }
        return Optional.empty();
    }

    private static RtpTrackFormat track(MediaDescription m, int payloadType) {
        Optional<RtpMap> map = m.rtpMap(payloadType);
        String encoding;
        int clockRate;
        if (map.isPresent()) {
            encoding = map.get().encoding().toUpperCase(Locale.ROOT);
            clockRate = map.get().clockRate();
        } else if (payloadType == MPA_PAYLOAD_TYPE) {
            encoding = "MPA";
            clockRate = VIDEO_CLOCK_RATE;
        } else if (payloadType == PCMA_PAYLOAD_TYPE || payloadType == PCMU_PAYLOAD_TYPE) {
            encoding = payloadType == PCMA_PAYLOAD_TYPE ? "PCMA" : "PCMU";
            clockRate = G711_CLOCK_RATE;
        } else {
            return null;
        }
        Map<String, String> fmtp = m.formatParameters(payloadType);
        String control = m.control();
        return switch (encoding) {
            case "H264" -> {
                int mode = number(fmtp.getOrDefault("packetization-mode", "0"));
                yield mode == 0 || mode == 1
                        ? new RtpTrackFormat(payloadType, clockRate, Codec.H264, h264(fmtp), control) : null;
            }
            case "H265" -> {
                int donDiff = number(fmtp.getOrDefault("sprop-max-don-diff", "0"));
                yield donDiff == 0 ? new RtpTrackFormat(payloadType, clockRate, Codec.H265, h265(fmtp), control) : null;
            }
            case "MPEG4-GENERIC" -> {
                TrackFormat format = aac(fmtp);
                yield format == null ? null : new RtpTrackFormat(payloadType, clockRate, Codec.AAC, format, control);
            }
            case "MP4A-LATM" -> {
                // only with the configuration out of band (cpresent=0, what GStreamer, ffmpeg and cameras write);
                // in band (RFC 6416 7.3's default, 1) it would have to be read from the packets
                String config = fmtp.get("config");
                if (!"0".equals(fmtp.get("cpresent")) || config == null) {
                    yield null;
                }
                StreamMuxConfig latm = StreamMuxConfig.parseHex(config);
                yield new RtpTrackFormat(payloadType, clockRate, Codec.AAC,
                        TrackFormat.of(Codec.AAC, Unpooled.wrappedBuffer(latm.audioSpecificConfig())), control, latm);
            }
            case "OPUS" -> new RtpTrackFormat(payloadType, clockRate, Codec.OPUS,
                    opus(map.get().channels(), fmtp), control);
            case "MPA" -> new RtpTrackFormat(payloadType, clockRate, Codec.MP3, TrackFormat.of(Codec.MP3), control);
            case "PCMA", "PCMU" -> {
                Codec codec = encoding.equals("PCMA") ? Codec.PCMA : Codec.PCMU;
                int channels = map.map(RtpMap::channels).filter(c -> c > 0).orElse(1);
                yield channels > TrackFormat.MAX_CHANNELS ? null : new RtpTrackFormat(payloadType, clockRate, codec,
                        TrackFormat.of(codec, clockRate, channels), control);
            }
            default -> null;
        };
    }

    /** The format from {@code sprop-parameter-sets}; null when absent or when it does not make a record. */
    private static TrackFormat h264(Map<String, String> fmtp) {
        List<byte[]> units = nalUnits(fmtp.get("sprop-parameter-sets"));
        if (units == null) {
            return null;
        }
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        for (byte[] unit : units) {
            int type = unit[0] & 0x1f;
            if (type == H264_SPS) {
                sps.add(unit);
            } else if (type == H264_PPS) {
                pps.add(unit);
            }
        }
        if (sps.isEmpty()) {
            return null;
        }
        try {
            return format(Codec.H264, AvcDecoderConfigurationRecord.of(sps, pps, NAL_UNIT_LENGTH)::writeTo);
        } catch (MediaFormatException e) {
            return null;   // the parameter sets come again in band, where the ingest reads them
        }
    }

    /** The format from {@code sprop-vps}, {@code sprop-sps} and {@code sprop-pps}; null when they do not make a record. */
    private static TrackFormat h265(Map<String, String> fmtp) {
        List<byte[]> vps = hevcUnits(fmtp.get("sprop-vps"), HevcDecoderConfigurationRecord.VPS);
        List<byte[]> sps = hevcUnits(fmtp.get("sprop-sps"), HevcDecoderConfigurationRecord.SPS);
        List<byte[]> pps = hevcUnits(fmtp.get("sprop-pps"), HevcDecoderConfigurationRecord.PPS);
        if (vps == null || sps == null || pps == null || sps.isEmpty()) {
            return null;
        }
        try {
            return format(Codec.H265, HevcDecoderConfigurationRecord.of(vps, sps, pps, NAL_UNIT_LENGTH)::writeTo);
        } catch (MediaFormatException e) {
            return null;
        }
    }

    /** The NAL units of one {@code sprop-*} of a type, others left out; empty when absent, null when malformed. */
    private static List<byte[]> hevcUnits(String value, int type) {
        if (value == null) {
            return List.of();
        }
        List<byte[]> units = nalUnits(value);
        if (units == null) {
            return null;
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[] unit : units) {
            if (unit.length >= 2 && (unit[0] >> 1 & 0x3f) == type) {
                out.add(unit);
            }
        }
        return out;
    }

    /**
     * Decodes a comma-separated list of base64 NAL units, padding optional, empty items skipped.
     *
     * @return the units, each 1 to 65,535 bytes; null when the value is absent, an item is not
     *     base64, a unit is too long for a configuration record, or there are more than
     *     {@value #MAX_PARAMETER_SETS}
     */
    private static List<byte[]> nalUnits(String value) {
        if (value == null) {
            return null;
        }
        List<byte[]> units = new ArrayList<>();
        for (String item : value.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            byte[] unit;
            try {
                unit = Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (unit.length > 0xffff || units.size() == MAX_PARAMETER_SETS) {
                return null;
            }
            if (unit.length > 0) {
                units.add(unit);
            }
        }
        return units;
    }

    /** The format of an AAC-hbr section with a readable {@code config}; null for any other. */
    private static TrackFormat aac(Map<String, String> fmtp) {
        if (!AAC_HBR.equalsIgnoreCase(fmtp.get("mode")) || number(fmtp.get("sizelength")) != 13
                || number(fmtp.get("indexlength")) != 3 || number(fmtp.get("indexdeltalength")) != 3) {
            return null;
        }
        String hex = fmtp.get("config");
        if (hex == null || hex.isEmpty() || hex.length() > 2 * TrackFormat.MAX_CONFIG_LENGTH) {
            return null;
        }
        return TrackFormat.of(Codec.AAC, Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
    }

    /** A mapping family 0 OpusHead: stereo when the peer says so and its rtpmap does not say mono. */
    private static TrackFormat opus(int rtpMapChannels, Map<String, String> fmtp) {
        int channels = rtpMapChannels != 1 && "1".equals(fmtp.get("sprop-stereo")) ? 2 : 1;
        OpusHead head = OpusHead.of(channels, OPUS_PRE_SKIP, OPUS_CLOCK_RATE, 0, OpusHead.FAMILY_RTP, 1, channels - 1,
                channels == 2 ? new byte[] {0, 1} : new byte[] {0});
        return format(Codec.OPUS, head::writeTo);
    }

    /** A format from the record a writer puts in a scratch heap buffer, which {@link TrackFormat#of(Codec, ByteBuf)} copies. */
    private static TrackFormat format(Codec codec, Consumer<ByteBuf> record) {
        ByteBuf config = Unpooled.buffer();
        try {
            record.accept(config);
            return TrackFormat.of(codec, config);
        } finally {
            config.release();
        }
    }

    /** A small decimal number; -1 when absent or not one. */
    private static int number(String value) {
        return value == null ? -1 : SdpText.number(value, RtpMap.MAX_CLOCK_RATE);
    }

    /**
     * Describes a track as an RTP media description: port 0 and {@code RTP/AVP}, as RTSP
     * writes them, then the {@code a=rtpmap}, the {@code a=fmtp} and the {@code a=control} of
     * the class description's table.
     *
     * <p>H.264 and H.265 without a configuration record get no parameter sets (they will come
     * in band); AAC and Opus need theirs.
     *
     * @param format the track's format
     * @param payloadType the payload type: a dynamic one, 96 to 127, or a static one of the
     *     codec (14 for MP3; 8 and 0 for G.711 at 8 kHz mono, see {@link #payloadType}); 0 to 127
     * @param control the {@code a=control} URL to write, for example {@code "streamid=0"}, or null for none
     * @return the description; empty for a codec RTP does not carry here (AV1, VP9, Opus of
     *     more than two channels) and for AAC or Opus without a configuration record
     * @throws IllegalArgumentException when the payload type is outside 0 to 127 or the
     *     control URL has a control character
     */
    public static Optional<MediaDescription> describe(TrackFormat format, int payloadType, String control) {
        Objects.requireNonNull(format, "format");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is outside 0 to 127");
        }
        MediaDescription.Builder m = MediaDescription.builder(format.type() == MediaType.VIDEO ? "video" : "audio", 0,
                "RTP/AVP").payloadType(payloadType);
        Map<String, String> fmtp = new LinkedHashMap<>();
        switch (format.codec()) {
            case H264 -> {
                m.rtpMap(payloadType, "H264", VIDEO_CLOCK_RATE, 0);
                fmtp.put("packetization-mode", "1");
                if (format.hasConfig()) {
                    AvcDecoderConfigurationRecord record = AvcDecoderConfigurationRecord.parse(format.config());
                    fmtp.put("profile-level-id", String.format(Locale.ROOT, "%02X%02X%02X", record.profile(),
                            record.compatibility(), record.level()));
                    List<byte[]> sets = new ArrayList<>(record.sps());
                    sets.addAll(record.pps());
                    fmtp.put("sprop-parameter-sets", base64(sets));
                }
            }
            case H265 -> {
                m.rtpMap(payloadType, "H265", VIDEO_CLOCK_RATE, 0);
                if (format.hasConfig()) {
                    HevcDecoderConfigurationRecord record = HevcDecoderConfigurationRecord.parse(format.config());
                    putUnlessEmpty(fmtp, "sprop-vps", record.vps());
                    putUnlessEmpty(fmtp, "sprop-sps", record.sps());
                    putUnlessEmpty(fmtp, "sprop-pps", record.pps());
                }
            }
            case AAC -> {
                if (!format.hasConfig()) {
                    return Optional.empty();
                }
                AudioSpecificConfig asc = AudioSpecificConfig.parse(format.config());
                m.rtpMap(payloadType, "mpeg4-generic", asc.samplingFrequency(), Math.min(asc.channels(), RtpMap.MAX_CHANNELS));
                fmtp.put("streamtype", "5");
                fmtp.put("profile-level-id", "1");
                fmtp.put("mode", AAC_HBR);
                fmtp.put("sizelength", "13");
                fmtp.put("indexlength", "3");
                fmtp.put("indexdeltalength", "3");
                fmtp.put("config", HexFormat.of().formatHex(ByteBufUtil.getBytes(format.config())));
            }
            case OPUS -> {
                if (!format.hasConfig()) {
                    return Optional.empty();
                }
                int channels = OpusHead.parse(format.config()).channelCount();
                if (channels > 2) {
                    return Optional.empty();
                }
                m.rtpMap(payloadType, "opus", OPUS_CLOCK_RATE, 2);   // always 2 (RFC 7587 7)
                if (channels == 2) {
                    fmtp.put("sprop-stereo", "1");
                }
            }
            case MP3 -> m.rtpMap(payloadType, "MPA", VIDEO_CLOCK_RATE, 0);
            case PCMA, PCMU -> {
                int channels = format.audio().map(a -> a.channels()).orElse(1);
                m.rtpMap(payloadType, format.codec() == Codec.PCMA ? "PCMA" : "PCMU", clockRate(format.codec(), format),
                        channels > 1 ? channels : 0);
            }
            default -> {
                return Optional.empty();
            }
        }
        if (!fmtp.isEmpty()) {
            m.formatParameters(payloadType, fmtp);
        }
        if (control != null) {
            m.control(control);
        }
        return Optional.of(m.build());
    }

    private static void putUnlessEmpty(Map<String, String> fmtp, String key, List<byte[]> units) {
        if (!units.isEmpty()) {
            fmtp.put(key, base64(units));
        }
    }

    private static String base64(List<byte[]> units) {
        StringBuilder out = new StringBuilder();
        for (byte[] unit : units) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(Base64.getEncoder().encodeToString(unit));
        }
        return out.toString();
    }

    /**
     * Returns the RTP clock of a track: what its packets' timestamps count.
     *
     * @param codec the codec
     * @param format the track's format; needed for AAC only, may be null for the others
     * @return {@value #VIDEO_CLOCK_RATE} for video and MP3; for G.711 its sample rate
     *     ({@value #G711_CLOCK_RATE} when the format does not say one); for AAC the core sampling frequency
     *     of its AudioSpecificConfig (for HE-AAC half the output rate, so a frame is 1,024
     *     ticks, as {@link io.streamkit.format.rtp.AacRtpDepacketizer} counts);
     *     {@value #OPUS_CLOCK_RATE} for Opus
     * @throws IllegalArgumentException for AAC without a configuration record, or a format of
     *     another codec
     */
    public static int clockRate(Codec codec, TrackFormat format) {
        Objects.requireNonNull(codec, "codec");
        if (format != null && format.codec() != codec) {
            throw new IllegalArgumentException("a " + format.codec() + " format for " + codec);
        }
        return switch (codec) {
            case AAC -> {
                if (format == null || !format.hasConfig()) {
                    throw new IllegalArgumentException("the AAC clock rate needs the AudioSpecificConfig");
                }
                yield AudioSpecificConfig.parse(format.config()).samplingFrequency();
            }
            case OPUS -> OPUS_CLOCK_RATE;
            case PCMA, PCMU -> format == null ? G711_CLOCK_RATE
                    : format.audio().map(a -> a.sampleRate()).orElse(G711_CLOCK_RATE);
            default -> VIDEO_CLOCK_RATE;
        };
    }

    /**
     * Returns the payload type to send a track with: the codec's static one where RFC 3551
     * gives one for the track's parameters (G.711 at 8 kHz mono: 8 A-law, 0 µ-law), which
     * every receiver knows without an {@code a=rtpmap}, else {@code dynamic}.
     *
     * @param format the track's format
     * @param dynamic the dynamic payload type to use otherwise, 96 to 127
     * @return the payload type
     */
    public static int payloadType(TrackFormat format, int dynamic) {
        Codec codec = Objects.requireNonNull(format, "format").codec();
        if ((codec == Codec.PCMA || codec == Codec.PCMU) && clockRate(codec, format) == G711_CLOCK_RATE
                && format.audio().map(a -> a.channels()).orElse(1) == 1) {
            return codec == Codec.PCMA ? PCMA_PAYLOAD_TYPE : PCMU_PAYLOAD_TYPE;
        }
        return dynamic;
    }
}
