package io.streamkit.record;

/** Why a recorded file ended. */
public enum RecordEnd {
    /** The file reached its duration or size: the next file starts with the frame after its last. */
    ROTATION,
    /** A track was added or changed its codec or configuration: the next file starts at the next keyframe. */
    FORMAT_CHANGE,
    /**
     * The publisher stopped (an RTMP {@code deleteStream}, a publisher closed by the application),
     * another took the stream over, or the stream ended. A publisher that returns within the
     * stream's reconnect grace starts a new file.
     */
    STREAM_END,
    /**
     * The publisher's connection was lost (dropped, timed out) while it published. A publisher
     * that returns within the stream's reconnect grace starts a new file.
     */
    PUBLISHER_LOST,
    /** The application or an API call stopped the recording. */
    STOPPED,
    /** The server stopped; the file was finalised before {@code close()} returned. */
    SERVER_STOP,
    /** Writing failed (disk full, permission denied) or the recorder fell behind; see {@link RecordListener#onFailed}. */
    FAILURE,
    /** A file a crash left unfinished was finalised when the server started again. */
    RECOVERED
}
