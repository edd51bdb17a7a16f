package io.streamkit.format.flv;

import io.streamkit.codec.MediaFormatException;

/**
 * What Enhanced RTMP audio and video headers share after their first byte: ModEx
 * prefixes, the FourCC and the multitrack track list (Enhanced RTMP v2, "Enhanced Audio",
 * "Enhanced Video" and "Multitrack Streaming via Enhanced RTMP"), read as a walk over the
 * tracks of one message.
 *
 * <p>One instance reads one message and is then dropped: it keeps the walk's state (where
 * the next track starts, which ids were seen, as a 256-bit set in four longs) in fields.
 * {@link #nextTrack()} limits the shared {@link TagCursor} to the current track's data,
 * where the caller reads the codec-specific header (a composition time) and takes the
 * payload's offset and length.
 *
 * <p>Allocation: field names for messages are built once per media ({@link Media}) and
 * error messages only when thrown, off the hot methods, which stay small enough for C2 to
 * inline; escape analysis then keeps this header and its cursor off the heap, so a hot
 * {@code parseTracks} allocates its records only (measured on JDK 17: 248 bytes for five
 * records from three calls, down from 1,432 with eager message strings).
 *
 * <p>Track list rules, checked for every track of the message whatever the caller keeps:
 * <ul>
 * <li>the inner packet type is neither Multitrack nor ModEx, and AvMultitrackType is 0 to 2;</li>
 * <li>a ManyTracks or ManyTracksManyCodecs list has at least one track and at most
 *     {@value FlvTags#MAX_TRACKS_PER_MESSAGE};</li>
 * <li>each sizeOfTrack fits in what is left of the body (the cursor checks it);</li>
 * <li>no track id appears twice in one message: the spec sends one packet type for all
 *     tracks of a message, so a repeated id would be two frames of one track at one
 *     timestamp, which no track can play.</li>
 * </ul>
 * Each track entry consumes at least four bytes (id and size) and the count is capped, so
 * the walk is bounded twice over.
 */
final class ExHeader {
    static final int MULTITRACK_ONE_TRACK = 0;
    static final int MULTITRACK_MANY_TRACKS = 1;
    static final int MULTITRACK_MANY_TRACKS_MANY_CODECS = 2;

    /** {@link #multitrackType()} of a message without the multitrack wrapper. */
    static final int NOT_MULTITRACK = -1;

    /**
     * The media of a message: its Multitrack packet type and the field names its error
     * messages use, built once so that a good message costs no string.
     */
    enum Media {
        VIDEO("video", FlvTags.VIDEO_MULTITRACK),
        AUDIO("audio", FlvTags.AUDIO_MULTITRACK);

        final String label;
        final int multitrack;
        final String fourCc;
        final String multitrackFourCc;
        final String trackFourCc;
        final String trackId;
        final String trackSize;

        Media(String label, int multitrack) {
            this.label = label;
            this.multitrack = multitrack;
            this.fourCc = label + " FourCC";
            this.multitrackFourCc = label + " multitrack FourCC";
            this.trackFourCc = label + " track FourCC";
            this.trackId = label + " track id";
            this.trackSize = label + " sizeOfTrack";
        }
    }

    private final TagCursor c;
    private final Media media;
    private final int packetType;
    private final int multitrackType;
    private final int sharedFourCc;
    private final int end;
    private int next;
    private int tracks;
    private long seen0;
    private long seen1;
    private long seen2;
    private long seen3;
    private int trackId;
    private int fourCc;
    private int dataOffset;
    private int dataLength;

    private ExHeader(TagCursor c, Media media, int packetType, int multitrackType, int sharedFourCc) {
        this.c = c;
        this.media = media;
        this.packetType = packetType;
        this.multitrackType = multitrackType;
        this.sharedFourCc = sharedFourCc;
        this.next = c.offset();
        this.end = c.offset() + c.remaining();
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
     * Reads the FourCC, or the multitrack wrapper (AvMultitrackType, the inner packet type
     * and, unless ManyTracksManyCodecs, the FourCC shared by all tracks).
     *
     * @param c positioned after the packet type and any ModEx prefix
     * @param packetType the packet type read so far
     * @param media the message's media
     * @return the header, positioned before its first track
     * @throws MediaFormatException when the wrapper nests Multitrack or ModEx, uses a reserved
     *     AvMultitrackType, or the body ends early
     */
    static ExHeader read(TagCursor c, int packetType, Media media) {
        int multitrack = media.multitrack;
        if (packetType != multitrack) {
            int fourCc = c.fourCc(media.fourCc);
            return new ExHeader(c, media, packetType, NOT_MULTITRACK, fourCc);
        }
        int b = c.u8("AvMultitrackType");
        int type = b >>> 4;
        int inner = b & 0x0f;
        if (inner == multitrack || inner == FlvTags.PACKET_TYPE_MOD_EX) {
            throw new MediaFormatException(media.label + " multitrack packet type " + inner
                    + " is Multitrack or ModEx, which a multitrack packet must not nest");
        }
        if (type > MULTITRACK_MANY_TRACKS_MANY_CODECS) {
            throw new MediaFormatException(media.label + " AvMultitrackType " + type + " is reserved (0 to 2 defined)");
        }
        int shared = type == MULTITRACK_MANY_TRACKS_MANY_CODECS ? 0 : c.fourCc(media.multitrackFourCc);
        return new ExHeader(c, media, inner, type, shared);
    }

    /** The packet type every track of the message carries (the inner one of a multitrack packet). */
    int packetType() {
        return packetType;
    }

    /** AvMultitrackType, or {@link #NOT_MULTITRACK}. */
    int multitrackType() {
        return multitrackType;
    }

    boolean multitrack() {
        return multitrackType != NOT_MULTITRACK;
    }

    /** The current track's id: 0 for a message without the wrapper. */
    int trackId() {
        return trackId;
    }

    /** The current track's FourCC, as a big-endian int. */
    int fourCc() {
        return fourCc;
    }

    /** Tracks walked so far. */
    int tracks() {
        return tracks;
    }

    /**
     * Moves to the next track and limits the cursor to its data (after its id and size).
     *
     * @return {@code false} when the message has no more tracks
     * @throws MediaFormatException when the list breaks a rule of the class comment
     */
    boolean nextTrack() {
        return multitrackType == NOT_MULTITRACK || multitrackType == MULTITRACK_ONE_TRACK
                ? nextOnlyTrack() : nextListedTrack();
    }

    /** A message without the wrapper, or OneTrack: one track, its data the rest of the body. */
    private boolean nextOnlyTrack() {
        if (tracks > 0) {
            return false;
        }
        c.limit(next, end - next);
        trackId = multitrackType == NOT_MULTITRACK ? 0 : c.u8(media.trackId);
        fourCc = sharedFourCc;
        dataOffset = c.offset();
        dataLength = c.remaining();
        tracks = 1;
        return true;
    }

    /** ManyTracks or ManyTracksManyCodecs: [FourCC] id, sizeOfTrack, data; until the body ends. */
    private boolean nextListedTrack() {
        if (next == end) {
            if (tracks == 0) {
                throw noTracks(media, multitrackType);
            }
            return false;
        }
        if (tracks == FlvTags.MAX_TRACKS_PER_MESSAGE) {
            throw tooManyTracks(media, end - next);
        }
        c.limit(next, end - next);
        fourCc = multitrackType == MULTITRACK_MANY_TRACKS_MANY_CODECS ? c.fourCc(media.trackFourCc) : sharedFourCc;
        int id = c.u8(media.trackId);
        int size = c.u24(media.trackSize);
        if (size > c.remaining()) {
            throw sizePastEnd(media, id, size, c.offset(), c.remaining());
        }
        markSeen(id);
        trackId = id;
        dataOffset = c.offset();
        dataLength = size;
        next = dataOffset + size;
        tracks++;
        c.limit(dataOffset, dataLength);
        return true;
    }

    // The messages are built off the hot path, which stays small enough for the JIT to inline
    // and so to keep the header and its cursor off the heap.

    private static MediaFormatException noTracks(Media media, int multitrackType) {
        return new MediaFormatException(media.label + " multitrack packet (AvMultitrackType " + multitrackType
                + ") lists no tracks");
    }

    private static MediaFormatException tooManyTracks(Media media, int bytesLeft) {
        return new MediaFormatException(media.label + " multitrack packet has more than "
                + FlvTags.MAX_TRACKS_PER_MESSAGE + " tracks (MAX_TRACKS_PER_MESSAGE); " + bytesLeft
                + " bytes left after track " + FlvTags.MAX_TRACKS_PER_MESSAGE);
    }

    private static MediaFormatException sizePastEnd(Media media, int id, int size, int offset, int left) {
        return new MediaFormatException(media.label + " tag truncated: " + media.label + " track " + id
                + " data (sizeOfTrack " + size + ") needs " + size + " bytes at offset " + offset + ", " + left
                + " left");
    }

    private static MediaFormatException twice(Media media, int id) {
        return new MediaFormatException(media.label + " multitrack packet lists track " + id
                + " twice; one message carries one packet per track");
    }

    /** Offset of the current track's data from the start of the body. */
    int dataOffset() {
        return dataOffset;
    }

    /** Length of the current track's data. */
    int dataLength() {
        return dataLength;
    }

    private void markSeen(int id) {
        long bit = 1L << (id & 63);
        int word = id >>> 6;
        long seen = word == 0 ? seen0 : word == 1 ? seen1 : word == 2 ? seen2 : seen3;
        if ((seen & bit) != 0) {
            throw twice(media, id);
        }
        if (word == 0) {
            seen0 |= bit;
        } else if (word == 1) {
            seen1 |= bit;
        } else if (word == 2) {
            seen2 |= bit;
        } else {
            seen3 |= bit;
        }
    }
}
