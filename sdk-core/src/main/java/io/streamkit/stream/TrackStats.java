package io.streamkit.stream;

/**
 * A snapshot of one track's ingest counters.
 *
 * @param frames frames written since the track was created
 * @param keyframes keyframes among them
 * @param bytes payload bytes among them
 * @param bitsPerSecond payload bitrate over the last full measuring window of about one second
 * @param timestampCorrections frames whose dts the engine had to repair: a step back (jitter
 *     nudged forward, or a clock jump rebased), a forward jump beyond the stream's limit, a
 *     repeated (zero or constant) timestamp timed by frame interval and arrival, or a 32-bit wrap
 */
public record TrackStats(long frames, long keyframes, long bytes, long bitsPerSecond, long timestampCorrections) {
}
