/**
 * H.265/HEVC: the sequence parameter set and the hvcC decoder configuration record (ITU-T H.265, ISO/IEC 14496-15 8.3).
 *
 * <p>Buffer ownership and error rules are those of {@link io.streamkit.codec}.
 */
package io.streamkit.codec.h265;
