/**
 * RTP (RFC 3550) as pure codecs over {@code ByteBuf}, for RTSP and later WebRTC: the fixed
 * header ({@link io.streamkit.format.rtp.RtpPacket}), H.264's payload format (RFC 6184,
 * packetization mode 1: single NAL units, STAP-A, FU-A) and AAC's (RFC 3640, AAC-hbr) in both
 * directions. No channel types:
 * the protocol modules feed packets in and take access units out.
 */
package io.streamkit.format.rtp;
