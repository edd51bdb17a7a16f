package io.streamkit.internal.engine;

import io.streamkit.stream.MediaFrame;
import io.streamkit.stream.Track;
import java.util.ArrayDeque;

/**
 * The frames a new subscriber starts with, so it plays at once (ARCHITECTURE.md rule 5).
 *
 * <p>A stream with video keeps every frame (all tracks) since the last keyframe of its first
 * video track (the one players start at; a multitrack stream's other video tracks have
 * keyframes of their own); a GOP larger than {@code maxBytes} is dropped and caching resumes
 * at the next keyframe. An
 * audio-only stream keeps the last {@code audioWindowMicros} of audio. Holds one reference
 * per cached frame. Guarded by the hub's lock.
 */
final class GopCache {
    private static final MediaFrame[] EMPTY = new MediaFrame[0];

    private final long maxBytes;
    private final long audioWindowMicros;
    private final ArrayDeque<MediaFrame> frames = new ArrayDeque<>();
    private long bytes;
    private boolean overflowed;

    GopCache(long maxBytes, long audioWindowMicros) {
        this.maxBytes = maxBytes;
        this.audioWindowMicros = audioWindowMicros;
    }

    /**
     * Adds a frame, retained, or drops what can no longer start a player.
     *
     * @param frame the frame, lent
     * @param primaryVideo the stream's first video track, or {@code null} without video
     */
    void add(MediaFrame frame, Track primaryVideo) {
        if (maxBytes == 0) {
            return;
        }
        int size = frame.content().readableBytes();
        if (primaryVideo != null) {
            boolean videoKey = frame.keyframe() && frame.track() == primaryVideo;
            if (videoKey) {
                clear();
                overflowed = false;
            } else if (overflowed || frames.isEmpty()) {
                return;   // no keyframe since the start or the last overflow: nothing to start at
            } else if (frames.peekFirst().track() != primaryVideo) {
                clear();  // an audio window from before video appeared is no start for a video player
                return;
            }
            if (bytes + size > maxBytes) {
                clear();
                overflowed = true;
                return;
            }
            frames.addLast(frame.retain());
            bytes += size;
        } else {
            frames.addLast(frame.retain());
            bytes += size;
            long horizon = frame.dts() - audioWindowMicros;
            while (!frames.isEmpty() && (frames.peekFirst().dts() < horizon || bytes > maxBytes)) {
                MediaFrame old = frames.pollFirst();
                bytes -= old.content().readableBytes();
                old.release();
            }
        }
    }

    /** Returns the cached frames, each retained once for the caller. */
    MediaFrame[] snapshot() {
        if (frames.isEmpty()) {
            return EMPTY;
        }
        MediaFrame[] out = frames.toArray(EMPTY);
        for (MediaFrame f : out) {
            f.retain();
        }
        return out;
    }

    int size() {
        return frames.size();
    }

    void clear() {
        MediaFrame f;
        while ((f = frames.pollFirst()) != null) {
            f.release();
        }
        bytes = 0;
    }
}
