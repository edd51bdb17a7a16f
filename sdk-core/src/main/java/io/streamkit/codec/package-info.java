/**
 * Codec parameters in codec-neutral form, and the bit-level tools the codec parsers share.
 *
 * <p>Parsers in this package and its sub-packages ({@code h264}, {@code h265},
 * {@code av1}, {@code aac}, {@code opus}) follow one contract:
 * <ul>
 * <li>{@code static parse(ByteBuf)} borrows the buffer: it reads the readable bytes by
 *     absolute index, never moves the reader index, never releases or retains. Values it
 *     keeps are copied to heap arrays, so the buffer may be released right after.</li>
 * <li>{@code writeTo(ByteBuf)} appends at the writer index of a buffer the caller owns.</li>
 * <li>Malformed input throws {@link io.streamkit.codec.MediaFormatException} naming the
 *     value and the limit; every loop is bounded by a documented limit or by the input
 *     length, so hostile input costs one rejected track. The exception: predicates over
 *     access units on the frame path ({@code H264AccessUnits}, {@code H265AccessUnits})
 *     answer {@code false} for a malformed one, allocate nothing and never throw on input.</li>
 * <li>Results are immutable and safe to share between threads; readers and writers are
 *     not.</li>
 * <li>No parser knows about a connection, a channel or an allocator.</li>
 * </ul>
 */
package io.streamkit.codec;
