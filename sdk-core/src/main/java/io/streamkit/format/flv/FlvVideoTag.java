package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.stream.Codec;
import java.util.List;
import java.util.Objects;

/**
 * The header of an FLV video tag body, which is also the body of an RTMP video message
 * (type 9): what it carries and where its payload is, parsed without copying or retaining
 * anything.
 *
 * <p><b>Forms read.</b>
 * <ul>
 * <li>Legacy (FLV v10.1 Annex E.4.3.1): FrameType UB[4], CodecID UB[4], then for AVC
 *     (CodecID 7) and the widespread non-standard HEVC CodecID 12 (Chinese CDNs, ffmpeg
 *     forks; same layout) AVCPacketType UI8 and CompositionTime SI24. Payload from byte 5.</li>
 * <li>Enhanced RTMP v1/v2: IsExHeader UB[1], FrameType UB[3], VideoPacketType UB[4], any
 *     ModEx prefixes, then a FourCC ({@code avc1}, {@code hvc1}, {@code av01},
 *     {@code vp09}) or a multitrack wrapper. CodedFrames of {@code avc1} and {@code hvc1}
 *     carry an SI24 composition time; CodedFramesX and the other codecs do not (0).</li>
 * </ul>
 *
 * <p><b>Errors and skips.</b> A codec Streamkit cannot carry (legacy Sorenson H.263,
 * Screen video, VP6; FourCC {@code vp08} or an unknown one), a reserved FrameType,
 * VideoPacketType, AVCPacketType or AvMultitrackType, a multitrack track list that breaks
 * its limits (see {@link #parseTracks}), or a header that ends early throws
 * {@link MediaFormatException}: a publisher sending those would never produce a playable
 * track, and the RTMP server rejects the publish with the message. (One exception: in
 * what {@link #parseTracks} returns, a track of a multitrack packet with a FourCC Streamkit
 * cannot carry is IGNORED, so the other tracks still play.) Single tags that are
 * harmless to drop come back as {@link FlvPacketKind#IGNORED} with a {@link #reason()}:
 * an empty body, a video info/command frame (FrameType 5, in either form, whatever its
 * codec), a multitrack packet without track 0 (from {@link #parse}), and
 * MPEG2TSSequenceStart.
 *
 * <p><b>Multitrack.</b> A packet without the multitrack wrapper is track 0, the track the
 * spec recommends for the default. {@link #parse} maps track 0 only: in a multitrack packet
 * the track with id 0 is parsed and the others are counted in {@link #ignoredTracks()}, so
 * a caller that knows one track per media stays stable from packet to packet.
 * {@link #parseTracks} returns every track of the packet, each with its {@link #trackId()}
 * and its own payload range in the one body.
 *
 * <p><b>Payload.</b> {@link #payloadOffset()} is relative to the body's reader index at
 * parse time; {@link #retainedPayload(ByteBuf)} slices it without a copy.
 *
 * @param codec the codec; {@code null} only for an {@link FlvPacketKind#IGNORED} tag that names none we know
 * @param kind what the tag carries
 * @param keyframe FrameType 1 (key frame) or 4 (generated key frame); meaningful for {@link FlvPacketKind#FRAME}
 * @param compositionTime pts minus dts in milliseconds, sign-extended SI24; 0 where the form carries none
 * @param enhanced whether the tag uses the Enhanced RTMP header (IsExHeader set)
 * @param trackId the track, 0 to {@value FlvTags#MAX_TRACK_ID}: 0 for a packet without the
 *     multitrack wrapper and for every tag {@link #parse} returns
 * @param ignoredTracks tracks of a multitrack packet that were not mapped; 0 from {@link #parseTracks}
 * @param reason why an {@link FlvPacketKind#IGNORED} tag maps nothing; {@code null} otherwise
 * @param payloadOffset where the payload starts, in bytes from the start of the body
 * @param payloadLength the payload's length in bytes; 0 for an empty payload or an ignored tag
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, Enhanced Video</a>
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">FLV v10.1 Annex E.4.3.1 VIDEODATA</a>
 */
public record FlvVideoTag(Codec codec, FlvPacketKind kind, boolean keyframe, int compositionTime, boolean enhanced,
        int trackId, int ignoredTracks, String reason, int payloadOffset, int payloadLength) {

    /**
     * Checks the fields.
     *
     * @param codec see the record component of that name
     * @param kind see the record component of that name
     * @param keyframe see the record component of that name
     * @param compositionTime see the record component of that name
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
    public FlvVideoTag {
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
     * Parses the header of a video tag body and maps its default track, track 0.
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
    public static FlvVideoTag parse(ByteBuf body) {
        return read(body, null);
    }

    /**
     * Parses the header of a video tag body and appends one tag per track to {@code out}:
     * every track of an Enhanced RTMP v2 multitrack message, or the one tag {@link #parse}
     * returns for any other message (track 0, possibly {@link FlvPacketKind#IGNORED}).
     *
     * <p>Each appended tag carries its {@link #trackId()}, its codec (from the track's
     * FourCC), the message's frame type and packet type, its own composition time (read for
     * {@code avc1} and {@code hvc1} CodedFrames) and its own {@link #payloadOffset()} and
     * {@link #payloadLength()} relative to the body, so {@link #retainedPayload(ByteBuf)}
     * slices each track out of the one body without a copy. Nothing is allocated besides
     * the tags and what {@code out} needs to grow.
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
     * A track of a multitrack message whose FourCC Streamkit cannot carry (say {@code vvc1})
     * comes back {@link FlvPacketKind#IGNORED} with its id and a reason instead of failing
     * the message, so one exotic variant does not cost the others; so does a track's
     * MPEG2TSSequenceStart. {@link #ignoredTracks()} is 0 on every appended tag.
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
    public static int parseTracks(ByteBuf body, List<FlvVideoTag> out) {
        int start = out.size();
        try {
            FlvVideoTag single = read(body, out);
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
    private static FlvVideoTag read(ByteBuf body, List<FlvVideoTag> all) {
        TagCursor c = new TagCursor(body, "video tag");
        if (c.remaining() == 0) {
            return ignored(null, false, 0, "empty video tag body");
        }
        int first = c.u8("video tag header");
        int frameType = first >>> 4 & 0x07;
        if ((first & FlvTags.EX_HEADER_BIT) == 0) {
            return parseLegacy(c, first >>> 4, first & 0x0f);
        }
        int packetType = ExHeader.skipModEx(c, first & 0x0f);
        if (frameType == FlvTags.FRAME_TYPE_COMMAND && packetType != FlvTags.VIDEO_METADATA) {
            return ignored(null, true, 0, "video command frame " + commandName(c));
        }
        ExHeader h = ExHeader.read(c, packetType, ExHeader.Media.VIDEO);
        if (!h.multitrack()) {
            h.nextTrack();
            return track(c, h, frameType, 0, false);
        }
        if (all != null) {
            while (h.nextTrack()) {
                all.add(track(c, h, frameType, 0, true));
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
                    ? "video track " + h.trackId() + " (only track 0 is mapped)"
                    : "video multitrack packet of " + h.tracks() + " track(s) without track 0 (only track 0 is mapped)");
        }
        c.limit(offset, length);
        return track(c, fourCc, 0, frameType, h.packetType(), h.tracks() - 1, false);
    }

    private static FlvVideoTag track(TagCursor c, ExHeader h, int frameType, int ignoredTracks, boolean lenient) {
        return track(c, h.fourCc(), h.trackId(), frameType, h.packetType(), ignoredTracks, lenient);
    }

    /**
     * Reads one track's data, the cursor limited to it.
     *
     * @param lenient whether an unsupported FourCC gives an IGNORED tag rather than an exception
     */
    private static FlvVideoTag track(TagCursor c, int fourCc, int trackId, int frameType, int packetType,
            int ignoredTracks, boolean lenient) {
        Codec codec = codecOf(fourCc, lenient);
        boolean keyframe = checkFrameType(frameType, packetType);
        FlvPacketKind kind = switch (packetType) {
            case FlvTags.VIDEO_SEQUENCE_START -> FlvPacketKind.CONFIG;
            case FlvTags.VIDEO_CODED_FRAMES, FlvTags.VIDEO_CODED_FRAMES_X -> FlvPacketKind.FRAME;
            case FlvTags.VIDEO_SEQUENCE_END -> FlvPacketKind.END_OF_SEQUENCE;
            case FlvTags.VIDEO_METADATA -> FlvPacketKind.METADATA;
            case FlvTags.VIDEO_MPEG2TS_SEQUENCE_START -> FlvPacketKind.IGNORED;
            default -> throw new MediaFormatException("VideoPacketType " + packetType
                    + " is reserved (0 to 7 defined)");
        };
        if (codec == null) {
            return new FlvVideoTag(null, FlvPacketKind.IGNORED, false, 0, true, trackId, ignoredTracks,
                    "video track " + trackId + ": " + unsupported(fourCc), 0, 0);
        }
        if (kind == FlvPacketKind.IGNORED) {
            return new FlvVideoTag(codec, FlvPacketKind.IGNORED, false, 0, true, trackId, ignoredTracks,
                    "MPEG2TSSequenceStart (Streamkit reads the SequenceStart configuration record)", 0, 0);
        }
        int compositionTime = 0;
        if (packetType == FlvTags.VIDEO_CODED_FRAMES && (codec == Codec.H264 || codec == Codec.H265)) {
            compositionTime = c.si24("CompositionTime");
        }
        return new FlvVideoTag(codec, kind, keyframe, compositionTime, true, trackId, ignoredTracks, null,
                c.offset(), c.remaining());
    }

    private static FlvVideoTag parseLegacy(TagCursor c, int frameType, int codecId) {
        if (frameType == FlvTags.FRAME_TYPE_COMMAND) {
            return ignored(null, false, 0, "video info/command frame (FrameType 5)");
        }
        Codec codec = switch (codecId) {
            case FlvTags.VIDEO_CODEC_AVC -> Codec.H264;
            case FlvTags.VIDEO_CODEC_HEVC_LEGACY -> Codec.H265;
            default -> throw new MediaFormatException("video CodecID " + codecId + legacyCodecName(codecId)
                    + " is not supported; supported: 7 (AVC), 12 (HEVC) and Enhanced RTMP avc1, hvc1, av01, vp09");
        };
        boolean keyframe = checkFrameType(frameType, -1);
        int packetType = c.u8("AVCPacketType");
        if (packetType == FlvTags.AVC_END_OF_SEQUENCE && c.remaining() < 3) {
            // Some encoders end the stream with a bare two-byte end-of-sequence tag; it carries nothing anyway.
            return new FlvVideoTag(codec, FlvPacketKind.END_OF_SEQUENCE, keyframe, 0, false, 0, 0, null,
                    c.offset() + c.remaining(), 0);
        }
        int compositionTime = c.si24("CompositionTime");
        FlvPacketKind kind = switch (packetType) {
            case FlvTags.AVC_SEQUENCE_HEADER -> FlvPacketKind.CONFIG;
            case FlvTags.AVC_NALU -> FlvPacketKind.FRAME;
            case FlvTags.AVC_END_OF_SEQUENCE -> FlvPacketKind.END_OF_SEQUENCE;
            default -> throw new MediaFormatException("AVCPacketType " + packetType + " is not 0, 1 or 2");
        };
        return new FlvVideoTag(codec, kind, keyframe, compositionTime, false, 0, 0, null, c.offset(), c.remaining());
    }

    /** Returns whether the frame type is a key frame; throws for reserved types (ignored for Metadata). */
    private static boolean checkFrameType(int frameType, int packetType) {
        if (packetType == FlvTags.VIDEO_METADATA) {
            return false;
        }
        return switch (frameType) {
            case FlvTags.FRAME_TYPE_KEY, FlvTags.FRAME_TYPE_GENERATED_KEY -> true;
            case FlvTags.FRAME_TYPE_INTER, FlvTags.FRAME_TYPE_DISPOSABLE_INTER -> false;
            default -> throw new MediaFormatException("video FrameType " + frameType + " is reserved (1 to 5 defined)");
        };
    }

    /** Returns the codec of a FourCC; for one Streamkit cannot carry, null when lenient, else throws. */
    private static Codec codecOf(int fourCc, boolean lenient) {
        Codec codec = switch (fourCc) {
            case FlvTags.FOURCC_AVC1 -> Codec.H264;
            case FlvTags.FOURCC_HVC1 -> Codec.H265;
            case FlvTags.FOURCC_AV01 -> Codec.AV1;
            case FlvTags.FOURCC_VP09 -> Codec.VP9;
            default -> null;
        };
        if (codec == null && !lenient) {
            throw new MediaFormatException(unsupported(fourCc));
        }
        return codec;
    }

    private static String unsupported(int fourCc) {
        return "video FourCC " + TagCursor.fourCcName(fourCc) + " is not supported; supported: 'avc1', 'hvc1', 'av01', 'vp09'";
    }

    private static String legacyCodecName(int codecId) {
        return switch (codecId) {
            case 2 -> " (Sorenson H.263)";
            case 3 -> " (Screen video)";
            case 4 -> " (On2 VP6)";
            case 5 -> " (On2 VP6 with alpha)";
            case 6 -> " (Screen video v2)";
            default -> " (reserved)";
        };
    }

    private static String commandName(TagCursor c) {
        return c.remaining() > 0 ? "(VideoCommand " + c.u8("VideoCommand") + ")" : "(no VideoCommand byte)";
    }

    private static FlvVideoTag ignored(Codec codec, boolean enhanced, int ignoredTracks, String reason) {
        return new FlvVideoTag(codec, FlvPacketKind.IGNORED, false, 0, enhanced, 0, ignoredTracks, reason, 0, 0);
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
