/**
 * FLV: the tag body headers that RTMP audio and video messages share with FLV files, in
 * their legacy and Enhanced RTMP forms, and the file-level pieces HTTP-FLV and recording
 * use.
 *
 * <p><b>Reading.</b> {@link io.streamkit.format.flv.FlvVideoTag#parse} and
 * {@link io.streamkit.format.flv.FlvAudioTag#parse} read the header of a tag body (an RTMP
 * type 9 or 8 message payload) and say where its payload is; the caller slices the payload
 * out with {@code retainedPayload(body)}, so frame payloads stay slices of the buffer the
 * bytes arrived in. {@link io.streamkit.format.flv.FlvReader} demuxes an FLV byte stream
 * into tags.
 *
 * <p><b>Writing.</b> {@link io.streamkit.format.flv.FlvTags} writes only the few header
 * bytes of a tag body, {@link io.streamkit.format.flv.FlvTagHeader} the 11-byte tag header
 * and back pointer, {@link io.streamkit.format.flv.FlvHeader} the file header; an output
 * composes them with the shared payload into a composite buffer, once per frame for all
 * players of a format.
 *
 * <p><b>Muxing.</b> {@link io.streamkit.format.flv.FlvMuxer} writes a whole stream as an FLV
 * file (header, {@code onMetaData}, sequence headers, a tag per frame on a timeline from 0),
 * copying payloads: for files and recordings. HTTP-FLV players keep their own shared-tag path,
 * which sends slices of the payload rather than copies.
 *
 * <p><b>Decisions.</b>
 * <ul>
 * <li>A codec Streamkit cannot carry, a reserved value or a truncated header throws
 *     {@link io.streamkit.codec.MediaFormatException}; a tag that is harmless to drop
 *     (empty body, video command frame, multitrack packet without track 0,
 *     MPEG2TSSequenceStart, MultichannelConfig) parses as
 *     {@link io.streamkit.format.flv.FlvPacketKind#IGNORED} with a reason.</li>
 * <li>Multitrack (Enhanced RTMP v2): {@code parse} maps track 0, the track the spec
 *     recommends for the default and the one a plain packet implies, and counts the
 *     others; {@code parseTracks} returns every track of a message, each a payload range
 *     of the one body, so a multitrack message costs one record per track and no copy.
 *     Both check the whole track list (at most
 *     {@value io.streamkit.format.flv.FlvTags#MAX_TRACKS_PER_MESSAGE} tracks, sizes within
 *     the body, no id twice) and reject a message that breaks it. A track whose codec
 *     Streamkit cannot carry is IGNORED by {@code parseTracks} rather than failing the
 *     message, so one exotic variant does not cost a publisher its other tracks.</li>
 * <li>Multitrack output: tracks 1 and up are written one track per message
 *     (AvMultitrackType OneTrack), as FFmpeg 8 writes them, so each message's payload
 *     stays the shared frame buffer; track 0 keeps the plain forms every player reads.</li>
 * <li>Legacy or enhanced output: legacy for H.264, AAC and MP3 (every player reads it),
 *     H.265 legacy only through CodecID 12 on request, enhanced for the rest.</li>
 * </ul>
 *
 * <p><b>Buffers.</b> Parsers borrow their buffer (absolute reads, reader index untouched,
 * no retain or release); writers append at the writer index of a buffer the caller owns.
 * Results are immutable; {@code FlvTagHeader} flyweights and {@code FlvReader} are not
 * thread-safe.
 *
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2</a>
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV v10.1, Annex E</a>
 */
package io.streamkit.format.flv;
