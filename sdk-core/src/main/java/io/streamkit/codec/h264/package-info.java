/**
 * H.264/AVC: the sequence parameter set, the avcC decoder configuration record (ITU-T H.264, ISO/IEC 14496-15 5.3),
 * and {@link io.streamkit.codec.h264.H264AccessUnits}, which tells from the NAL unit headers of an access unit whether
 * a decoder can start there (an IDR).
 *
 * <p>Buffer ownership and error rules are those of {@link io.streamkit.codec}.
 */
package io.streamkit.codec.h264;
