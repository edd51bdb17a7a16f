package io.streamkit.rtmp.internal;

import java.util.Arrays;

/**
 * What the peer of one connection last read on each chunk stream this side sends media on:
 * the message stream id and the timestamp of the last message there. A message that follows
 * one of the same message stream on the same chunk stream can then go with a type-1 header,
 * whose timestamp is a delta (RTMP spec 5.3.1.2.2): the form every player in step shares,
 * whenever it joined. Anything else goes with a type-0 header and its absolute timestamp.
 *
 * <p>One per connection, shared by every play and publish on it, because chunk streams are the
 * connection's: two plays on one connection that send on the same chunk stream fall back to
 * type-0 headers rather than inherit each other's message stream. Confined to the connection's
 * event loop.
 */
final class RtmpSentHeaders {
    /** Chunk stream ids below this are tracked in arrays; media uses a handful of small ones. */
    static final int MAX_TRACKED_CSID = 64;

    private final int[] streamIds = new int[MAX_TRACKED_CSID];
    private final long[] timestamps = new long[MAX_TRACKED_CSID];

    RtmpSentHeaders() {
        Arrays.fill(streamIds, -1);
    }

    /**
     * Returns the timestamp of the last message sent on a chunk stream, if it was on the given
     * message stream.
     *
     * @param csid the chunk stream
     * @param streamId the message stream the next message is on
     * @return the last timestamp in milliseconds (64 bits, before the wire's 32-bit cut), or
     *     {@code -1} when the next message needs a type-0 header
     */
    long last(int csid, int streamId) {
        if (csid >= MAX_TRACKED_CSID || streamIds[csid] != streamId) {
            return -1;
        }
        return timestamps[csid];
    }

    /**
     * Records a message sent on a chunk stream, with either header type.
     *
     * @param csid the chunk stream
     * @param streamId its message stream
     * @param timestamp its timestamp in milliseconds, zero or more
     */
    void sent(int csid, int streamId, long timestamp) {
        if (csid < MAX_TRACKED_CSID) {
            streamIds[csid] = streamId;
            timestamps[csid] = timestamp;
        }
    }
}
