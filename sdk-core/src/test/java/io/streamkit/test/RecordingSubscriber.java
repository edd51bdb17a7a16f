package io.streamkit.test;

import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Subscriber;
import io.streamkit.stream.Track;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what a subscriber is told, and checks the engine's contract as it goes: calls
 * never overlap, nothing comes after {@code onEnd}, dts never goes back per track.
 */
public class RecordingSubscriber implements Subscriber {
    /** One delivered frame, copied out of the lent frame. */
    public record Seen(int track, long dts, long pts, boolean keyframe, long seq, int size) {
    }

    public final List<Seen> frames = new CopyOnWriteArrayList<>();   // read while the executor appends
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<String> violations = new CopyOnWriteArrayList<>();
    public final CompletableFuture<EndReason> ended = new CompletableFuture<>();
    public final AtomicInteger flushes = new AtomicInteger();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final long[] lastDts = new long[16];
    private volatile boolean writable = true;

    public RecordingSubscriber() {
        java.util.Arrays.fill(lastDts, Long.MIN_VALUE);
    }

    /** Makes {@link #writable()} answer {@code value}. */
    public void writable(boolean value) {
        writable = value;
    }

    @Override
    public boolean writable() {
        return writable;
    }

    @Override
    public void onTrack(Track track) {
        enter();
        events.add("track " + track.id() + " " + track.codec());
        exit();
    }

    @Override
    public void onFrame(MediaFrame frame) {
        enter();
        int id = frame.track().id();
        if (frame.dts() < lastDts[id]) {
            violations.add("dts went back on track " + id + ": " + lastDts[id] + " -> " + frame.dts());
        }
        lastDts[id] = frame.dts();
        frames.add(new Seen(id, frame.dts(), frame.pts(), frame.keyframe(), TestMedia.seq(frame.content()),
                frame.content().readableBytes()));
        exit();
    }

    @Override
    public void onMetadata(java.util.Map<String, Object> metadata) {
        enter();
        events.add("metadata " + metadata);
        exit();
    }

    @Override
    public void onFlush() {
        flushes.incrementAndGet();
    }

    @Override
    public void onPublisherLost() {
        events.add("lost");
    }

    @Override
    public void onUnpublished() {
        enter();
        events.add("unpublished");
        exit();
    }

    @Override
    public void onRepublished() {
        enter();
        events.add("republished");
        exit();
    }

    @Override
    public void onEnd(EndReason reason) {
        enter();
        events.add("end " + reason);
        if (!ended.complete(reason)) {
            violations.add("onEnd called twice");
        }
        exit();
    }

    private void enter() {
        if (ended.isDone()) {
            violations.add("called after onEnd");
        }
        if (!inCall.compareAndSet(false, true)) {
            violations.add("overlapping calls");
        }
    }

    private void exit() {
        inCall.set(false);
    }
}
