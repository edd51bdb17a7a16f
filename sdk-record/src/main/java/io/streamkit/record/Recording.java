package io.streamkit.record;

import io.streamkit.stream.StreamKey;
import java.util.Optional;

/** One stream's recording: what it records, into which file now, and how to stop it. */
public interface Recording {

    /**
     * Returns the recorded stream.
     *
     * @return its key
     */
    StreamKey key();

    /**
     * Returns how the stream is recorded.
     *
     * @return the spec
     */
    RecordSpec spec();

    /**
     * Returns the file being written.
     *
     * @return the file as it started, or empty between files (before the first keyframe, while the publisher is away)
     */
    Optional<RecordedFile> current();

    /**
     * Returns the files this recording finished so far.
     *
     * @return the count
     */
    long filesFinished();

    /**
     * Stops the recording; the same as {@link Recorder#stop} with this key.
     */
    void stop();
}
