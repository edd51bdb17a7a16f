/**
 * H.264/AVC: the sequence parameter set and the avcC decoder configuration record (ITU-T H.264, ISO/IEC 14496-15 5.3).
 *
 * <p>Buffer ownership and error rules are those of {@link io.streamkit.codec}.
 */
package io.streamkit.codec.h264;
