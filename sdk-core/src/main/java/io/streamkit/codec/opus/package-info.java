/**
 * Opus: the RFC 7845 identification header.
 *
 * <p>Buffer ownership and error rules are those of {@link io.streamkit.codec}.
 */
package io.streamkit.codec.opus;
