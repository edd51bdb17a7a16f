package io.streamkit.hls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * HLS settings, built with {@link Builder} inside {@code MediaServer.builder().hls(h -> h.segmentDuration(...))}.
 * Playlists and segments are served from memory on the HTTP port at
 * {@code /{app}/{name}.m3u8}; writing them to a directory as well is optional.
 *
 * <table>
 *   <caption>Settings and their defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code segmentDuration}</td><td>{@value #DEFAULT_SEGMENT_SECONDS} s</td><td>low latency with the usual 2 s GOP; segments are cut at the first keyframe past it</td></tr>
 *   <tr><td>{@code playlistSize}</td><td>{@value #DEFAULT_PLAYLIST_SIZE} segments</td><td>RFC 8216 6.2.2 wants at least three target durations; six give players room</td></tr>
 *   <tr><td>{@code keptSegments}</td><td>{@value #DEFAULT_KEPT_SEGMENTS} more</td><td>a player that fetched the playlist just before a segment left it can still get the segment</td></tr>
 *   <tr><td>{@code maxStreamBytes}</td><td>{@value #DEFAULT_MAX_STREAM_BYTES} bytes</td><td>memory per stream is bounded whatever the bitrate: the oldest segments go first</td></tr>
 *   <tr><td>{@code sessionTtl}</td><td>{@value #DEFAULT_SESSION_TTL_SECONDS} s</td><td>how long a signed segment URL from an authorised playlist stays valid</td></tr>
 *   <tr><td>{@code onDemand}</td><td>off</td><td>every stream is segmented from its first frame, so the first player starts at once</td></tr>
 * </table>
 *
 * @param segmentDuration the target segment duration
 * @param playlistSize segments listed in the playlist
 * @param keptSegments segments kept after they leave the playlist
 * @param maxStreamBytes bytes of segments kept per stream at most
 * @param sessionTtl validity of the signed segment URLs a playlist hands out
 * @param onDemand whether a stream is segmented only once a player asks for it
 * @param programDateTime whether segments carry EXT-X-PROGRAM-DATE-TIME
 * @param directory where playlists and segments are also written, or {@code null} for memory only
 */
public record HlsConfig(Duration segmentDuration, int playlistSize, int keptSegments, long maxStreamBytes,
                        Duration sessionTtl, boolean onDemand, boolean programDateTime, Path directory) {

    /** Default target segment duration in seconds. */
    public static final int DEFAULT_SEGMENT_SECONDS = 2;
    /** Default playlist length. */
    public static final int DEFAULT_PLAYLIST_SIZE = 6;
    /** Default segments kept beyond the playlist. */
    public static final int DEFAULT_KEPT_SEGMENTS = 6;
    /** Default memory per stream: 64 MiB, about 40 s of a 12 Mbps stream. */
    public static final long DEFAULT_MAX_STREAM_BYTES = 64L << 20;
    /** Default validity of signed segment URLs in seconds. */
    public static final int DEFAULT_SESSION_TTL_SECONDS = 3600;

    /**
     * Checks the settings.
     *
     * @param segmentDuration target segment duration
     * @param playlistSize playlist length
     * @param keptSegments extra segments kept
     * @param maxStreamBytes memory bound per stream
     * @param sessionTtl signed URL validity
     * @param onDemand segment only when asked
     * @param programDateTime add program date times
     * @param directory also write here, or {@code null}
     */
    public HlsConfig {
        Objects.requireNonNull(segmentDuration, "segmentDuration");
        if (segmentDuration.toMillis() < 500 || segmentDuration.toSeconds() > 60) {
            throw new IllegalArgumentException("segmentDuration " + segmentDuration + " outside 0.5-60 s");
        }
        if (playlistSize < 3 || playlistSize > 100) {
            throw new IllegalArgumentException("playlistSize " + playlistSize + " outside 3-100 (RFC 8216 6.2.2 wants 3)");
        }
        if (keptSegments < 0 || keptSegments > 100) {
            throw new IllegalArgumentException("keptSegments " + keptSegments + " outside 0-100");
        }
        if (maxStreamBytes < (1 << 20)) {
            throw new IllegalArgumentException("maxStreamBytes " + maxStreamBytes + " is below 1 MiB");
        }
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        if (sessionTtl.toSeconds() < 10) {
            throw new IllegalArgumentException("sessionTtl " + sessionTtl + " is below 10 s");
        }
    }

    /**
     * Starts a configuration with the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects {@link HlsConfig}'s settings; each setter checks its argument at once. */
    public static final class Builder {
        private Duration segmentDuration = Duration.ofSeconds(DEFAULT_SEGMENT_SECONDS);
        private int playlistSize = DEFAULT_PLAYLIST_SIZE;
        private int keptSegments = DEFAULT_KEPT_SEGMENTS;
        private long maxStreamBytes = DEFAULT_MAX_STREAM_BYTES;
        private Duration sessionTtl = Duration.ofSeconds(DEFAULT_SESSION_TTL_SECONDS);
        private boolean onDemand;
        private boolean programDateTime;
        private Path directory;

        Builder() {
        }

        /**
         * Sets the target segment duration; segments are cut at the first keyframe past it.
         *
         * @param duration 0.5 to 60 s
         * @return this builder
         */
        public Builder segmentDuration(Duration duration) {
            this.segmentDuration = duration;
            build();
            return this;
        }

        /**
         * Sets how many segments the playlist lists.
         *
         * @param segments 3 to 100
         * @return this builder
         */
        public Builder playlistSize(int segments) {
            this.playlistSize = segments;
            build();
            return this;
        }

        /**
         * Sets how many segments stay fetchable after they leave the playlist.
         *
         * @param segments 0 to 100
         * @return this builder
         */
        public Builder keptSegments(int segments) {
            this.keptSegments = segments;
            build();
            return this;
        }

        /**
         * Sets the memory bound per stream; past it the oldest segments are dropped.
         *
         * @param bytes at least 1 MiB
         * @return this builder
         */
        public Builder maxStreamBytes(long bytes) {
            this.maxStreamBytes = bytes;
            build();
            return this;
        }

        /**
         * Sets how long the signed segment URLs of an authorised playlist stay valid.
         *
         * @param ttl at least 10 s
         * @return this builder
         */
        public Builder sessionTtl(Duration ttl) {
            this.sessionTtl = ttl;
            build();
            return this;
        }

        /**
         * Segments a stream only once a player asks for its playlist (the first player waits
         * for a segment), instead of every stream from its first frame.
         *
         * @param on whether to segment on demand
         * @return this builder
         */
        public Builder onDemand(boolean on) {
            this.onDemand = on;
            return this;
        }

        /**
         * Adds EXT-X-PROGRAM-DATE-TIME to each segment: the wall-clock time of its first frame.
         *
         * @param on whether to add them
         * @return this builder
         */
        public Builder programDateTime(boolean on) {
            this.programDateTime = on;
            return this;
        }

        /**
         * Also writes playlists and segments under a directory ({@code dir/app/name.m3u8},
         * {@code dir/app/name/N.ts}), for deployments that serve files elsewhere. Writes happen
         * off the event loops.
         *
         * @param dir the directory; created if missing
         * @return this builder
         */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Creates the configuration.
         *
         * @return the checked settings
         */
        public HlsConfig build() {
            return new HlsConfig(segmentDuration, playlistSize, keptSegments, maxStreamBytes, sessionTtl, onDemand,
                    programDateTime, directory);
        }
    }
}
