package io.streamkit.stream;

/**
 * A snapshot of one track's ingest counters.
 *
 * @param frames frames written since the track was created
 * @param keyframes keyframes among them
 * @param bytes payload bytes among them
 * @param bitsPerSecond payload bitrate over the last full measuring window of about one second
 * @param timestampCorrections frames whose dts the engine had to correct (a backward step,
 *     a jump beyond the stream's limit, or a 32-bit wrap)
 */
public record TrackStats(long frames, long keyframes, long bytes, long bitsPerSecond, long timestampCorrections) {
}
