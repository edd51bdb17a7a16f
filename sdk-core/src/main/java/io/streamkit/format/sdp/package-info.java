/**
 * SDP (RFC 8866) as RTSP uses it: the session description a camera or an encoder sends in
 * {@code DESCRIBE}'s answer or an {@code ANNOUNCE}, read by
 * {@link io.streamkit.format.sdp.SessionDescription#parse(String)} and written by its builder,
 * and the mapping between Streamkit's track formats and the RTP payload formats of the media
 * descriptions ({@link io.streamkit.format.sdp.RtpFormats}: H.264, RFC 6184; H.265, RFC 7798;
 * AAC, RFC 3640, and read from RFC 6416's MP4A-LATM; Opus, RFC 7587; MP3, RFC 3551's static
 * payload type 14; G.711 A-law and µ-law, RFC 3551's PCMA and PCMU, static payload types 8 and 0).
 *
 * <p>Pure code over {@code String}s: no channel types, no I/O. Every value is immutable and
 * safe to share between threads. Text from a peer is untrusted: parsing is bounded by
 * documented limits and fails with {@link io.streamkit.codec.MediaFormatException} only; the
 * codec mapping never throws on a peer's values, it answers that it carries nothing.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8866">RFC 8866, SDP</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7826#appendix-D">RFC 7826 appendix D, SDP in RTSP</a>
 */
package io.streamkit.format.sdp;
