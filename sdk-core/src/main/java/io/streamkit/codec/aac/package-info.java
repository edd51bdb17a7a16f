/**
 * AAC: the MPEG-4 AudioSpecificConfig, ADTS headers and LATM's StreamMuxConfig (ISO/IEC 14496-3).
 *
 * <p>Buffer ownership and error rules are those of {@link io.streamkit.codec}.
 */
package io.streamkit.codec.aac;
