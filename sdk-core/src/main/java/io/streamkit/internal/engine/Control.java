package io.streamkit.internal.engine;

import io.streamkit.stream.EndReason;
import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Track;

/** Commands a hub sends a {@link LoopFanOut} through the same queue as frames, so order holds. */
final class Control {
    static final Object UNPUBLISHED = new Object();
    /** The publisher's source was lost: {@link io.streamkit.stream.Publisher#abort()}. */
    static final Object LOST = new Object();
    static final Object REPUBLISHED = new Object();

    private Control() {
    }

    /** A subscriber attaches: it gets these tracks, then these frames (retained, released by the loop). */
    record Join(Sub sub, Track[] tracks, java.util.Map<String, Object> metadata, MediaFrame[] cached) {
    }

    /** A subscriber leaves for this reason. */
    record Leave(Sub sub, EndReason reason) {
    }

    /** The publisher replaced the stream's metadata. */
    record Metadata(java.util.Map<String, Object> values) {
    }

    /** A track was added or changed format. */
    record TrackChanged(Track track) {
    }

    /** The stream ended: every subscriber on the loop ends. */
    record End(EndReason reason) {
    }
}
