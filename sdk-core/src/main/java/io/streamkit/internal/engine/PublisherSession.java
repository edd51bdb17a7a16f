package io.streamkit.internal.engine;

import io.netty.buffer.ByteBuf;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.PublishOptions;
import io.streamkit.stream.Publisher;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One publisher's ownership of a hub, from publish to close or take-over. */
final class PublisherSession implements Publisher {
    private final Hub hub;
    private final PublishOptions options;
    private final CompletableFuture<EndReason> closed = new CompletableFuture<>();
    private volatile boolean open = true;

    /** The timeline its tracks share; guarded by the hub. */
    private final SessionClock clock;

    PublisherSession(Hub hub, PublishOptions options, int generation) {
        this.hub = hub;
        this.options = options;
        this.clock = new SessionClock(generation, options.timestampWrap());
    }

    SessionClock clock() {
        return clock;
    }

    PublishOptions options() {
        return options;
    }

    @Override
    public StreamKey key() {
        return hub.key();
    }

    @Override
    public Track addTrack(TrackFormat format) {
        Objects.requireNonNull(format, "format");
        return hub.addTrack(this, format);
    }

    @Override
    public void updateTrack(Track track, TrackFormat format) {
        Objects.requireNonNull(format, "format");
        hub.updateTrack(this, owned(track), format);
    }

    @Override
    public void updateMetadata(java.util.Map<String, Object> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        hub.updateMetadata(this, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata)));
    }

    @Override
    public boolean write(Track track, long dts, long pts, boolean keyframe, ByteBuf payload) {
        if (!open || !(track instanceof EngineTrack t)) {
            payload.release();
            if (open) {
                throw new IllegalArgumentException("track " + track + " was not created by this engine");
            }
            return false;
        }
        return hub.write(this, t, dts, pts, keyframe, payload);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public CompletionStage<EndReason> closed() {
        return closed.minimalCompletionStage();
    }

    @Override
    public void close() {
        if (open) {
            hub.unpublish(this, EndReason.CANCELLED);
        }
    }

    @Override
    public void abort() {
        if (open) {
            hub.unpublish(this, EndReason.CANCELLED, true);
        }
    }

    /** Guarded by the hub. */
    void markClosed() {
        open = false;
    }

    /** Outside the hub's lock: runs the application's continuations. */
    void completeClosed(EndReason reason) {
        closed.complete(reason);
    }

    private EngineTrack owned(Track track) {
        if (!(track instanceof EngineTrack t)) {
            throw new IllegalArgumentException("track " + track + " was not created by this engine");
        }
        return t;
    }

    @Override
    public String toString() {
        return "Publisher(" + hub.key() + " via " + options.protocol() + ")";
    }
}
