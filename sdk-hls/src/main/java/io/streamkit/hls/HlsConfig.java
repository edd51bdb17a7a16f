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
 *   <tr><td>{@code sessionTtl}</td><td>{@value #DEFAULT_SESSION_TTL_SECONDS} s</td><td>how long a segment's signed URL stays valid from the segment's creation; at least {@link #minSessionTtl()}</td></tr>
 *   <tr><td>{@code onDemand}</td><td>off</td><td>every stream is segmented from its first frame, so the first player starts at once</td></tr>
 *   <tr><td>{@code viewerSessions}</td><td>on</td><td>each viewer authorised on the playlist gets a session that its segments and reloads are checked against</td></tr>
 *   <tr><td>{@code viewerTimeout}</td><td>{@value #DEFAULT_VIEWER_TIMEOUT_SECONDS} s, or three segment durations if longer</td><td>a viewer that fetched nothing for this long has stopped: its session ends and its stop is announced</td></tr>
 *   <tr><td>{@code maxViewers}</td><td>{@value #DEFAULT_MAX_VIEWERS}</td><td>sessions kept at once (a few hundred bytes each); past it a new viewer gets 503</td></tr>
 *   <tr><td>{@code maxViewersPerAddress}</td><td>{@value #DEFAULT_MAX_VIEWERS_PER_ADDRESS}</td><td>sessions of one client address at once: one address cannot take every session; a NAT of many viewers fits</td></tr>
 * </table>
 *
 * <p><b>Viewer sessions</b> (the default). A playlist request without a session passes the play
 * check ({@code onPlay}, protocol {@code hls}, with its query) and gets a multivariant playlist
 * of one variant, whose URI carries the new session ({@code name.m3u8?hs=...}); that media
 * playlist's segment URIs carry it too. Every reload and segment request is checked against the
 * session, so a copied segment URL without it is refused (403), a kicked session's next request
 * is refused, and a viewer is one client in {@code MediaServer.clients()} and one play and one
 * stop to the listeners, however many requests it makes. The session lives in the URL, not in a
 * cookie: it works behind proxies and in AVPlayer. With sessions off, segment URLs are signed
 * per segment instead and are the same for every viewer, which a CDN can cache.
 *
 * <p><b>Signed segment URLs.</b> Each segment's URL is signed once, when the segment is
 * made, and never changes while the playlist lists it (RFC 8216 6.2.1), so caches in front
 * of the server keep one copy per segment. It expires {@code sessionTtl} after the
 * segment's creation; {@link #minSessionTtl()} is how long a segment can stay listed or
 * fetchable with these settings, and a shorter {@code sessionTtl} is refused, so a player
 * never sees a listed segment refused as expired. That bound assumes segments no longer
 * than {@value #LONGEST_EXPECTED_GOP_SECONDS} s or the target duration, whichever is
 * longer (a segment lasts at least one GOP), and a publisher that keeps sending or
 * leaves: the playlist of a publisher that stalls without leaving stops changing, and its
 * segments expire {@code sessionTtl} after they were made.
 *
 * <p>A final class rather than a record, so that settings can be added without breaking
 * callers; made with its {@link Builder}.
 */
public final class HlsConfig {
    private final Duration segmentDuration;
    private final int playlistSize;
    private final int keptSegments;
    private final long maxStreamBytes;
    private final Duration sessionTtl;
    private final boolean onDemand;
    private final boolean programDateTime;
    private final Path directory;
    private final boolean viewerSessions;
    private final Duration viewerTimeout;
    private final int maxViewers;
    private final int maxViewersPerAddress;

    /** Default target segment duration in seconds. */
    public static final int DEFAULT_SEGMENT_SECONDS = 2;
    /** Default playlist length. */
    public static final int DEFAULT_PLAYLIST_SIZE = 6;
    /** Default segments kept beyond the playlist. */
    public static final int DEFAULT_KEPT_SEGMENTS = 6;
    /** Default memory per stream: 64 MiB, about 40 s of a 12 Mbps stream. */
    public static final long DEFAULT_MAX_STREAM_BYTES = 64L << 20;
    /** Default validity of signed segment URLs in seconds: an hour, far above {@link #minSessionTtl()} of the defaults. */
    public static final int DEFAULT_SESSION_TTL_SECONDS = 3600;
    /**
     * Longest GOP, in seconds, that {@link #minSessionTtl()} allows for: x264's default keyint
     * of 250 frames at 25 fps, what OBS sends with its keyframe interval left at auto. Segments
     * are cut at keyframes only, so with a GOP longer than the target a segment lasts a GOP.
     */
    public static final int LONGEST_EXPECTED_GOP_SECONDS = 10;
    /** Default idle time after which a viewer's session ends, in seconds: a player reloads every target duration, so 30 s of silence is a viewer gone. */
    public static final int DEFAULT_VIEWER_TIMEOUT_SECONDS = 30;
    /** Default sessions kept at once: 20,000 viewers, a few MiB; a playlist request past it gets 503. */
    public static final int DEFAULT_MAX_VIEWERS = 20_000;
    /** Default sessions of one address at once: RTMP's per-address connection limit, so one address cannot take every session. */
    public static final int DEFAULT_MAX_VIEWERS_PER_ADDRESS = 1_000;
    /** Shortest time an ended stream's playlist stays, in seconds: players polling it see EXT-X-ENDLIST. */
    public static final int MIN_ENDED_RETENTION_SECONDS = 30;
    /** Margin of {@link #minSessionTtl()} in seconds: a publisher's reconnect grace and a player's late fetch. */
    private static final int SESSION_TTL_MARGIN_SECONDS = 60;

    /**
     * Checks the settings, each and together.
     *
     * @param segmentDuration target segment duration
     * @param playlistSize playlist length
     * @param keptSegments extra segments kept
     * @param maxStreamBytes memory bound per stream
     * @param sessionTtl signed URL validity
     * @param onDemand segment only when asked
     * @param programDateTime add program date times
     * @param directory also write here, or {@code null}
     * @throws IllegalArgumentException when a setting is out of its range, or {@code sessionTtl}
     *     is below {@link #minSessionTtl()}
     */
    private HlsConfig(Duration segmentDuration, int playlistSize, int keptSegments, long maxStreamBytes,
                      Duration sessionTtl, boolean onDemand, boolean programDateTime, Path directory,
                      boolean viewerSessions, Duration viewerTimeout, int maxViewers, int maxViewersPerAddress) {
        checkSegmentDuration(segmentDuration);
        checkPlaylistSize(playlistSize);
        checkKeptSegments(keptSegments);
        checkMaxStreamBytes(maxStreamBytes);
        checkSessionTtl(sessionTtl);
        Duration min = minSessionTtl(segmentDuration, playlistSize, keptSegments);
        if (sessionTtl.compareTo(min) < 0) {
            throw new IllegalArgumentException("sessionTtl of " + sessionTtl.toSeconds() + " s is shorter than the "
                    + min.toSeconds() + " s a segment can stay listed or fetchable with " + playlistSize + " + "
                    + keptSegments + " segments of " + segmentDuration.toMillis() / 1000.0
                    + " s (at least one GOP of up to " + LONGEST_EXPECTED_GOP_SECONDS
                    + " s each); raise sessionTtl to " + min.toSeconds()
                    + " s or more, or shorten playlistSize, keptSegments or segmentDuration");
        }
        this.segmentDuration = segmentDuration;
        this.playlistSize = playlistSize;
        this.keptSegments = keptSegments;
        this.maxStreamBytes = maxStreamBytes;
        this.sessionTtl = sessionTtl;
        this.onDemand = onDemand;
        this.programDateTime = programDateTime;
        this.directory = directory;
        if (viewerTimeout == null) {   // not set: the default, raised to three segments for long segments
            viewerTimeout = Duration.ofSeconds(DEFAULT_VIEWER_TIMEOUT_SECONDS).compareTo(segmentDuration.multipliedBy(3)) >= 0
                    ? Duration.ofSeconds(DEFAULT_VIEWER_TIMEOUT_SECONDS) : segmentDuration.multipliedBy(3);
        } else if (viewerTimeout.compareTo(segmentDuration.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("viewerTimeout of " + viewerTimeout.toMillis() + " ms is shorter than three"
                    + " segment durations (" + segmentDuration.multipliedBy(3).toMillis() + " ms): a player reloading its"
                    + " playlist every target duration would lose its session; raise viewerTimeout");
        }
        this.viewerSessions = viewerSessions;
        this.viewerTimeout = viewerTimeout;
        this.maxViewers = maxViewers;
        this.maxViewersPerAddress = maxViewersPerAddress;
    }

    /**
     * Returns how many viewer sessions one client address may hold at once.
     *
     * @return the bound per address
     */
    public int maxViewersPerAddress() {
        return maxViewersPerAddress;
    }

    /**
     * Returns whether each viewer gets a session on its first playlist request.
     *
     * @return whether viewer sessions are on
     */
    public boolean viewerSessions() {
        return viewerSessions;
    }

    /**
     * Returns how long a viewer's session lives without a request.
     *
     * @return the idle timeout of sessions
     */
    public Duration viewerTimeout() {
        return viewerTimeout;
    }

    /**
     * Returns how many viewer sessions are kept at once.
     *
     * @return the bound on sessions
     */
    public int maxViewers() {
        return maxViewers;
    }

    /**
     * Returns the shortest {@code sessionTtl} these settings allow: how long a segment can stay
     * in the playlist or fetchable after it, each segment lasting the longer of the target
     * duration and {@value #LONGEST_EXPECTED_GOP_SECONDS} s, plus the {@link #endedRetention()}
     * of a stream that ended and a minute of margin.
     *
     * @return the bound that {@link Builder#build()} checks {@code sessionTtl} against
     */
    public Duration minSessionTtl() {
        return minSessionTtl(segmentDuration, playlistSize, keptSegments);
    }

    /**
     * Returns how long an ended stream's playlist, with EXT-X-ENDLIST, is still served before
     * its segments are released: twice the playlist's length in target durations, at least
     * {@value #MIN_ENDED_RETENTION_SECONDS} s. A publisher that returns meanwhile continues it.
     *
     * @return the retention after the end
     */
    public Duration endedRetention() {
        return endedRetention(segmentDuration, playlistSize);
    }

    private static Duration endedRetention(Duration segmentDuration, int playlistSize) {
        return longer(Duration.ofSeconds(MIN_ENDED_RETENTION_SECONDS), segmentDuration.multipliedBy(2L * playlistSize));
    }

    private static Duration minSessionTtl(Duration segmentDuration, int playlistSize, int keptSegments) {
        Duration longest = longer(segmentDuration, Duration.ofSeconds(LONGEST_EXPECTED_GOP_SECONDS));
        return longest.multipliedBy(playlistSize + keptSegments)
                .plus(endedRetention(segmentDuration, playlistSize))
                .plusSeconds(SESSION_TTL_MARGIN_SECONDS);
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration checkSegmentDuration(Duration segmentDuration) {
        Objects.requireNonNull(segmentDuration, "segmentDuration");
        if (segmentDuration.toMillis() < 500 || segmentDuration.toSeconds() > 60) {
            throw new IllegalArgumentException("segmentDuration " + segmentDuration + " outside 0.5-60 s");
        }
        return segmentDuration;
    }

    private static int checkPlaylistSize(int playlistSize) {
        if (playlistSize < 3 || playlistSize > 100) {
            throw new IllegalArgumentException("playlistSize " + playlistSize + " outside 3-100 (RFC 8216 6.2.2 wants 3)");
        }
        return playlistSize;
    }

    private static int checkKeptSegments(int keptSegments) {
        if (keptSegments < 0 || keptSegments > 100) {
            throw new IllegalArgumentException("keptSegments " + keptSegments + " outside 0-100");
        }
        return keptSegments;
    }

    private static long checkMaxStreamBytes(long maxStreamBytes) {
        if (maxStreamBytes < (1 << 20)) {
            throw new IllegalArgumentException("maxStreamBytes " + maxStreamBytes + " is below 1 MiB");
        }
        return maxStreamBytes;
    }

    private static Duration checkSessionTtl(Duration sessionTtl) {
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("sessionTtl " + sessionTtl + " is not above zero");
        }
        return sessionTtl;
    }

    /**
     * Returns the target segment duration.
     *
     * @return the target segment duration
     */
    public Duration segmentDuration() {
        return segmentDuration;
    }

    /**
     * Returns segments listed in the playlist.
     *
     * @return segments listed in the playlist
     */
    public int playlistSize() {
        return playlistSize;
    }

    /**
     * Returns segments kept after they leave the playlist.
     *
     * @return segments kept after they leave the playlist
     */
    public int keptSegments() {
        return keptSegments;
    }

    /**
     * Returns bytes of segments kept per stream at most.
     *
     * @return bytes of segments kept per stream at most
     */
    public long maxStreamBytes() {
        return maxStreamBytes;
    }

    /**
     * Returns validity of each segment's signed URL, from the segment's creation.
     *
     * @return validity of each segment's signed URL, from the segment's creation
     */
    public Duration sessionTtl() {
        return sessionTtl;
    }

    /**
     * Returns whether a stream is segmented only once a player asks for it.
     *
     * @return whether a stream is segmented only once a player asks for it
     */
    public boolean onDemand() {
        return onDemand;
    }

    /**
     * Returns whether segments carry EXT-X-PROGRAM-DATE-TIME.
     *
     * @return whether segments carry EXT-X-PROGRAM-DATE-TIME
     */
    public boolean programDateTime() {
        return programDateTime;
    }

    /**
     * Returns where playlists and segments are also written, or {@code null} for memory only .
     *
     * @return where playlists and segments are also written, or {@code null} for memory only 
     */
    public Path directory() {
        return directory;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HlsConfig o && Objects.equals(segmentDuration, o.segmentDuration)
                && playlistSize == o.playlistSize && keptSegments == o.keptSegments
                && maxStreamBytes == o.maxStreamBytes && Objects.equals(sessionTtl, o.sessionTtl)
                && onDemand == o.onDemand && programDateTime == o.programDateTime
                && Objects.equals(directory, o.directory) && viewerSessions == o.viewerSessions
                && Objects.equals(viewerTimeout, o.viewerTimeout) && maxViewers == o.maxViewers
                && maxViewersPerAddress == o.maxViewersPerAddress;
    }

    @Override
    public int hashCode() {
        return Objects.hash(segmentDuration, playlistSize, keptSegments, maxStreamBytes, sessionTtl, onDemand
                , programDateTime, directory, viewerSessions, viewerTimeout, maxViewers,
                maxViewersPerAddress);
    }

    @Override
    public String toString() {
        return "HlsConfig[" + "segmentDuration=" + segmentDuration + ", " + "playlistSize=" + playlistSize
                + ", " + "keptSegments=" + keptSegments + ", " + "maxStreamBytes=" + maxStreamBytes
                + ", " + "sessionTtl=" + sessionTtl + ", " + "onDemand=" + onDemand
                + ", " + "programDateTime=" + programDateTime + ", " + "directory=" + directory
                + ", viewerSessions=" + viewerSessions + ", viewerTimeout=" + viewerTimeout + ", maxViewers=" + maxViewers
                + ", maxViewersPerAddress=" + maxViewersPerAddress + "]";
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
        private boolean viewerSessions = true;
        private Duration viewerTimeout;   // null: the default, at least three segment durations
        private int maxViewers = DEFAULT_MAX_VIEWERS;
        private int maxViewersPerAddress = DEFAULT_MAX_VIEWERS_PER_ADDRESS;

        Builder() {
        }

        /**
         * Turns viewer sessions on or off: with them, a viewer's segment and reload requests are
         * checked against the session its authorised playlist request opened, and the viewer is a
         * client and a play to the listeners; without them, segment URLs are signed per segment and
         * cacheable by a CDN, and viewers are not counted.
         *
         * @param on whether viewers get sessions; default on
         * @return this builder
         */
        public Builder viewerSessions(boolean on) {
            this.viewerSessions = on;
            return this;
        }

        /**
         * Sets how long a viewer's session lives without a request; then it ends and its stop is
         * announced. {@link #build()} refuses less than three segment durations.
         *
         * @param timeout 1 s to 1 h; default {@value HlsConfig#DEFAULT_VIEWER_TIMEOUT_SECONDS} s, or three
         *     segment durations when that is longer
         * @return this builder
         */
        public Builder viewerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("viewerTimeout " + timeout + " must be between 1 s and 1 h");
            }
            this.viewerTimeout = timeout;
            return this;
        }

        /**
         * Sets how many viewer sessions are kept at once; a new viewer past it gets 503.
         *
         * @param max 1 to 10,000,000; default {@value HlsConfig#DEFAULT_MAX_VIEWERS}
         * @return this builder
         */
        public Builder maxViewers(int max) {
            if (max < 1 || max > 10_000_000) {
                throw new IllegalArgumentException("maxViewers " + max + " must be between 1 and 10000000");
            }
            this.maxViewers = max;
            return this;
        }

        /**
         * Sets how many viewer sessions one client address may hold at once; a new viewer past it
         * gets 503.
         *
         * @param max 1 to 10,000,000; default {@value HlsConfig#DEFAULT_MAX_VIEWERS_PER_ADDRESS}
         * @return this builder
         */
        public Builder maxViewersPerAddress(int max) {
            if (max < 1 || max > 10_000_000) {
                throw new IllegalArgumentException("maxViewersPerAddress " + max + " must be between 1 and 10000000");
            }
            this.maxViewersPerAddress = max;
            return this;
        }

        /**
         * Sets the target segment duration; segments are cut at the first keyframe past it.
         *
         * @param duration 0.5 to 60 s
         * @return this builder
         */
        public Builder segmentDuration(Duration duration) {
            this.segmentDuration = checkSegmentDuration(duration);
            return this;
        }

        /**
         * Sets how many segments the playlist lists.
         *
         * @param segments 3 to 100
         * @return this builder
         */
        public Builder playlistSize(int segments) {
            this.playlistSize = checkPlaylistSize(segments);
            return this;
        }

        /**
         * Sets how many segments stay fetchable after they leave the playlist.
         *
         * @param segments 0 to 100
         * @return this builder
         */
        public Builder keptSegments(int segments) {
            this.keptSegments = checkKeptSegments(segments);
            return this;
        }

        /**
         * Sets the memory bound per stream; past it the oldest segments are dropped.
         *
         * @param bytes at least 1 MiB
         * @return this builder
         */
        public Builder maxStreamBytes(long bytes) {
            this.maxStreamBytes = checkMaxStreamBytes(bytes);
            return this;
        }

        /**
         * Sets how long a segment's signed URL stays valid, from the segment's creation. The URL
         * is signed once and listed unchanged; {@link #build()} refuses a ttl below
         * {@link HlsConfig#minSessionTtl()}, the longest a segment can stay listed or fetchable.
         *
         * @param ttl above zero; with the other defaults at least 210 s
         * @return this builder
         */
        public Builder sessionTtl(Duration ttl) {
            this.sessionTtl = checkSessionTtl(ttl);
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
         * Creates the configuration, checking the settings together.
         *
         * @return the checked settings
         * @throws IllegalArgumentException when {@code sessionTtl} is below {@link HlsConfig#minSessionTtl()}
         *     of the other settings; the message names the bound and the settings to change
         */
        public HlsConfig build() {
            return new HlsConfig(segmentDuration, playlistSize, keptSegments, maxStreamBytes, sessionTtl, onDemand,
                    programDateTime, directory, viewerSessions, viewerTimeout, maxViewers, maxViewersPerAddress);
        }
    }
}
