package io.streamkit.bench.load;

/**
 * What one player measured. Written only on the player's event loop; the reporter reads the
 * fields racily for its periodic lines (a stale value is fine there) and exactly after the
 * event loops have shut down for the final line and the CSV.
 *
 * <p>Lag: each media message gives an offset {@code wall - media} (wall-clock time since the
 * player's first frame minus media time since that frame). The lowest offset seen so far is
 * the player's best alignment with the live edge; lag is how far the current offset lies
 * above it. Without a burst at start that is exactly "wall-clock time since the first frame
 * minus media time since the first frame"; with the server's GOP cache the player first
 * receives up to a GOP faster than real time, and taking the lowest offset keeps that burst
 * from hiding later lag.
 *
 * <p>Latency (with {@code --publish}): video frames go on to the player's {@link SendTimes.Cursor},
 * set in the channel initializer on the player's event loop before any message arrives.
 */
final class PlayerStats {
    final int id;
    final String protocol;
    long startNanos;
    long connectedNanos;
    long firstKeyframeNanos;
    long firstMediaNanos;
    long firstMediaMillis;
    long lastMediaMillis;
    long bestOffsetNanos = Long.MAX_VALUE;
    long lagNanos;
    long maxLagNanos;
    long bytes;
    long messages;
    boolean failed;
    boolean closed;
    String error = "";
    /** RTSP players only: every byte read, interleaved frame headers, RTCP and responses included ({@code bytes} is RTP's). */
    long rtspWireBytes;
    /** RTSP players only: RTCP packets from the server. */
    long rtspRtcpPackets;
    /** RTSP players only: RTP packets missing from the tracks' sequence numbers, i.e. not sent. */
    long rtspLostPackets;
    /** RTSP players only: times a track's RTP packets changed SSRC within the session. */
    long rtspSsrcChanges;
    /** Where video frames' latencies go, or {@code null} when the tool does not publish. */
    SendTimes.Cursor latency;

    PlayerStats(int id, String protocol) {
        this.id = id;
        this.protocol = protocol;
    }

    boolean connected() {
        return connectedNanos != 0 && !failed && !closed;
    }

    /**
     * Records one complete RTMP message or FLV tag: counted, and audio and video timed.
     *
     * @param type the RTMP message type or FLV tag type (8 audio, 9 video)
     * @param timestampMillis its timestamp, 32-bit milliseconds
     * @param b0 a video payload's first byte, or -1
     * @param b1 a video payload's second byte, or -1
     */
    void message(int type, long timestampMillis, int b0, int b1) {
        messages++;
        if (type == 8) {
            media(timestampMillis, false, System.nanoTime());
        } else if (type == 9) {
            long now = System.nanoTime();
            boolean keyframe = b0 >= 0 && VideoTags.isKeyframe(b0, b1);
            media(timestampMillis, keyframe, now);
            if (latency != null && b0 >= 0 && VideoTags.isCodedFrame(b0, b1)) {
                latency.received(timestampMillis, keyframe, now);
            }
        }
    }

    /**
     * Records one media message (audio or video).
     *
     * @param timestampMillis the message's media timestamp, 32-bit RTMP/FLV milliseconds
     * @param keyframe whether it is a video keyframe (not a sequence header)
     */
    void media(long timestampMillis, boolean keyframe, long now) {
        if (firstMediaNanos == 0) {
            firstMediaNanos = now;
            firstMediaMillis = timestampMillis;
            lastMediaMillis = timestampMillis;
        }
        if (keyframe && firstKeyframeNanos == 0) {
            firstKeyframeNanos = now;
        }
        // unsigned 32-bit difference, so a wrap of the millisecond clock does not count as a jump
        long mediaNanos = ((timestampMillis - firstMediaMillis) & 0xFFFFFFFFL) * 1_000_000L;
        if (((timestampMillis - firstMediaMillis) & 0x80000000L) != 0) {
            return;   // earlier than the first frame (audio interleaved slightly behind video): no new information
        }
        long offset = (now - firstMediaNanos) - mediaNanos;
        if (offset < bestOffsetNanos) {
            bestOffsetNanos = offset;
        }
        lagNanos = offset - bestOffsetNanos;
        if (lagNanos > maxLagNanos) {
            maxLagNanos = lagNanos;
        }
        lastMediaMillis = timestampMillis;
    }

    void fail(String reason) {
        if (!failed && !closed) {
            failed = true;
            error = reason;
        }
    }

    static final String CSV_HEADER =
            "id,protocol,connect_ms,ttfk_ms,bytes,messages,max_lag_ms,final_lag_ms,failed,closed,error";

    String csvLine() {
        return id + "," + protocol + ","
                + ms(connectedNanos == 0 ? -1 : connectedNanos - startNanos) + ","
                + ms(firstKeyframeNanos == 0 ? -1 : firstKeyframeNanos - startNanos) + ","
                + bytes + "," + messages + "," + ms(maxLagNanos) + "," + ms(lagNanos) + ","
                + failed + "," + closed + "," + error.replace(',', ';').replace('\n', ' ');
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "" : String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
