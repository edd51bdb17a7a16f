package io.streamkit.hls.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.streamkit.hls.HlsConfig;
import io.streamkit.stream.StreamKey;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One stream's HLS rendition: the finished segments and the playlist made from them.
 *
 * <p>Written by its segmenter, on the segmenter's event loop; read by HTTP requests on any
 * loop through the immutable {@link View} published after each change. Segments leave the
 * playlist after {@code playlistSize}, stay fetchable for {@code keptSegments} more, and go
 * earlier when the stream's bytes pass {@code maxStreamBytes}. Media and discontinuity
 * sequence numbers only ever rise, also across a publisher that leaves and returns. Each
 * segment's URI is signed once, as it is added, and rendered unchanged in every playlist
 * that lists it.
 */
final class HlsStream {
    private final StreamKey key;
    private final HlsConfig config;
    private final HlsSegmentSigner signer;
    private final ArrayDeque<HlsSegment> segments = new ArrayDeque<>();
    private long nextSequence;
    private long discontinuities;   // discontinuities among segments that left the deque
    private long bytes;
    private long longestMicros;
    private volatile View view;

    /** What a reader sees: the segments still fetchable and whether the stream ended. */
    record View(List<HlsSegment> segments, int playlistSize, long targetSeconds, long discontinuitiesBefore,
                boolean ended) {
    }

    HlsStream(StreamKey key, HlsConfig config, HlsSegmentSigner signer) {
        this.key = key;
        this.config = config;
        this.signer = signer;
        this.longestMicros = config.segmentDuration().toNanos() / 1000;
        this.view = new View(List.of(), config.playlistSize(), targetSeconds(), 0, false);
    }

    StreamKey key() {
        return key;
    }

    View view() {
        return view;
    }

    long nextSequence() {
        return nextSequence;
    }

    /**
     * Adds a finished segment, taking ownership of its data, and signs its URI, which stays as it
     * is for the segment's life; evicts what the bounds say. On the segmenter's loop.
     */
    void add(long durationMicros, boolean discontinuity, java.time.Instant programDateTime, ByteBuf data) {
        long sequence = nextSequence++;
        segments.addLast(new HlsSegment(sequence, durationMicros, discontinuity, programDateTime,
                signer.uri(key, sequence), data));
        bytes += data.readableBytes();
        longestMicros = Math.max(longestMicros, durationMicros);
        while (segments.size() > config.playlistSize() + config.keptSegments()
                || (bytes > config.maxStreamBytes() && segments.size() > 1)) {
            HlsSegment old = segments.pollFirst();
            bytes -= old.data().readableBytes();
            if (old.discontinuity()) {
                discontinuities++;
            }
            old.data().release();
        }
        publish(false);
    }

    /** Marks the stream ended (EXT-X-ENDLIST) or live again. */
    void ended(boolean ended) {
        publish(ended);
    }

    /** Releases every segment. */
    void release() {
        HlsSegment s;
        while ((s = segments.pollFirst()) != null) {
            s.data().release();
        }
        bytes = 0;
        view = new View(List.of(), config.playlistSize(), targetSeconds(), discontinuities, true);
    }

    private void publish(boolean ended) {
        view = new View(List.copyOf(segments), config.playlistSize(), targetSeconds(), discontinuities, ended);
    }

    /** EXT-X-TARGETDURATION: the longest segment so far, rounded up (RFC 8216 4.3.3.1); it never shrinks. */
    private long targetSeconds() {
        return (longestMicros + 999_999) / 1_000_000;
    }

    /**
     * Renders the playlist of a view.
     *
     * @param view the segments
     * @param programDateTime whether to add EXT-X-PROGRAM-DATE-TIME
     * @param uri the URI of each segment relative to the playlist: {@link HlsSegment#uri()} for
     *     players, a file name for the mirror directory
     * @return the playlist text
     */
    static String playlist(View view, boolean programDateTime, Function<HlsSegment, String> uri) {
        List<HlsSegment> all = view.segments();
        int from = Math.max(0, all.size() - view.playlistSize());
        long discontinuitySequence = view.discontinuitiesBefore();
        for (int i = 0; i < from; i++) {
            if (all.get(i).discontinuity()) {
                discontinuitySequence++;
            }
        }
        StringBuilder m3u8 = new StringBuilder(512);
        m3u8.append("#EXTM3U\n#EXT-X-VERSION:3\n");
        m3u8.append("#EXT-X-TARGETDURATION:").append(view.targetSeconds()).append('\n');
        m3u8.append("#EXT-X-MEDIA-SEQUENCE:").append(from < all.size() ? all.get(from).sequence() : 0).append('\n');
        m3u8.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        List<HlsSegment> listed = new ArrayList<>(all.subList(from, all.size()));
        for (int i = 0; i < listed.size(); i++) {
            HlsSegment s = listed.get(i);
            if (s.discontinuity()) {
                m3u8.append("#EXT-X-DISCONTINUITY\n");
            }
            if (programDateTime) {
                m3u8.append("#EXT-X-PROGRAM-DATE-TIME:")
                        .append(DateTimeFormatter.ISO_INSTANT.format(s.programDateTime())).append('\n');
            }
            m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.3f,%n", s.durationMicros() / 1e6));
            m3u8.append(uri.apply(s)).append('\n');
        }
        if (view.ended()) {
            m3u8.append("#EXT-X-ENDLIST\n");
        }
        return m3u8.toString();
    }

    /**
     * Returns a segment's bytes for a response, or {@code null} when it is gone.
     *
     * @param view the view the request saw
     * @param sequence the segment's number
     * @return a retained duplicate the caller owns
     */
    static ByteBuf segment(View view, long sequence) {
        for (HlsSegment s : view.segments()) {
            if (s.sequence() == sequence) {
                try {
                    return s.data().retainedDuplicate();
                } catch (IllegalReferenceCountException evictedMeanwhile) {
                    return null;
                }
            }
        }
        return null;
    }
}
