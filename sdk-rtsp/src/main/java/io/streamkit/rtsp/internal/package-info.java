/**
 * RTSP's server: the connection handler and its session state machine, the demuxer of
 * interleaved frames, the players and their shared RTP packets, the publishers' ingest, and the
 * UDP ports. No compatibility promise: exported to {@code io.streamkit.protocols} only.
 *
 * <p>Threading: everything of a connection runs on its event loop; the UDP ports' writes are
 * handed to their loops. Buffers: an interleaved frame is owned by whoever reads it; a player
 * borrows frames as every subscriber does.
 */
package io.streamkit.rtsp.internal;
