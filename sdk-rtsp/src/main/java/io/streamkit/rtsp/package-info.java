/**
 * RTSP's options ({@link io.streamkit.rtsp.RtspConfig}) and its one exception type. The server
 * itself is assembled by {@code MediaServer.builder().rtsp(8554)}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2326">RFC 2326, RTSP 1.0</a>
 */
package io.streamkit.rtsp;
