/**
 * RTMP: the protocol every encoder speaks. {@link io.streamkit.rtmp.RtmpConfig} holds the
 * server's settings; {@link io.streamkit.rtmp.RtmpClientConfig} those of the client, which
 * relays streams from and to other servers ({@code MediaServer.pull} and {@code push}). The pipelines (handshake, chunk stream, commands,
 * media) live in the {@code internal} sub-package.
 *
 * @see <a href="https://rtmp.veriskope.com/docs/spec/">RTMP specification 1.0</a>
 */
package io.streamkit.rtmp;
