package io.streamkit.record;

/**
 * The application's callbacks for recordings: a file started, a file finished, a recording
 * failed. Override what you need; every method does nothing by default.
 *
 * <p>Threading and order: every callback of a server runs on one thread of its own, never an
 * event loop or a file writer, in the order the events happened: a file's
 * {@link #onStarted} before its {@link #onFinished}, a recording's files in order, and
 * {@link #onFailed} after the {@link #onFinished} of the file that failed. Callbacks that take
 * long (an upload) delay the callbacks behind them, not the recording: hand long work to an
 * executor of your own. A callback that throws is logged and ignored.
 */
public class RecordListener {
    /** Creates a listener that does nothing. */
    public RecordListener() {
    }

    /**
     * A file was created and its first frame written.
     *
     * @param file the file so far: path, stream, format, start time; its size and duration are those of the start
     */
    public void onStarted(RecordedFile file) {
    }

    /**
     * A file is finished and complete on disk: an MP4 is finalised, an HLS playlist ends in
     * {@code EXT-X-ENDLIST}. {@link RecordedFile#end()} says why it ended.
     *
     * @param file the whole file
     */
    public void onFinished(RecordedFile file) {
    }

    /**
     * A recording stopped because writing failed or it fell behind; the live stream and its
     * players go on. Called after the {@link #onFinished} of the file that was open, if any.
     *
     * @param failure the stream, the file, and the cause
     */
    public void onFailed(RecordFailure failure) {
    }
}
