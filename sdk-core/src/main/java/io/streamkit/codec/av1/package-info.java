/**
 * AV1: the av1C codec configuration record and the sequence header OBU (AV1-ISOBMFF, AV1 specification 5.5).
 *
 * <p>Buffer ownership and error rules are those of {@link io.streamkit.codec}.
 */
package io.streamkit.codec.av1;
