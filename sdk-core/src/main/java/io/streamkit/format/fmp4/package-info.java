/**
 * Fragmented MP4 (ISO/IEC 14496-12): the writer recordings, HLS-fMP4 and DASH are made with.
 *
 * <p>{@link io.streamkit.format.fmp4.Fmp4Writer} writes an initialization segment and then one
 * fragment at a time ({@code moof} + {@code mdat}), payloads as the engine carries them
 * (length-prefixed NAL units, raw AAC and Opus frames: the sample formats of 14496-15 and
 * 14496-3 need no rewriting). A file of an init segment and whole fragments is playable at
 * every fragment boundary, which is what makes a recording survive a crash.
 *
 * <p><b>Decisions.</b>
 * <ul>
 * <li>One {@code traf} per track per fragment, each track's samples together in the
 *     {@code mdat}, offsets relative to the {@code moof} ({@code default-base-is-moof}), as
 *     CMAF and browsers' MSE expect.</li>
 * <li>{@code trun} version 1 with signed composition offsets, every sample's duration, size
 *     and flags written out: a few bytes per sample buy no defaults to get wrong.</li>
 * <li>Brands {@code iso5}, {@code iso6}, {@code mp41}: base-media-decode-time and
 *     default-base-is-moof need iso5.</li>
 * </ul>
 */
package io.streamkit.format.fmp4;
