package io.streamkit.format.flv;

import io.streamkit.codec.MediaFormatException;

/**
 * What Enhanced RTMP audio and video headers share after their first byte: ModEx
 * prefixes and the multitrack track list (Enhanced RTMP v2, "Enhanced Audio",
 * "Enhanced Video" and "Multitrack Streaming via Enhanced RTMP").
 *
 * <p>Multitrack policy: only track 0 is mapped. The spec recommends track 0 for the
 * default (highest priority) track, and a packet without the multitrack wrapper is track
 * 0 too, so a publisher that sends its main track plainly and extra tracks wrapped is
 * mapped consistently; choosing "the first track of the packet" instead could switch
 * tracks from one packet to the next.
 */
final class ExHeader {
    static final int MULTITRACK_ONE_TRACK = 0;
    static final int MULTITRACK_MANY_TRACKS = 1;
    static final int MULTITRACK_MANY_TRACKS_MANY_CODECS = 2;

    private ExHeader() {
    }

    /**
     * The track a packet maps: its FourCC and packet type, with the cursor limited to its
     * data; or, when {@code reason} is set, why the packet maps nothing.
     */
    record Selection(int fourCc, int packetType, int ignoredTracks, String reason) {
        static Selection ignored(int ignoredTracks, String reason) {
            return new Selection(0, -1, ignoredTracks, reason);
        }
    }

    /**
     * Skips ModEx prefixes (VideoPacketType/AudioPacketType 7): a size (UI8 + 1, or UI16 + 1
     * when the UI8 is 255), that many bytes of data, then a byte of ModExType (high nibble,
     * ignored: the only type defined, TimestampOffsetNano, refines the millisecond
     * timestamp below our resolution) and the next packet type (low nibble).
     *
     * <p>Each round consumes at least two bytes, so the loop is bounded by the body.
     *
     * @return the first packet type that is not ModEx
     */
    static int skipModEx(TagCursor c, int packetType) {
        while (packetType == FlvTags.PACKET_TYPE_MOD_EX) {
            int size = c.u8("ModEx data size") + 1;
            if (size == 256) {
                size = c.u16("ModEx extended data size") + 1;
            }
            c.skip(size, "ModEx data");
            packetType = c.u8("ModEx type") & 0x0f;
        }
        return packetType;
    }

    /**
     * Reads the FourCC, or the multitrack wrapper and its track list, and selects track 0.
     *
     * @param c positioned after the packet type (and any ModEx prefix)
     * @param packetType the packet type read so far
     * @param multitrack the value of Multitrack in this media's packet type enum (video 6, audio 5)
     * @param media "video" or "audio", for messages
     */
    static Selection select(TagCursor c, int packetType, int multitrack, String media) {
        if (packetType != multitrack) {
            return new Selection(c.fourCc(media + " FourCC"), packetType, 0, null);
        }
        int b = c.u8("AvMultitrackType");
        int type = b >>> 4;
        int inner = b & 0x0f;
        if (inner == multitrack || inner == FlvTags.PACKET_TYPE_MOD_EX) {
            throw new MediaFormatException(media + " multitrack packet type " + inner
                    + " is Multitrack or ModEx, which a multitrack packet must not nest");
        }
        if (type > MULTITRACK_MANY_TRACKS_MANY_CODECS) {
            throw new MediaFormatException(media + " AvMultitrackType " + type + " is reserved (0 to 2 defined)");
        }
        int shared = type == MULTITRACK_MANY_TRACKS_MANY_CODECS ? 0 : c.fourCc(media + " multitrack FourCC");
        if (type == MULTITRACK_ONE_TRACK) {
            int id = c.u8(media + " track id");
            if (id != 0) {
                return Selection.ignored(1, media + " track " + id + " (only track 0 is mapped)");
            }
            return new Selection(shared, inner, 0, null);
        }
        int start = -1;
        int length = 0;
        int fourCc = 0;
        int tracks = 0;
        while (c.remaining() > 0) {
            int trackFourCc = type == MULTITRACK_MANY_TRACKS_MANY_CODECS ? c.fourCc(media + " track FourCC") : shared;
            int id = c.u8(media + " track id");
            int size = c.u24(media + " track size");
            int offset = c.offset();
            c.skip(size, media + " track " + id + " data");
            tracks++;
            if (id == 0 && start < 0) {
                start = offset;
                length = size;
                fourCc = trackFourCc;
            }
        }
        if (start < 0) {
            return Selection.ignored(tracks, media + " multitrack packet of " + tracks
                    + " track(s) without track 0 (only track 0 is mapped)");
        }
        c.limit(start, length);
        return new Selection(fourCc, inner, tracks - 1, null);
    }
}
