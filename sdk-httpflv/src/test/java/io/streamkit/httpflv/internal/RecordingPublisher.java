package io.streamkit.httpflv.internal;

import io.netty.buffer.ByteBuf;
import io.streamkit.engine.StreamEngine;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.stream.TrackStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.CRC32;

/**
 * A publisher that writes down what it is given, for tests that need to see exactly what an
 * ingest made of its input: tracks, frames with their timestamps as given (the engine would
 * repair them), a checksum of each payload and whether it is a slice, metadata, and how it was closed. It releases
 * each payload once read, as the engine's {@code write} does, and refuses a track past the
 * engine's limit as the engine does. One thread.
 */
final class RecordingPublisher implements Publisher {
    /** One frame as written. */
    record Frame(int track, long dts, long pts, boolean keyframe, int size, long crc, boolean slice) {
    }

    final List<String> events = new ArrayList<>();
    final List<Frame> frames = new ArrayList<>();
    final List<TestTrack> tracks = new ArrayList<>();
    private final StreamKey key;
    private final boolean keepFrames;
    private final CompletableFuture<EndReason> closed = new CompletableFuture<>();
    private long frameCount;

    /** A track whose format the publisher may update. */
    static final class TestTrack implements Track {
        private final int id;
        private final StreamKey stream;
        private TrackFormat format;

        TestTrack(int id, StreamKey stream, TrackFormat format) {
            this.id = id;
            this.stream = stream;
            this.format = format;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public StreamKey stream() {
            return stream;
        }

        @Override
        public TrackFormat format() {
            return format;
        }

        @Override
        public TrackStats stats() {
            return new TrackStats(0, 0, 0, 0, 0);
        }
    }

    RecordingPublisher(StreamKey key) {
        this(key, true);
    }

    /**
     * Creates a publisher.
     *
     * @param keepFrames whether to keep each frame (a fuzz target only counts them)
     */
    RecordingPublisher(StreamKey key, boolean keepFrames) {
        this.key = key;
        this.keepFrames = keepFrames;
    }

    @Override
    public StreamKey key() {
        return key;
    }

    @Override
    public Track addTrack(TrackFormat format) {
        if (!isOpen()) {
            throw new IllegalStateException("publisher of " + key + " is closed");
        }
        if (tracks.size() == StreamEngine.MAX_TRACKS) {
            throw new IllegalStateException("stream " + key + " has " + StreamEngine.MAX_TRACKS + " tracks, the limit");
        }
        TestTrack t = new TestTrack(tracks.size(), key, format);
        tracks.add(t);
        events.add("track " + t.id + " " + describe(format));
        return t;
    }

    @Override
    public void updateTrack(Track track, TrackFormat format) {
        TestTrack t = (TestTrack) track;
        if (t.format.type() != format.type()) {
            throw new IllegalArgumentException("a " + format.type() + " format for a " + t.format.type() + " track");
        }
        t.format = format;
        events.add("update " + t.id + " " + describe(format));
    }

    @Override
    public void updateMetadata(Map<String, Object> metadata) {
        events.add("metadata " + new TreeMap<>(metadata));
    }

    @Override
    public boolean write(Track track, long dts, long pts, boolean keyframe, ByteBuf payload) {
        try {
            if (!isOpen()) {
                return false;
            }
            if (!tracks.contains(track)) {
                throw new AssertionError("a frame for a track this publisher did not add: " + track);
            }
            frameCount++;
            if (keepFrames) {
                CRC32 crc = new CRC32();
                crc.update(payload.nioBuffer());
                // a slice shares the memory of the buffer it was cut from: no copy was made for it
                frames.add(new Frame(track.id(), dts, pts, keyframe, payload.readableBytes(), crc.getValue(),
                        payload.unwrap() != null));
            }
            return true;
        } finally {
            payload.release();
        }
    }

    /** Frames written, kept or not. */
    long frameCount() {
        return frameCount;
    }

    /** The frames of one track. */
    List<Frame> frames(int track) {
        return frames.stream().filter(f -> f.track() == track).toList();
    }

    @Override
    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public CompletionStage<EndReason> closed() {
        return closed;
    }

    /** Ends the publisher as the engine does when another one takes the stream over, or kicks it. */
    void endedBy(EndReason reason) {
        closed.complete(reason);
    }

    @Override
    public void close() {
        if (closed.complete(EndReason.UNPUBLISHED)) {
            events.add("close");
        }
    }

    @Override
    public void abort() {
        if (closed.complete(EndReason.UNPUBLISHED)) {
            events.add("abort");
        }
    }

    private static String describe(TrackFormat format) {
        return format.codec() + format.video().map(v -> " " + v.width() + "x" + v.height()).orElse("")
                + format.audio().map(a -> " " + a.sampleRate() + " Hz " + a.channels() + " ch").orElse("");
    }
}
