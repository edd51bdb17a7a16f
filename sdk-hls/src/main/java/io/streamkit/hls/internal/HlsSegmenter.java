package io.streamkit.hls.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.format.mpegts.MpegTsMuxer;
import io.streamkit.hls.HlsConfig;
import io.streamkit.stream.Codec;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Track;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one segmenter of a stream (not one per player): a {@link Subscriber} that muxes frames
 * into MPEG-TS and cuts a segment at the first video keyframe at or past the target duration
 * (audio-only streams: at the target duration). Every segment starts with PAT and PMT and, with
 * video, a keyframe. A publisher that leaves and returns, or a codec change, starts a segment
 * marked as a discontinuity. Runs on one event loop.
 *
 * <p>A segment's duration is its span on the stream's timeline: from its first frame to the
 * next segment's first frame, or for a last segment to its last frame plus one step. A cut
 * at the target needs the timeline to have advanced by the target, so a timeline that stands
 * still never cuts. Should a forced cut (the publisher left, the codec changed, the stream
 * ended) find a span of zero, the segment takes its wall-clock span instead, at least
 * {@value #MIN_DURATION_MICROS} µs: {@code EXTINF} is never 0.
 *
 * <p>A segment being written holds at most half the stream's memory ({@code maxStreamBytes}):
 * a publisher that sends no keyframe (an intra-refresh encoder, a broken one) gives no place
 * to cut, and its open segment would grow without end. Past the bound the open segment is
 * dropped, the next one starts at the next keyframe as a discontinuity, and the drop is counted
 * and logged once per stream.
 */
final class HlsSegmenter implements Subscriber {
    /** Initial segment buffer: about 2 s at 1 Mbps; it grows as needed. */
    private static final int INITIAL_SEGMENT_CAPACITY = 256 << 10;
    /** The least duration a segment gets: EXTINF is written in milliseconds; 0 is no duration (RFC 8216 4.3.2.1). */
    static final long MIN_DURATION_MICROS = 1_000;

    private final HlsStream stream;
    private final ByteBufAllocator alloc;
    private final long targetMicros;
    private final long maxOpenBytes;
    private long dropped;
    private final Consumer<HlsSegmenter> ended;
    private final Consumer<HlsStream> segmentDone;
    private final MpegTsMuxer muxer = new MpegTsMuxer();
    private final List<Track> tracks = new ArrayList<>();
    private boolean hasVideo;
    private ByteBuf current;
    private long startDts;
    private Instant startWall;
    private long startNanos;
    private long lastDts;
    private long lastStep;
    private boolean discontinuity;
    private long malformed;

    HlsSegmenter(HlsStream stream, HlsConfig config, ByteBufAllocator alloc, boolean continuing,
                 Consumer<HlsSegmenter> ended, Consumer<HlsStream> segmentDone) {
        this.segmentDone = segmentDone;
        this.stream = stream;
        this.alloc = alloc;
        this.targetMicros = config.segmentDuration().toNanos() / 1000;
        this.maxOpenBytes = config.maxStreamBytes() / 2;
        this.ended = ended;
        this.discontinuity = continuing;
    }

    HlsStream stream() {
        return stream;
    }

    @Override
    public void onTrack(Track track) {
        Codec previous = null;
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i).id() == track.id()) {
                previous = tracks.get(i).codec();
                tracks.remove(i);
                break;
            }
        }
        tracks.add(track);
        if (previous != null && previous != track.codec()) {
            finish(lastDts + lastStep);
            discontinuity = true;
        }
        muxer.setTracks(tracks);
        hasVideo = tracks.stream().anyMatch(t -> t.type() == MediaType.VIDEO && muxer.supports(t.codec()));
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if (!muxer.supports(frame.track().codec())) {
            return;
        }
        boolean video = frame.track().type() == MediaType.VIDEO;
        long dts = frame.dts();
        if (current == null) {
            if (hasVideo && !(video && frame.keyframe())) {
                return;   // a segment starts at a keyframe
            }
            start(dts);
        } else if (dts - startDts >= targetMicros && (!hasVideo || (video && frame.keyframe()))) {
            finish(dts);
            start(dts);
        }
        try {
            muxer.writeFrame(current, frame);
        } catch (io.streamkit.codec.MediaFormatException e) {
            // One malformed access unit costs that frame, not the rendition; the muxer wrote nothing.
            if (malformed++ == 0) {
                org.slf4j.LoggerFactory.getLogger(HlsSegmenter.class).warn("hls {}: skipping malformed frames: {}",
                        stream.key(), e.getMessage());
            }
            return;
        }
        if (current.readableBytes() > maxOpenBytes) {
            drop();
            return;
        }
        if (dts > lastDts) {
            lastStep = dts - lastDts;
        }
        lastDts = Math.max(lastDts, dts);
    }

    /** Drops the open segment, which passed its bound without a keyframe to cut at. */
    private void drop() {
        if (dropped++ == 0) {
            org.slf4j.LoggerFactory.getLogger(HlsSegmenter.class).warn(
                    "hls {}: no keyframe in {} bytes; dropping the open segment, the next starts at a keyframe",
                    stream.key(), current.readableBytes());
        }
        current.release();
        current = null;
        discontinuity = true;
    }

    /** Open segments dropped for want of a keyframe. */
    long dropped() {
        return dropped;
    }

    private void start(long dts) {
        current = alloc.buffer(INITIAL_SEGMENT_CAPACITY);
        muxer.writeTables(current);
        startDts = dts;
        lastDts = dts;
        startWall = Instant.now();
        startNanos = System.nanoTime();
    }

    private void finish(long endDts) {
        if (current == null) {
            return;
        }
        stream.add(duration(endDts - startDts, System.nanoTime() - startNanos), discontinuity, startWall, current);
        segmentDone.accept(stream);
        current = null;
        discontinuity = false;
    }

    /**
     * A segment's duration: its span on the timeline, or when that is not positive its span
     * in wall-clock time; never below {@link #MIN_DURATION_MICROS}.
     *
     * @param timelineMicros last frame plus a step, or the next segment's start, minus its start
     * @param wallNanos how long it was being written
     * @return microseconds
     */
    static long duration(long timelineMicros, long wallNanos) {
        long micros = timelineMicros > 0 ? timelineMicros : wallNanos / 1_000;
        return Math.max(micros, MIN_DURATION_MICROS);
    }

    @Override
    public void onUnpublished() {
        finish(lastDts + lastStep);
        discontinuity = true;
    }

    @Override
    public void onRepublished() {
        discontinuity = true;
    }

    @Override
    public void onEnd(EndReason reason) {
        finish(lastDts + lastStep);
        stream.ended(true);
        ended.accept(this);
    }
}
