/**
 * RTMP's pipelines, server and client: handshake, chunk stream decoding and encoding,
 * commands and media. No compatibility promise; not exported.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>A message that fits in one chunk is a retained slice of the read buffer, not a copy; a
 *       message over several chunks is gathered into one pooled buffer of its length as its
 *       chunks arrive (the read into a pooled buffer that ARCHITECTURE.md rule 1 allows), so
 *       payloads downstream are contiguous.</li>
 *   <li>Set Chunk Size and Abort are acted on inside the decoder, because they change how the
 *       very next bytes are read; they are also passed on so the handler can log them.</li>
 *   <li>A type-3 continuation chunk after an extended timestamp may or may not repeat it
 *       (the spec says repeat; old encoders do not): the decoder consumes the four bytes
 *       only when they equal the stored extended timestamp.</li>
 *   <li>Messages out are written with a type-0 header and type-3 continuations only, so
 *       their chunked bytes depend on nothing but the message and the chunk size, and can be
 *       built once and shared by every player.</li>
 *   <li>The client reuses the server's chunk decoder and encoder, {@code RtmpIngest}
 *       for pulls (payloads stay slices) and {@code RtmpMediaWriter}, the
 *       server's play encoding, for pushes, so a pushed frame is the same shared bytes a player gets.</li>
 *   <li>The client handshake is the simple form (C1 version zero), which both this server and
 *       nginx-rtmp accept; the digest form is not sent.</li>
 *   <li>A pusher subscribes before it connects: it connects only while the local stream is live,
 *       and holds the GOP cache (bounded) until {@code NetStream.Publish.Start}, so the remote
 *       stream starts at a keyframe at once. A puller does not reconnect: a dropped pull ends its
 *       local publisher, and re-pulling is a policy's decision.</li>
 *   <li>The keyframe flag of an H.264 or H.265 frame, published or pulled, is what its
 *       bitstream says ({@code RtmpIngest}: an IDR slice, an IRAP picture, found by walking
 *       the NAL unit headers), not the FLV frame type: encoders flag recovery points and
 *       open-GOP I frames as keyframes (x264 with intra refresh or open GOP, behind GStreamer's
 *       x264enc or ffmpeg), and HLS segments and the GOP cache that start on one start players
 *       on a picture they cannot decode. It also makes an unflagged IDR a keyframe. Other
 *       codecs keep the FLV flag.</li>
 *   <li>Public {@code RtmpPuller}/{@code RtmpPusher} get the server's event loops through
 *       {@link io.streamkit.rtmp.internal.RtmpClientHost}, which the running server implements,
 *       so no Netty type appears in their signatures.</li>
 * </ul>
 */
package io.streamkit.rtmp.internal;
