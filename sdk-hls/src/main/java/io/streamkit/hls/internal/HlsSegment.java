package io.streamkit.hls.internal;

import io.netty.buffer.ByteBuf;
import java.time.Instant;

/**
 * One finished MPEG-TS segment, immutable once made. {@code data} holds one reference, owned
 * by the {@link HlsStream} that lists it; readers take retained duplicates.
 *
 * @param sequence its media sequence number
 * @param durationMicros from its first frame to the next segment's first frame
 * @param discontinuity whether EXT-X-DISCONTINUITY precedes it (a publisher returned or a codec changed)
 * @param programDateTime the wall-clock time of its first frame
 * @param uri its URI relative to the playlist, signed once when the segment was made (see {@link HlsSegmentSigner})
 * @param data the TS bytes
 */
record HlsSegment(long sequence, long durationMicros, boolean discontinuity, Instant programDateTime, String uri,
                  ByteBuf data) {
}
