/**
 * H.265/HEVC: the sequence parameter set, the hvcC decoder configuration record (ITU-T H.265, ISO/IEC 14496-15 8.3),
 * and {@link io.streamkit.codec.h265.H265AccessUnits}, which tells from the NAL unit headers of an access unit whether
 * a decoder can start there (an IRAP picture).
 *
 * <p>Buffer ownership and error rules are those of {@link io.streamkit.codec}.
 */
package io.streamkit.codec.h265;
