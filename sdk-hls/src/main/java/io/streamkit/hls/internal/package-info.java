/**
 * HLS's segmenters, renditions and their serving on the HTTP port. No compatibility promise;
 * not exported.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>One segmenter per stream, not per player, muxing into memory; a segment is cut at the
 *       first video keyframe at or past the target duration, so every segment starts where a
 *       decoder can (ingest sets the keyframe flag from the bitstream for H.264/H.265).</li>
 *   <li>Each segment's URI is signed once, when the segment is made, with an expiry of its
 *       creation plus {@code sessionTtl} and an HMAC over the stream's path, the sequence
 *       number and the expiry. Playlists render the stored URIs, so a segment's URI is the same
 *       in every playlist that lists it and for every player (RFC 8216 6.2.1): a CDN caches one
 *       copy per segment. An expiry computed per playlist request (rounded to the minute, as
 *       before) changed every listed URI once a minute. {@code HlsConfig} refuses a
 *       {@code sessionTtl} shorter than a segment can stay listed or fetchable.</li>
 *   <li>A segment's duration comes from the stream's timeline, which the engine keeps rising
 *       (it repairs publishers' stuck and jumping clocks); a cut at the target duration needs
 *       the timeline to have advanced that far, so a standing timeline grows one segment
 *       rather than cutting empty ones. A forced cut whose timeline span is zero takes its
 *       wall-clock span, at least a millisecond: {@code EXTINF:0} is never written.</li>
 *   <li>A playlist request passes the play check; segment requests are checked by signature
 *       only (403 with the reason when it is missing, does not match or has expired).</li>
 * </ul>
 */
package io.streamkit.hls.internal;
