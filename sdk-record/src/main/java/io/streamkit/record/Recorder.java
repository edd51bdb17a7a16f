package io.streamkit.record;

import io.streamkit.stream.StreamKey;
import java.util.List;
import java.util.Optional;

/**
 * A server's recorder: starts and stops recordings from Java, and lists what is being and has
 * been recorded. Thread-safe; no call blocks on a file.
 */
public interface Recorder {

    /**
     * Records a stream from now until {@link Recording#stop()}: at once if it is live, else
     * from its next publish, and again after every republish. A stream already recorded keeps
     * its recording, which this spec then replaces from its next file.
     *
     * @param key the stream
     * @param spec how to record it
     * @return the recording
     */
    Recording start(StreamKey key, RecordSpec spec);

    /**
     * Stops a stream's recording, whether it was started here or chosen by a rule or an
     * attribute; the open file is finalised (off the caller's thread) and its
     * {@link RecordListener#onFinished} says {@link RecordEnd#STOPPED}.
     *
     * @param key the stream
     * @return whether the stream was being recorded
     */
    boolean stop(StreamKey key);

    /**
     * Returns a stream's recording.
     *
     * @param key the stream
     * @return the recording, or empty when the stream is not being recorded
     */
    Optional<Recording> recording(StreamKey key);

    /**
     * Lists the recordings in progress.
     *
     * @return snapshots
     */
    List<Recording> active();

    /**
     * Lists the finished files this recorder knows, across restarts (it keeps an index in the
     * root), oldest first; files deleted since are left out.
     *
     * @return the files
     */
    List<RecordedFile> recordings();
}
