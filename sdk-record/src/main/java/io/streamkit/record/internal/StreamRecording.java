package io.streamkit.record.internal;

import io.streamkit.record.RecordEnd;
import io.streamkit.record.RecordFailure;
import io.streamkit.record.RecordSpec;
import io.streamkit.record.RecordedFile;
import io.streamkit.record.Recording;
import io.streamkit.record.RecorderOverloadException;
import io.streamkit.stream.Codec;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.MediaType;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Subscription;
import io.streamkit.stream.Track;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's recording. The subscriber side runs inline in the publisher's write (an executor
 * of {@code Runnable::run}: no event loop hand-off) and only queues: a retained duplicate of each
 * frame, tracks, the publisher's comings and goings; it never blocks and never closes its own
 * subscription there. The writer side drains the queue on a writer thread, one drain at a time,
 * and owns the files.
 */
final class StreamRecording implements Subscriber, Recording {
    private static final Logger log = LoggerFactory.getLogger(StreamRecording.class);
    /**
     * How long frames gather before a writer drains them: one wake-up of a writer thread per
     * recording per 100 ms rather than one per frame (a thread hand-off per frame cost 50 streams
     * of 2 Mbps more than the writing did). A crash loses a fragment anyway; 100 ms of a stream is
     * little memory.
     */
    static final long DRAIN_DELAY_MILLIS = 100;
    /** Audio kept while waiting for the first keyframe: two seconds, more than any encoder's start-up offset. */
    static final long MAX_PREROLL_MICROS = 2_000_000;

    private final RecordService service;
    private final StreamKey key;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile RecordSpec spec;
    private volatile boolean stopping;
    /** Set on the subscriber's loop when the writers no longer take work; from then on items are released as they come. */
    private volatile boolean rejected;
    private volatile Subscription subscription;
    private volatile RecordedFile current;
    private final AtomicLong filesFinished = new AtomicLong();

    // writer side, touched by one drain at a time
    private final List<Track> tracks = new ArrayList<>();
    private final ArrayDeque<MediaFrame> preroll = new ArrayDeque<>();
    private RecordFile file;
    private List<Track> fileTracks;
    private List<io.streamkit.stream.TrackFormat> fileFormats;
    private RecordSpec fileSpec;
    private Instant fileStart;
    private long firstDts;
    private long lastDts;
    private long lastStep;
    private long videoFrames;
    private long audioFrames;
    private boolean ended;

    StreamRecording(RecordService service, StreamKey key, RecordSpec spec) {
        this.service = service;
        this.key = key;
        this.spec = spec;
    }

    void subscribed(Subscription s) {
        subscription = s;
        if (stopping) {
            s.close();
        }
    }

    CompletableFuture<Void> done() {
        return done;
    }

    void respec(RecordSpec next) {
        spec = next;
    }

    // ---- Recording

    @Override
    public StreamKey key() {
        return key;
    }

    @Override
    public RecordSpec spec() {
        return spec;
    }

    @Override
    public Optional<RecordedFile> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public long filesFinished() {
        return filesFinished.get();
    }

    @Override
    public void stop() {
        service.stop(key);
    }

    /** Ends the recording for a reason, from any thread: the open file is finished on the writer. */
    void stop(RecordEnd reason) {
        if (stopping) {
            return;
        }
        stopping = true;
        offer(new Stop(reason, null));
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
    }

    // ---- Subscriber: the stream's event loop

    @Override
    public void onTrack(Track track) {
        offer(track);
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if (stopping) {
            return;
        }
        int bytes = frame.payload().readableBytes();
        long limit = service.config().maxQueueBytes();
        if (queuedBytes.addAndGet(bytes) > limit) {
            queuedBytes.addAndGet(-bytes);
            stopping = true;
            // the writer closes the subscription when it takes this: here the stream's lock may be held
            offer(new Stop(RecordEnd.FAILURE, new RecorderOverloadException("recording of " + key + " fell behind: "
                    + queuedBytes.get() + " bytes waiting to be written, the limit is " + limit + " (maxQueueBytes)")));
            return;
        }
        offer(frame.retainedDuplicate());
    }

    @Override
    public void onUnpublished() {
        offer(Marker.UNPUBLISHED);
    }

    @Override
    public void onPublisherLost() {
        offer(Marker.LOST);
    }

    @Override
    public void onRepublished() {
        offer(Marker.REPUBLISHED);   // a publisher that took over without a gap: its frames start a new file
    }

    @Override
    public void onEnd(EndReason reason) {
        offer(new Stop(reason == EndReason.SHUTDOWN ? RecordEnd.SERVER_STOP : RecordEnd.STREAM_END, null));
    }

    private void offer(Object item) {
        if (rejected) {
            if (item instanceof MediaFrame frame) {
                frame.release();
            }
            return;
        }
        queue.add(item);
        if (draining.compareAndSet(false, true)) {
            try {
                if (item instanceof Stop) {
                    service.writers().execute(this::drain);
                } else {
                    service.writers().schedule(this::drain, DRAIN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                rejected = true;   // the recorder has closed and finished its files: what comes after is not recorded
                discard();
            }
        }
    }

    /** Releases what waits in the queue once no writer will take it. */
    private void discard() {
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof MediaFrame frame) {
                queuedBytes.addAndGet(-frame.payload().readableBytes());
                frame.release();
            }
        }
    }

    // ---- writer side

    private void drain() {
        for (;;) {
            Object item;
            while ((item = queue.poll()) != null) {
                handle(item);
            }
            draining.set(false);
            if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void handle(Object item) {
        if (item instanceof MediaFrame frame) {
            queuedBytes.addAndGet(-frame.payload().readableBytes());
            if (ended) {
                frame.release();
                return;
            }
            try {
                frame(frame);
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        } else if (item instanceof Track track) {
            if (!ended) {
                track(track);
            }
        } else if (item == Marker.UNPUBLISHED || item == Marker.REPUBLISHED || item == Marker.LOST) {
            if (!ended) {
                finishFile(item == Marker.LOST ? RecordEnd.PUBLISHER_LOST : RecordEnd.STREAM_END);
            }
        } else if (item instanceof Stop stop) {
            if (ended) {
                return;
            }
            service.ended(this);   // out of the table before the last callbacks: one who hears them finds no recording
            if (stop.cause != null) {
                fail(stop.cause);
            } else if (finishFile(stop.reason)) {
                end();
            }
        }
    }

    private void track(Track track) {
        Track previous = null;
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i).id() == track.id()) {
                previous = tracks.remove(i);
                break;
            }
        }
        tracks.add(track);
        tracks.sort((a, b) -> Integer.compare(a.id(), b.id()));
        if (file == null || !RecordFile.takes(fileSpec.format(), track)) {
            return;
        }
        int at = fileTracks.indexOf(track);
        boolean replaced = previous != null && fileTracks.contains(previous) && previous != track;
        boolean added = previous == null && at < 0 && usable(List.copyOf(tracks), fileSpec).contains(track);
        if (replaced || added || at >= 0 && !track.format().equals(fileFormats.get(at))) {
            finishFile(RecordEnd.FORMAT_CHANGE);   // the next file starts at the next keyframe with the new tracks
        }
    }

    /**
     * The tracks a file of a format holds: every track MP4 takes; for FLV and HLS, which carry one
     * video and one audio stream, the first of each.
     */
    private static List<Track> usable(List<Track> tracks, RecordSpec spec) {
        List<Track> out = new ArrayList<>();
        boolean video = false;
        boolean audio = false;
        for (Track t : tracks) {
            if (!RecordFile.takes(spec.format(), t)) {
                continue;
            }
            boolean isVideo = t.type() == MediaType.VIDEO;
            if (spec.format() != io.streamkit.record.RecordFormat.MP4 && (isVideo ? video : audio)) {
                continue;
            }
            video |= isVideo;
            audio |= !isVideo;
            out.add(t);
        }
        return out;
    }

    private void frame(MediaFrame frame) throws IOException {
        boolean video = frame.track().type() == MediaType.VIDEO;
        RecordSpec deciding = file != null ? fileSpec : spec;
        boolean hasVideo = false;
        for (Track t : tracks) {
            hasVideo |= t.type() == MediaType.VIDEO && RecordFile.takes(deciding.format(), t);
        }
        boolean start = !hasVideo || video && frame.keyframe();
        if (file == null) {
            if (!start) {
                if (!video && RecordFile.takes(spec.format(), frame.track())) {
                    preroll.add(frame);
                    while (preroll.size() > 1 && frame.dts() - preroll.peekFirst().dts() > MAX_PREROLL_MICROS) {
                        preroll.pollFirst().release();
                    }
                } else {
                    frame.release();
                }
                return;
            }
            openWith(frame);
        } else if (!fileTracks.contains(frame.track())) {
            frame.release();
            return;
        } else if (start && rotationDue(frame)) {
            if (!finishFile(RecordEnd.ROTATION)) {
                frame.release();
                return;
            }
            openWith(frame);
        }
        write(frame);
    }

    /** Opens a file for a frame; the frame is released when that fails. */
    private void openWith(MediaFrame frame) throws IOException {
        try {
            open(frame);
        } catch (IOException | RuntimeException e) {
            frame.release();
            throw e;
        }
    }

    private boolean rotationDue(MediaFrame frame) {
        Duration after = fileSpec.rotateAfter();
        return !after.isZero() && frame.dts() - firstDts >= after.toNanos() / 1000
                || fileSpec.rotateAtBytes() > 0 && file.bytes() >= fileSpec.rotateAtBytes();
    }

    private void open(MediaFrame first) throws IOException {
        fileSpec = spec;
        List<Track> usable = usable(tracks, fileSpec);
        if (!usable.contains(first.track())) {
            throw new IOException("track " + first.track().id() + " (" + first.track().codec() + ") of " + key
                    + " cannot be recorded as " + fileSpec.format());
        }
        Instant now = Instant.now();
        Path path = service.pathFor(key, fileSpec, now);
        Files.createDirectories(path.getParent());
        file = RecordFile.open(fileSpec, path, usable, service.allocator());
        fileTracks = usable;
        fileFormats = usable.stream().map(Track::format).toList();
        fileStart = now;
        firstDts = Long.MAX_VALUE;
        lastDts = Long.MIN_VALUE;
        lastStep = 0;
        videoFrames = 0;
        audioFrames = 0;
        List<MediaFrame> held = new ArrayList<>(preroll);
        preroll.clear();
        for (MediaFrame f : held) {
            if (usable.contains(f.track())) {
                write(f);
            } else {
                f.release();
            }
        }
        firstDts = Math.min(firstDts, first.dts());
        RecordedFile started = RecordedFile.builder(key, path, service.nameOf(path), fileSpec.format(), fileStart)
                .codecs(usable.stream().map(Track::codec).toList()).timestamps(firstDts, firstDts).build();
        current = started;
        service.started(started);
    }

    private void write(MediaFrame frame) throws IOException {
        long dts = frame.dts();
        if (frame.track().type() == MediaType.VIDEO) {
            videoFrames++;
        } else {
            audioFrames++;
        }
        firstDts = Math.min(firstDts, dts);
        if (lastDts != Long.MIN_VALUE && dts > lastDts) {
            lastStep = dts - lastDts;
        }
        lastDts = Math.max(lastDts, dts);
        file.write(frame);
    }

    /** Finishes the open file, if any; false when that failed and the recording ended. */
    private boolean finishFile(RecordEnd reason) {
        releasePreroll();
        if (file == null) {
            return true;
        }
        RecordFile closing = file;
        file = null;
        current = null;
        RecordedFile.Builder described = describeBuilder(closing, reason);
        try {
            long bytes = closing.finish(true);
            filesFinished.incrementAndGet();
            service.finished(described.bytes(bytes).build(), true);
            return true;
        } catch (IOException | RuntimeException e) {
            closing.abandon();
            // not indexed as finished: the next start finds the start line and recovers what is on disk
            service.finished(described.bytes(sizeOf(closing.path)).end(RecordEnd.FAILURE).build(), false);
            failed(e, closing.path);
            return false;
        }
    }

    private RecordedFile.Builder describeBuilder(RecordFile f, RecordEnd reason) {
        long last = Math.max(lastDts, firstDts);
        return RecordedFile.builder(key, f.path, service.nameOf(f.path), fileSpec.format(), fileStart)
                .codecs(fileTracks.stream().map(Track::codec).toList())
                .timestamps(firstDts, last).duration(Duration.ofNanos((last - firstDts + lastStep) * 1000))
                .frames(videoFrames, audioFrames).end(reason);
    }

    private static long sizeOf(Path path) {
        try {
            return Files.exists(path) ? Files.size(path) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** A write failed: the open file is closed as far as it goes, the failure reported, the recording ended. */
    private void fail(Throwable cause) {
        service.ended(this);
        Path path = file == null ? null : file.path;
        if (file != null) {
            RecordFile closing = file;
            file = null;
            current = null;
            RecordedFile.Builder described = describeBuilder(closing, RecordEnd.FAILURE);
            try {
                long bytes = closing.finish(true);
                service.finished(described.bytes(bytes).build(), true);
            } catch (IOException | RuntimeException e) {
                closing.abandon();
                // not indexed as finished: the next start finds the start line and recovers what is on disk
                service.finished(described.bytes(sizeOf(closing.path)).build(), false);
            }
        }
        releasePreroll();
        failed(cause, path);
    }

    private void failed(Throwable cause, Path path) {
        if (ended) {
            return;
        }
        service.ended(this);
        log.warn("record {}: recording stopped: {}", key, cause.toString());
        service.failed(new RecordFailure(key, path, cause));
        stopping = true;
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        end();
    }

    private void end() {
        ended = true;
        releasePreroll();
        service.ended(this);
        done.complete(null);
    }

    private void releasePreroll() {
        MediaFrame f;
        while ((f = preroll.poll()) != null) {
            f.release();
        }
    }

    private enum Marker { UNPUBLISHED, REPUBLISHED, LOST }

    private record Stop(RecordEnd reason, Throwable cause) {
    }
}
