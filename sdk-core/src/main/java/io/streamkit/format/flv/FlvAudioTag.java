package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.stream.Codec;
import io.streamkit.stream.TrackFormat;
import java.util.List;
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
 * Nellymoser, Speex, device-specific; FourCC {@code fLaC}, {@code ac-3},
 * {@code ec-3} or an unknown one), a reserved SoundFormat, AACPacketType, AudioPacketType or
 * AvMultitrackType, a multitrack track list that breaks its limits (see
 * {@link #parseTracks}), or a header that ends early throws {@link MediaFormatException},
 * so a publisher learns at once that its audio cannot be carried. (In what
 * {@link #parseTracks} returns, a track of a multitrack packet with a FourCC Streamkit
 * cannot carry is IGNORED instead, so the other tracks still play.) An empty body, a
 * multitrack packet without track 0 (from {@link #parse}) and a MultichannelConfig packet
 * (channel layouts for codecs that do not describe their own; AAC and Opus do) come back as
 * {@link FlvPacketKind#IGNORED} with a {@link #reason()}.
 *
 * <p><b>Multitrack.</b> As for video: {@link #parse} maps track 0 only and counts the other
 * tracks of a multitrack packet in {@link #ignoredTracks()}; {@link #parseTracks} returns
 * every track, each with its {@link #trackId()} and its own payload range in the one body.
 * Inside a multitrack packet the FourCCs are those of the enhanced form: {@code mp4a}
 * (whose SequenceStart carries the AudioSpecificConfig), {@code Opus} (the OpusHead) and
 * {@code .mp3}.
 *
 * @param codec the codec; {@code null} only for an {@link FlvPacketKind#IGNORED} tag that names none we know
 * @param kind what the tag carries; never {@link FlvPacketKind#METADATA}
 * @param soundRate the legacy SoundRate in Hz (5512, 11025, 22050, 44100; 8000 for
 *     SoundFormat 14 and for G.711, SoundFormats 7 and 8, which FLV has at 8 kHz only), nominal only: AAC always says 44100 and decoders read the
 *     configuration or frame headers; 0 in the enhanced form
 * @param channels the legacy SoundType: 1 (mono) or 2 (stereo), nominal as {@code soundRate}; 0 in the enhanced form
 * @param enhanced whether the tag uses the Enhanced RTMP header (SoundFormat 9)
 * @param trackId the track, 0 to {@value FlvTags#MAX_TRACK_ID}: 0 for a packet without the
 *     multitrack wrapper and for every tag {@link #parse} returns
 * @param ignoredTracks tracks of a multitrack packet that were not mapped; 0 from {@link #parseTracks}
 * @param reason why an {@link FlvPacketKind#IGNORED} tag maps nothing; {@code null} otherwise
 * @param payloadOffset where the payload starts, in bytes from the start of the body
 * @param payloadLength the payload's length in bytes; 0 for an ignored tag
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, Enhanced Audio</a>
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">FLV v10.1 Annex E.4.2.1 AUDIODATA</a>
 */
public record FlvAudioTag(Codec codec, FlvPacketKind kind, int soundRate, int channels, boolean enhanced,
        int trackId, int ignoredTracks, String reason, int payloadOffset, int payloadLength) {

    private static final int[] SOUND_RATES = {5512, 11025, 22050, 44100};

    /**
     * Checks the fields.
     *
     * @param codec see the record component of that name
     * @param kind see the record component of that name
     * @param soundRate see the record component of that name
     * @param channels see the record component of that name
     * @param enhanced see the record component of that name
     * @param trackId see the record component of that name
     * @param ignoredTracks see the record component of that name
     * @param reason see the record component of that name
     * @param payloadOffset see the record component of that name
     * @param payloadLength see the record component of that name
     * @throws NullPointerException when {@code kind} is null, or {@code codec} is null for a kind other than IGNORED
     * @throws IllegalArgumentException when an offset, length or count is negative, or the
     *     track id is outside 0 to {@value FlvTags#MAX_TRACK_ID}
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
        if (trackId < 0 || trackId > FlvTags.MAX_TRACK_ID) {
            throw new IllegalArgumentException("track id " + trackId + " is outside 0 to " + FlvTags.MAX_TRACK_ID);
        }
    }

    /**
     * Parses the header of an audio tag body and maps its default track, track 0.
     *
     * <p>A message without the multitrack wrapper is track 0. Of a multitrack message only
     * the track with id 0 is mapped and the others are counted in {@link #ignoredTracks()};
     * a multitrack message without track 0 comes back {@link FlvPacketKind#IGNORED}. The
     * whole track list is checked all the same (see {@link #parseTracks}). Use
     * {@link #parseTracks} to read every track.
     *
     * <p>Borrows {@code body}: reads its readable bytes by absolute index, never moves its
     * reader index, never retains or releases it, never reads past its writer index.
     *
     * @param body the whole tag body (the RTMP message payload), header first
     * @return what the tag carries and where its payload is; {@link #trackId()} is always 0
     * @throws MediaFormatException when the header is truncated, uses a reserved value or
     *     names a codec Streamkit does not carry; the message names the value and the rule
     */
    public static FlvAudioTag parse(ByteBuf body) {
        return read(body, null);
    }

    /**
     * Parses the header of an audio tag body and appends one tag per track to {@code out}:
     * every track of an Enhanced RTMP v2 multitrack message, or the one tag {@link #parse}
     * returns for any other message (track 0, possibly {@link FlvPacketKind#IGNORED}).
     *
     * <p>Each appended tag carries its {@link #trackId()}, its codec (from the track's
     * FourCC: {@code mp4a}, {@code Opus} or {@code .mp3}), the message's packet type and its
     * own {@link #payloadOffset()} and {@link #payloadLength()} relative to the body, so
     * {@link #retainedPayload(ByteBuf)} slices each track out of the one body without a
     * copy. Nothing is allocated besides the tags and what {@code out} needs to grow.
     *
     * <p>Limits, checked for the whole message before anything is returned:
     * <table>
     * <caption>What a multitrack message may hold</caption>
     * <tr><th>what</th><th>limit</th></tr>
     * <tr><td>tracks in a ManyTracks or ManyTracksManyCodecs list</td><td>1 to
     *     {@value FlvTags#MAX_TRACKS_PER_MESSAGE}</td></tr>
     * <tr><td>sizeOfTrack</td><td>what is left of the body</td></tr>
     * <tr><td>a track id</td><td>once per message</td></tr>
     * <tr><td>the inner packet type</td><td>not Multitrack, ModEx or reserved</td></tr>
     * </table>
     * A track of a multitrack message whose FourCC Streamkit cannot carry (say {@code fLaC})
     * comes back {@link FlvPacketKind#IGNORED} with its id and a reason instead of failing
     * the message; so does a track's MultichannelConfig. {@link #ignoredTracks()} is 0 on
     * every appended tag.
     *
     * <p>Borrows {@code body} as {@link #parse} does.
     *
     * @param body the whole tag body (the RTMP message payload), header first
     * @param out a modifiable list to append to; left as it was when this throws
     * @return how many tags were appended, at least 1
     * @throws MediaFormatException when the header or the track list is truncated, breaks a
     *     limit above, uses a reserved value, or a message without the multitrack wrapper
     *     names a codec Streamkit does not carry; the message names the value and the rule
     * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, Multitrack Streaming</a>
     */
    public static int parseTracks(ByteBuf body, List<FlvAudioTag> out) {
        int start = out.size();
        try {
            FlvAudioTag single = read(body, out);
            if (single != null) {
                out.add(single);
            }
        } catch (MediaFormatException e) {
            out.subList(start, out.size()).clear();
            throw e;
        }
        return out.size() - start;
    }

    /**
     * Reads a body: returns its one tag, or, for a multitrack message when {@code all} is
     * given, appends every track to {@code all} and returns {@code null}.
     */
    private static FlvAudioTag read(ByteBuf body, List<FlvAudioTag> all) {
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
        ExHeader h = ExHeader.read(c, packetType, ExHeader.Media.AUDIO);
        if (!h.multitrack()) {
            h.nextTrack();
            return track(c, h.fourCc(), 0, h.packetType(), 0, false);
        }
        if (all != null) {
            while (h.nextTrack()) {
                all.add(track(c, h.fourCc(), h.trackId(), h.packetType(), 0, true));
            }
            return null;
        }
        int offset = -1;
        int length = 0;
        int fourCc = 0;
        while (h.nextTrack()) {
            if (h.trackId() == 0) {
                offset = h.dataOffset();
                length = h.dataLength();
                fourCc = h.fourCc();
            }
        }
        if (offset < 0) {
            return ignored(null, true, h.tracks(), h.multitrackType() == ExHeader.MULTITRACK_ONE_TRACK
                    ? "audio track " + h.trackId() + " (only track 0 is mapped)"
                    : "audio multitrack packet of " + h.tracks() + " track(s) without track 0 (only track 0 is mapped)");
        }
        c.limit(offset, length);
        return track(c, fourCc, 0, h.packetType(), h.tracks() - 1, false);
    }

    /**
     * Reads one track's data, the cursor limited to it.
     *
     * @param lenient whether an unsupported FourCC gives an IGNORED tag rather than an exception
     */
    private static FlvAudioTag track(TagCursor c, int fourCc, int trackId, int packetType, int ignoredTracks,
            boolean lenient) {
        Codec codec = codecOf(fourCc, lenient);
        FlvPacketKind kind = switch (packetType) {
            case FlvTags.AUDIO_SEQUENCE_START -> FlvPacketKind.CONFIG;
            case FlvTags.AUDIO_CODED_FRAMES -> FlvPacketKind.FRAME;
            case FlvTags.AUDIO_SEQUENCE_END -> FlvPacketKind.END_OF_SEQUENCE;
            case FlvTags.AUDIO_MULTICHANNEL_CONFIG -> FlvPacketKind.IGNORED;
            default -> throw new MediaFormatException("AudioPacketType " + packetType
                    + " is reserved (0, 1, 2, 4, 5 and 7 defined)");
        };
        if (codec == null) {
            return new FlvAudioTag(null, FlvPacketKind.IGNORED, 0, 0, true, trackId, ignoredTracks,
                    "audio track " + trackId + ": " + unsupported(fourCc), 0, 0);
        }
        if (kind == FlvPacketKind.IGNORED) {
            return new FlvAudioTag(codec, FlvPacketKind.IGNORED, 0, 0, true, trackId, ignoredTracks,
                    "MultichannelConfig (AAC and Opus configurations describe their channels)", 0, 0);
        }
        return new FlvAudioTag(codec, kind, 0, 0, true, trackId, ignoredTracks, null, c.offset(), c.remaining());
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
                return new FlvAudioTag(Codec.AAC, kind, rate, channels, false, 0, 0, null, c.offset(), c.remaining());
            }
            case FlvTags.SOUND_FORMAT_MP3 -> {
                return new FlvAudioTag(Codec.MP3, FlvPacketKind.FRAME, rate, channels, false, 0, 0, null,
                        c.offset(), c.remaining());
            }
            case FlvTags.SOUND_FORMAT_MP3_8K -> {
                return new FlvAudioTag(Codec.MP3, FlvPacketKind.FRAME, 8000, channels, false, 0, 0, null,
                        c.offset(), c.remaining());
            }
            case FlvTags.SOUND_FORMAT_G711_ALAW, FlvTags.SOUND_FORMAT_G711_MULAW -> {
                // 8 kHz whatever SoundRate says: FLV has no other rate for G.711 (ffmpeg reads it so).
                Codec g711 = soundFormat == FlvTags.SOUND_FORMAT_G711_ALAW ? Codec.PCMA : Codec.PCMU;
                return new FlvAudioTag(g711, FlvPacketKind.FRAME, 8000, channels, false, 0, 0, null,
                        c.offset(), c.remaining());
            }
            default -> throw new MediaFormatException("audio SoundFormat " + soundFormat + legacyCodecName(soundFormat)
                    + " is not supported; supported: 2 (MP3), 7 (G.711 A-law), 8 (G.711 mu-law), 10 (AAC),"
                    + " 14 (MP3 8 kHz)"
                    + " and Enhanced RTMP 'Opus', 'mp4a', '.mp3'");
        }
    }

    /** Returns the codec of a FourCC; for one Streamkit cannot carry, null when lenient, else throws. */
    private static Codec codecOf(int fourCc, boolean lenient) {
        Codec codec = switch (fourCc) {
            case FlvTags.FOURCC_OPUS -> Codec.OPUS;
            case FlvTags.FOURCC_MP4A -> Codec.AAC;
            case FlvTags.FOURCC_MP3 -> Codec.MP3;
            default -> null;
        };
        if (codec == null && !lenient) {
            throw new MediaFormatException(unsupported(fourCc));
        }
        return codec;
    }

    private static String unsupported(int fourCc) {
        return "audio FourCC " + TagCursor.fourCcName(fourCc) + " is not supported; supported: 'Opus', 'mp4a', '.mp3'";
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
        return new FlvAudioTag(codec, FlvPacketKind.IGNORED, 0, 0, enhanced, 0, ignoredTracks, reason, 0, 0);
    }

    /**
     * Returns the track format of a codec without a configuration record, from this tag's
     * first frame: G.711 with its 8 kHz and the SoundType's channels, MP3 without parameters
     * (its frames carry their own headers).
     *
     * @return the format
     * @throws IllegalStateException when the codec has a configuration record, or the tag names no codec
     */
    public TrackFormat formatWithoutConfig() {
        if (codec == null || codec.requiresConfig()) {
            throw new IllegalStateException(codec + " takes its format from its configuration record");
        }
        return codec == Codec.PCMA || codec == Codec.PCMU
                ? TrackFormat.of(codec, soundRate, Math.max(1, channels)) : TrackFormat.of(codec);
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
