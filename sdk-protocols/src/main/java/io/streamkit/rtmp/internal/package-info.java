/**
 * RTMP's pipeline: handshake, chunk stream decoding and encoding, and (as they land)
 * command and media handling. No compatibility promise; not exported.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>A message that fits in one chunk is a retained slice of the read buffer, not a copy; a
 *       message over several chunks is gathered into one pooled buffer of its length as its
 *       chunks arrive (the read into a pooled buffer that ARCHITECTURE.md rule 1 allows), so
 *       payloads downstream are contiguous.</li>
 *   <li>Set Chunk Size and Abort are acted on inside the decoder, because they change how the
 *       very next bytes are read; they are also passed on so the handler can log them.</li>
 *   <li>A type-3 continuation chunk after an extended timestamp may or may not repeat it
 *       (the spec says repeat; old encoders do not): the decoder consumes the four bytes
 *       only when they equal the stored extended timestamp.</li>
 *   <li>Messages out are written with a type-0 header and type-3 continuations only, so
 *       their chunked bytes depend on nothing but the message and the chunk size, and can be
 *       built once and shared by every player.</li>
 * </ul>
 */
package io.streamkit.rtmp.internal;
