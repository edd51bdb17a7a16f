/**
 * RTP (RFC 3550) as pure codecs over {@code ByteBuf}, for RTSP and later WebRTC: the fixed
 * header ({@link io.streamkit.format.rtp.RtpPacket}), H.264's payload format (RFC 6184,
 * packetization mode 1: single NAL units, STAP-A, FU-A), H.265's (RFC 7798, without DONL:
 * single NAL units, aggregation packets, fragmentation units) and AAC's (RFC 3640, AAC-hbr) in
 * both directions; AAC's MP4A-LATM (RFC 6416, configuration out of band) read
 * ({@link io.streamkit.format.rtp.LatmRtpDepacketizer}). Around them, RTCP's reports ({@link io.streamkit.format.rtp.RtcpPacket}), 64-bit
 * sequence numbers and timestamps ({@link io.streamkit.format.rtp.RtpUnwrapper}) and reordering
 * over UDP ({@link io.streamkit.format.rtp.RtpReorderBuffer}). No channel types:
 * the protocol modules feed packets in and take access units out.
 */
package io.streamkit.format.rtp;
