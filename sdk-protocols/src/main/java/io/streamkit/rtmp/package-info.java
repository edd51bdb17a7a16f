/**
 * RTMP: the protocol every encoder speaks. {@link io.streamkit.rtmp.RtmpConfig} holds the
 * server's settings; the pipeline (handshake, chunk stream, commands, media) lives in the
 * {@code internal} sub-package.
 *
 * @see <a href="https://rtmp.veriskope.com/docs/spec/">RTMP specification 1.0</a>
 */
package io.streamkit.rtmp;
