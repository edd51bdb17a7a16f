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
 *   <li>Control and command messages go out with a type-0 header and type-3 continuations.
 *       Media goes with a type-1 header, whose timestamp is a delta, whenever the chunk stream's
 *       previous message was the same play's earlier frame, else with a type-0 header: each
 *       player has its own timeline (its first frame at 0), and the delta is the same for every
 *       player in step whenever it joined, so a frame's chunked bytes are still built once per
 *       loop and shared ({@code SharedMediaMessages}). Each play owns a block of chunk streams
 *       the connection hands out (12; a play past them sends type-0 headers only) and frees
 *       once its player has ended, so no two plays of a connection interleave on one chunk
 *       stream. ffmpeg, librtmp, GStreamer's rtmp2 and nginx-rtmp's own relays read type-1
 *       deltas, and nginx-rtmp sends media the same way.</li>
 *   <li>The client reuses the server's chunk decoder and encoder, {@code RtmpIngest}
 *       for pulls (payloads stay slices) and {@code RtmpMediaWriter}, the
 *       server's play encoding, for pushes, so a pushed frame is the same shared bytes a player gets.</li>
 *   <li>The client handshake is the simple form (C1 version zero), which both this server and
 *       nginx-rtmp accept; the digest form is not sent.</li>
 *   <li>A pusher subscribes before it connects: it connects only while the local stream is live,
 *       and holds the GOP cache (bounded) until {@code NetStream.Publish.Start}, so the remote
 *       stream starts at a keyframe at once. A puller does not reconnect: a dropped pull ends its
 *       local publisher, and re-pulling is a policy's decision.</li>
 *   <li>A {@code connect} without an app (SRS's test client sends only the tcUrl), or with one
 *       that is not a string or is empty, takes the app from the tcUrl's path, as SRS does; with
 *       neither it is answered {@code _error} NetConnection.Connect.Rejected naming the reason.</li>
 *   <li>{@code getStreamLength} is answered {@code _result(null, 0)}: the number ffmpeg reads
 *       (anything else makes every libavformat player warn "Unexpected reply"), and a live
 *       stream's length. {@code releaseStream}, {@code FCPublish}, {@code FCUnpublish} and
 *       {@code _checkbw} are answered {@code _result(null, undefined)} as SRS does; no client
 *       reads those answers beyond their transaction id.</li>
 *   <li>Play starts with the onStatus commands Play.Reset and Play.Start and the
 *       {@code |RtmpSampleAccess} data message, and no {@code onStatus} data message
 *       (NetStream.Data.Start): libavformat's FLV demuxer skips {@code |RtmpSampleAccess} but
 *       turns any script name it does not know into an extra data stream.</li>
 *   <li>Aggregate messages (type 22) are split into their FLV tags by {@code RtmpAggregate},
 *       checked whole before any is used, and each handled as if it had come alone; payloads
 *       stay slices of the aggregate's buffer.</li>
 *   <li>The keyframe flag of an H.264 or H.265 frame, published or pulled, is what its
 *       bitstream says ({@code RtmpIngest}: an IDR slice, an IRAP picture, found by walking
 *       the NAL unit headers), not the FLV frame type: encoders flag recovery points and
 *       open-GOP I frames as keyframes (x264 with intra refresh or open GOP, behind GStreamer's
 *       x264enc or ffmpeg), and HLS segments and the GOP cache that start on one start players
 *       on a picture they cannot decode. It also makes an unflagged IDR a keyframe. Other
 *       codecs keep the FLV flag.</li>
 *   <li>{@code RtmpPuller}/{@code RtmpPusher} get the server's event loops through
 *       {@link io.streamkit.rtmp.internal.RtmpClientHost}, which the running server implements;
 *       applications see them as the core's {@code Puller} and {@code Pusher} only, so the
 *       public {@code io.streamkit.rtmp} package depends on nothing here.</li>
 * </ul>
 */
package io.streamkit.rtmp.internal;
