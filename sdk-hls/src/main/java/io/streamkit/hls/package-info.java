/**
 * HLS (RFC 8216): {@link io.streamkit.hls.HlsConfig} and, in the {@code internal}
 * sub-package, one segmenter per stream (not per player) muxing MPEG-TS segments into
 * memory, the live playlists, and their serving on the HTTP port.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216">RFC 8216, HTTP Live Streaming</a>
 */
package io.streamkit.hls;
