package io.streamkit.format.fmp4;

import io.streamkit.stream.StreamKey;
import io.streamkit.stream.Track;
import io.streamkit.stream.TrackFormat;
import io.streamkit.stream.TrackStats;

/** A track read from a file: its id and format; nothing is published on it. */
record FileTrack(int id, TrackFormat format) implements Track {
    private static final StreamKey KEY = StreamKey.of("file", "mp4");

    @Override
    public StreamKey stream() {
        return KEY;
    }

    @Override
    public TrackStats stats() {
        return new TrackStats(0, 0, 0, 0, 0);
    }
}
