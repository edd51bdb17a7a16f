package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.stream.Codec;
import java.util.Objects;

/**
 * The header of an FLV audio tag body, which is also the body of an RTMP audio message
 * (type 8): what it carries and where its payload is, parsed without copying or retaining
 * anything.
 *
 * <p><b>Forms read.</b>
 * <ul>
 * <li>Legacy (FLV v10.1 Annex E.4.2.1): SoundFormat UB[4], SoundRate UB[2], SoundSize
 *     UB[1], SoundType UB[1]; for AAC (SoundFormat 10) an AACPacketType UI8 follows (0:
 *     AudioSpecificConfig, 1: raw access unit). MP3 is SoundFormat 2, or 14 for 8 kHz.</li>
 * <li>Enhanced RTMP v2: SoundFormat 9 (ExHeader), AudioPacketType UB[4], any ModEx
 *     prefixes, then a FourCC ({@code Opus}, {@code mp4a}, {@code .mp3}) or a multitrack
 *     wrapper. An Opus SequenceStart carries the OpusHead identification header.</li>
 * </ul>
 *
 * <p><b>Errors and skips.</b> A codec Streamkit cannot carry (legacy PCM, ADPCM,
 * Nellymoser, G.711, Speex, device-specific; FourCC {@code fLaC}, {@code ac-3},
 * {@code ec-3} or an unknown one), a reserved SoundFormat, AACPacketType or AudioPacketType,
 * or a header that ends early throws {@link MediaFormatException}, so a publisher learns at
 * once that its audio cannot be carried. An empty body, a multitrack packet without track
 * 0 and a MultichannelConfig packet (channel layouts for codecs that do not describe their
 * own; AAC and Opus do) come back as {@link FlvPacketKind#IGNORED} with a {@link #reason()}.
 *
 * <p><b>Multitrack.</b> As for video: only track 0 is mapped, the other tracks of a
 * multitrack packet are counted in {@link #ignoredTracks()}.
 *
 * @param codec the codec; {@code null} only for an {@link FlvPacketKind#IGNORED} tag that names none we know
 * @param kind what the tag carries; never {@link FlvPacketKind#METADATA}
 * @param soundRate the legacy SoundRate in Hz (5512, 11025, 22050, 44100; 8000 for
 *     SoundFormat 14), nominal only: AAC always says 44100 and decoders read the
 *     configuration or frame headers; 0 in the enhanced form
 * @param channels the legacy SoundType: 1 (mono) or 2 (stereo), nominal as {@code soundRate}; 0 in the enhanced form
 * @param enhanced whether the tag uses the Enhanced RTMP header (SoundFormat 9)
 * @param ignoredTracks tracks of a multitrack packet that were not mapped
 * @param reason why an {@link FlvPacketKind#IGNORED} tag maps nothing; {@code null} otherwise
 * @param payloadOffset where the payload starts, in bytes from the start of the body
 * @param payloadLength the payload's length in bytes; 0 for an ignored tag
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, Enhanced Audio</a>
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">FLV v10.1 Annex E.4.2.1 AUDIODATA</a>
 */
public record FlvAudioTag(Codec codec, FlvPacketKind kind, int soundRate, int channels, boolean enhanced,
        int ignoredTracks, String reason, int payloadOffset, int payloadLength) {

    private static final int[] SOUND_RATES = {5512, 11025, 22050, 44100};

    /**
     * Checks the fields.
     *
     * @param codec see the record component of that name
     * @param kind see the record component of that name
     * @param soundRate see the record component of that name
     * @param channels see the record component of that name
     * @param enhanced see the record component of that name
     * @param ignoredTracks see the record component of that name
     * @param reason see the record component of that name
     * @param payloadOffset see the record component of that name
     * @param payloadLength see the record component of that name
     * @throws NullPointerException when {@code kind} is null, or {@code codec} is null for a kind other than IGNORED
     * @throws IllegalArgumentException when an offset, length or count is negative
     */
    public FlvAudioTag {
        Objects.requireNonNull(kind, "kind");
        if (kind != FlvPacketKind.IGNORED) {
            Objects.requireNonNull(codec, "codec");
        }
        if (payloadOffset < 0 || payloadLength < 0 || ignoredTracks < 0) {
            throw new IllegalArgumentException("negative offset " + payloadOffset + ", length " + payloadLength
                    + " or ignored tracks " + ignoredTracks);
        }
    }

    /**
     * Parses the header of an audio tag body.
     *
     * <p>Borrows {@code body}: reads its readable bytes by absolute index, never moves its
     * reader index, never retains or releases it, never reads past its writer index.
     *
     * @param body the whole tag body (the RTMP message payload), header first
     * @return what the tag carries and where its payload is
     * @throws MediaFormatException when the header is truncated, uses a reserved value or
     *     names a codec Streamkit does not carry; the message names the value and the rule
     */
    public static FlvAudioTag parse(ByteBuf body) {
        TagCursor c = new TagCursor(body, "audio tag");
        if (c.remaining() == 0) {
            return ignored(null, false, 0, "empty audio tag body");
        }
        int first = c.u8("audio tag header");
        int soundFormat = first >>> 4;
        if (soundFormat != FlvTags.SOUND_FORMAT_EX_HEADER) {
            return parseLegacy(c, soundFormat, first);
        }
        int packetType = ExHeader.skipModEx(c, first & 0x0f);
        ExHeader.Selection track = ExHeader.select(c, packetType, FlvTags.AUDIO_MULTITRACK, "audio");
        if (track.reason() != null) {
            return ignored(null, true, track.ignoredTracks(), track.reason());
        }
        Codec codec = codecOf(track.fourCc());
        FlvPacketKind kind = switch (track.packetType()) {
            case FlvTags.AUDIO_SEQUENCE_START -> FlvPacketKind.CONFIG;
            case FlvTags.AUDIO_CODED_FRAMES -> FlvPacketKind.FRAME;
            case FlvTags.AUDIO_SEQUENCE_END -> FlvPacketKind.END_OF_SEQUENCE;
            case FlvTags.AUDIO_MULTICHANNEL_CONFIG -> null;
            default -> throw new MediaFormatException("AudioPacketType " + track.packetType()
                    + " is reserved (0, 1, 2, 4, 5 and 7 defined)");
        };
        if (kind == null) {
            return ignored(codec, true, track.ignoredTracks(),
                    "MultichannelConfig (AAC and Opus configurations describe their channels)");
        }
        return new FlvAudioTag(codec, kind, 0, 0, true, track.ignoredTracks(), null, c.offset(), c.remaining());
    }

    private static FlvAudioTag parseLegacy(TagCursor c, int soundFormat, int first) {
        int rate = SOUND_RATES[first >>> 2 & 0x03];
        int channels = (first & 0x01) + 1;
        switch (soundFormat) {
            case FlvTags.SOUND_FORMAT_AAC -> {
                int packetType = c.u8("AACPacketType");
                FlvPacketKind kind = switch (packetType) {
                    case FlvTags.AAC_SEQUENCE_HEADER -> FlvPacketKind.CONFIG;
                    case FlvTags.AAC_RAW -> FlvPacketKind.FRAME;
                    default -> throw new MediaFormatException("AACPacketType " + packetType + " is not 0 or 1");
                };
                return new FlvAudioTag(Codec.AAC, kind, rate, channels, false, 0, null, c.offset(), c.remaining());
            }
            case FlvTags.SOUND_FORMAT_MP3 -> {
                return new FlvAudioTag(Codec.MP3, FlvPacketKind.FRAME, rate, channels, false, 0, null,
                        c.offset(), c.remaining());
            }
            case FlvTags.SOUND_FORMAT_MP3_8K -> {
                return new FlvAudioTag(Codec.MP3, FlvPacketKind.FRAME, 8000, channels, false, 0, null,
                        c.offset(), c.remaining());
            }
            default -> throw new MediaFormatException("audio SoundFormat " + soundFormat + legacyCodecName(soundFormat)
                    + " is not supported; supported: 2 (MP3), 10 (AAC), 14 (MP3 8 kHz)"
                    + " and Enhanced RTMP 'Opus', 'mp4a', '.mp3'");
        }
    }

    private static Codec codecOf(int fourCc) {
        return switch (fourCc) {
            case FlvTags.FOURCC_OPUS -> Codec.OPUS;
            case FlvTags.FOURCC_MP4A -> Codec.AAC;
            case FlvTags.FOURCC_MP3 -> Codec.MP3;
            default -> throw new MediaFormatException("audio FourCC " + TagCursor.fourCcName(fourCc)
                    + " is not supported; supported: 'Opus', 'mp4a', '.mp3'");
        };
    }

    private static String legacyCodecName(int soundFormat) {
        return switch (soundFormat) {
            case 0 -> " (linear PCM, platform endian)";
            case 1 -> " (ADPCM)";
            case 3 -> " (linear PCM, little endian)";
            case 4, 5, 6 -> " (Nellymoser)";
            case 7 -> " (G.711 A-law)";
            case 8 -> " (G.711 mu-law)";
            case 11 -> " (Speex)";
            case 15 -> " (device-specific)";
            default -> " (reserved)";
        };
    }

    private static FlvAudioTag ignored(Codec codec, boolean enhanced, int ignoredTracks, String reason) {
        return new FlvAudioTag(codec, FlvPacketKind.IGNORED, 0, 0, enhanced, ignoredTracks, reason, 0, 0);
    }

    /**
     * Returns the payload as a slice of {@code body}, sharing its memory and its reference count.
     *
     * @param body the buffer this tag was parsed from, its reader index unchanged since
     * @return a slice of {@link #payloadLength()} bytes; not retained, valid while {@code body} is
     */
    public ByteBuf payload(ByteBuf body) {
        return body.slice(body.readerIndex() + payloadOffset, payloadLength);
    }

    /**
     * Returns the payload as a retained slice of {@code body}: the zero-copy way to keep it,
     * for example as a {@link io.streamkit.stream.MediaFrame} payload.
     *
     * @param body the buffer this tag was parsed from, its reader index unchanged since
     * @return a slice of {@link #payloadLength()} bytes holding one reference, which the caller owns
     */
    public ByteBuf retainedPayload(ByteBuf body) {
        return body.retainedSlice(body.readerIndex() + payloadOffset, payloadLength);
    }
}
