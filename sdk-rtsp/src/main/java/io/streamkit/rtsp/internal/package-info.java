/**
 * RTSP's server and client: the connection handler and its session state machine, the demuxer of
 * interleaved frames, the players and their shared RTP packets, the publishers' ingest, the UDP
 * ports and their routes by source, RTP over UDP put back in order; the client's pulls (over TCP,
 * or UDP through a port pair per track) and pushes. No compatibility promise: exported to
 * {@code io.streamkit.protocols} only.
 *
 * <p>Threading: everything of a connection runs on its event loop; the UDP ports' writes are
 * handed to their loops, and what arrives on the server's pair is handed to the loop of the
 * session it is routed to; a pull's UDP ports live on its connection's loop. Buffers: an interleaved frame is owned by whoever reads it; a player
 * borrows frames as every subscriber does.
 */
package io.streamkit.rtsp.internal;
