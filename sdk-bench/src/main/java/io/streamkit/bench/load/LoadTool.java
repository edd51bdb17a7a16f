package io.streamkit.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The fan-out load tool: N players against a live stream over RTMP, HTTP-FLV and/or RTSP, ramped
 * at a given rate, every message parsed, a summary line every few seconds and at the end.
 *
 * <pre>
 * java -cp sdk-bench/target/benchmarks.jar io.streamkit.bench.load.LoadTool \
 *     --url rtmp://127.0.0.1:1935/live/demo [--url http://127.0.0.1:8080/live/demo.flv] \
 *     [--url rtsp://127.0.0.1:8554/live/demo] [--rtsp-share 0.5] \
 *     [--http-share 0.5] [--players 100] [--rate 200] [--duration 30] [--threads 1] \
 *     [--report 5] [--csv players.csv] [--publish source.flv]
 * </pre>
 *
 * <p>The last line printed starts with {@code FINAL} and holds {@code key=value} pairs for
 * scripts (compare.sh reads it). The run ends by itself after {@code --duration} seconds,
 * counted from the first connect; the exit status is 0 when at least one player received a
 * keyframe and no player failed (and, with {@code --publish}, the publisher did not), 1
 * otherwise, 2 on a usage error.
 *
 * <p>With {@code --publish} the tool is also the stream's publisher ({@link RtmpPublishHandler}
 * on an event loop of its own, so that the players' work delays its sends as little as the
 * cores allow) and the players start once the server has accepted the publish. Each player
 * looks up the send time of every video frame it receives ({@link SendTimes}) and counts the
 * latency in its event loop's {@link LatencyHistogram}. A publisher that fails or is closed
 * ends the run at once, with the reason on stderr.
 */
public final class LoadTool {
    /** Set when the run is ending, so that the closes we cause are not counted as failures. */
    static volatile boolean stopping;
    /** How long the server may take, after the publisher's TCP connect, to answer publish: handshake, connect, createStream, publish. */
    static final int PUBLISH_START_TIMEOUT_SECONDS = 10;
    /** Longest wait for the warm-up players' keyframes. */
    static final int WARMUP_KEYFRAME_SECONDS = 5;
    /** How long the warm-up players play after their keyframes. */
    static final int WARMUP_PLAY_SECONDS = 2;

    private LoadTool() {
    }

    /**
     * Runs the tool.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    static int run(LoadOptions o) throws InterruptedException, IOException {
        FlvFile source = null;
        if (o.publish() != null) {
            try {
                source = FlvFile.read(o.publish());
            } catch (IOException | RuntimeException e) {
                System.err.println("--publish " + o.publish() + ": " + e.getMessage());
                return 1;
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(o.threads(), NioIoHandler.newFactory());
        EventLoopGroup publishGroup = source == null ? null : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SendTimes sendTimes = source == null ? null : new SendTimes();
        Map<EventLoop, LatencyHistogram> latencies = new ConcurrentHashMap<>();
        PlayerStats[] players = new PlayerStats[o.players()];
        List<Channel> channels = new ArrayList<>(o.players());
        RtmpPublishHandler publisher = null;
        Channel publishChannel = null;
        try {
            if (source != null) {
                RtmpPath target = RtmpPath.of(o.rtmpUrl());
                publisher = new RtmpPublishHandler(source, target.app(), target.tcUrl(), target.name(), sendTimes);
                publishChannel = publish(publishGroup, o, publisher);
                if (!awaitPublishStart(publisher, o)) {
                    return 1;
                }
                Thread main = Thread.currentThread();
                publisher.failure().thenRun(() -> LockSupport.unpark(main));
            }
            if (o.warmupPlayers() > 0) {
                warmUp(group, o);
            }
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(o.durationSeconds());
            long nextReport = start + TimeUnit.SECONDS.toNanos(o.reportSeconds());
            Reporter reporter = new Reporter(players, start, source == null ? null : latencies.values());
            for (int i = 0; i < o.players(); i++) {
                long due = start + (long) (i * 1e9 / o.rate());
                while (!failed(publisher)) {
                    long now = System.nanoTime();
                    if (now >= nextReport) {
                        System.out.println(reporter.line("", now, false));
                        nextReport += TimeUnit.SECONDS.toNanos(o.reportSeconds());
                    }
                    if (now >= due || now >= end) {
                        break;
                    }
                    LockSupport.parkNanos(Math.min(due, nextReport) - now);
                }
                if (System.nanoTime() >= end || failed(publisher)) {
                    break;
                }
                // Bresenham-style mix: player i is RTSP or HTTP-FLV when the running shares say so
                String protocol = o.protocol(i);
                URI url = o.url(protocol);
                PlayerStats stats = new PlayerStats(i, protocol);
                players[i] = stats;
                channels.add(connect(group, url, stats, o, sendTimes, latencies));
            }
            reporter.rampEnded(System.nanoTime());
            while (!failed(publisher)) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (now >= nextReport) {
                    System.out.println(reporter.line("", now, false));
                    nextReport += TimeUnit.SECONDS.toNanos(o.reportSeconds());
                }
                LockSupport.parkNanos(Math.min(end, nextReport) - now);
            }
            long stoppedAt = System.nanoTime();
            // decided here: once we stop, the closes we cause are not failures
            String publishFailure = failed(publisher) ? publisher.failure().getNow("") : null;
            if (publishFailure != null) {
                System.err.printf(Locale.ROOT, "publisher failed at t=%.1fs, ending the run: %s%n",
                        (stoppedAt - start) / 1e9, publishFailure);
            }
            reporter.freezeBytes();
            stopping = true;
            for (Channel c : channels) {
                c.close();
            }
            if (publishChannel != null) {
                publishChannel.close();
                publishGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            String finalLine = reporter.line("FINAL ", stoppedAt, true);
            if (o.csv() != null) {
                try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(o.csv()))) {
                    w.println(PlayerStats.CSV_HEADER);
                    for (PlayerStats p : players) {
                        if (p != null) {
                            w.println(p.csvLine());
                        }
                    }
                }
            }
            String rtsp = rtspLine(players);
            if (rtsp != null) {
                System.out.println(rtsp);
            }
            if (publisher != null) {
                System.out.printf(Locale.ROOT,
                        "PUBLISH video_frames=%d audio_messages=%d bytes=%d loops=%d late_max_ms=%.1f status=%s%n",
                        publisher.videoFrames, publisher.audioMessages, publisher.bytes, publisher.loops(),
                        publisher.maxLateNanos / 1e6, publishFailure != null ? "failed" : "ok");
            }
            System.out.println(finalLine);
            return publishFailure == null && reporter.failed == 0 && reporter.withKeyframe > 0 ? 0 : 1;
        } finally {
            stopping = true;
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (publishGroup != null) {
                publishGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The RTSP players' totals, or {@code null} without any: RTP packets and bytes (what
     * {@code bytes} counts for them), RTCP packets, every byte read, RTP packets missing from
     * the sequence numbers (the server did not send them: frames it skipped for a slow player)
     * and changes of a track's SSRC within a session.
     */
    private static String rtspLine(PlayerStats[] players) {
        int n = 0;
        long packets = 0;
        long bytes = 0;
        long rtcp = 0;
        long wire = 0;
        long lost = 0;
        int losing = 0;
        long ssrcChanges = 0;
        for (PlayerStats p : players) {
            if (p != null && p.protocol.equals("rtsp")) {
                n++;
                packets += p.messages;
                bytes += p.bytes;
                rtcp += p.rtspRtcpPackets;
                wire += p.rtspWireBytes;
                lost += p.rtspLostPackets;
                losing += p.rtspLostPackets > 0 ? 1 : 0;
                ssrcChanges += p.rtspSsrcChanges;
            }
        }
        return n == 0 ? null : String.format(Locale.ROOT,
                "RTSP players=%d rtp_packets=%d rtp_bytes=%d rtcp_packets=%d wire_bytes=%d lost_packets=%d players_losing=%d"
                        + " ssrc_changes=%d",
                n, packets, bytes, rtcp, wire, lost, losing, ssrcChanges);
    }

    private static boolean failed(RtmpPublishHandler publisher) {
        return publisher != null && publisher.failure().isDone();
    }

    /** Waits for NetStream.Publish.Start; false, with the reason on stderr, when it does not come. */
    private static boolean awaitPublishStart(RtmpPublishHandler publisher, LoadOptions o) throws InterruptedException {
        long timeout = o.connectTimeoutMillis() + TimeUnit.SECONDS.toMillis(PUBLISH_START_TIMEOUT_SECONDS);
        try {
            publisher.started().get(timeout, TimeUnit.MILLISECONDS);
            System.err.println("publishing " + o.publish() + " to " + o.rtmpUrl());
            return true;
        } catch (ExecutionException e) {
            System.err.println("publisher failed before NetStream.Publish.Start: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            System.err.println("publisher: no NetStream.Publish.Start within " + timeout + " ms");
        }
        return false;
    }

    private static Bootstrap bootstrap(EventLoopGroup group, LoadOptions o) {
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, o.connectTimeoutMillis());
    }

    /**
     * The address a player connects from: against a loopback server, one of {@value #LOOPBACK_SOURCES}
     * loopback addresses in turn, as an audience comes from many addresses (a server limits the
     * connections of one address, 1,000 by default); else the system's choice.
     */
    private static java.net.SocketAddress localAddress(URI url, int id) {
        String host = url.getHost();
        if (host != null && host.startsWith("127.")) {
            return new java.net.InetSocketAddress("127.0.0." + (1 + Math.floorMod(id, LOOPBACK_SOURCES)), 0);
        }
        return null;
    }

    /** Loopback source addresses: 64 x 1,000 players fit any per-address limit's default. */
    private static final int LOOPBACK_SOURCES = 64;

    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : url.getScheme().startsWith("http") ? 80
                : url.getScheme().equals("rtsp") ? 554 : 1935;
    }

    private static Channel publish(EventLoopGroup group, LoadOptions o, RtmpPublishHandler publisher) {
        URI url = o.rtmpUrl();
        int max = RtmpPublishHandler.MAX_QUEUED_BYTES;
        ChannelFuture f = bootstrap(group, o)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(max / 2, max))
                .handler(publisher)
                .connect(url.getHost(), port(url));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                publisher.failed("connect: " + done.cause());
            }
        });
        return f.channel();
    }

    /**
     * Plays the stream with unmeasured players until each has a keyframe (at most
     * {@value #WARMUP_KEYFRAME_SECONDS} s) and {@value #WARMUP_PLAY_SECONDS} s more, then closes
     * them, so the measured players do not pay for this JVM's class loading and compilation.
     */
    private static void warmUp(EventLoopGroup group, LoadOptions o) throws InterruptedException {
        PlayerStats[] warm = new PlayerStats[o.warmupPlayers()];
        List<Channel> channels = new ArrayList<>(warm.length);
        for (int i = 0; i < warm.length; i++) {
            String protocol = warmupProtocol(o, i);
            warm[i] = new PlayerStats(-1 - i, protocol);
            channels.add(connect(group, o.url(protocol), warm[i], o, null, new ConcurrentHashMap<>()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARMUP_KEYFRAME_SECONDS);
        while (System.nanoTime() < deadline && !Arrays.stream(warm).allMatch(p -> p.firstKeyframeNanos != 0)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(WARMUP_PLAY_SECONDS));
        long withKeyframe = Arrays.stream(warm).filter(p -> p.firstKeyframeNanos != 0).count();
        for (Channel c : channels) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        System.out.println("WARMUP players=" + warm.length + " keyframe=" + withKeyframe);
    }

    /**
     * A warm-up player's protocol: RTSP for all when all players are, for every other one when
     * some are; the others alternate RTMP and HTTP-FLV when both URLs are given.
     */
    private static String warmupProtocol(LoadOptions o, int i) {
        boolean mixed = o.rtspShare() > 0 && o.rtspShare() < 1;
        if (o.rtspShare() >= 1 || mixed && i % 2 == 0) {
            return "rtsp";
        }
        int k = mixed ? i / 2 : i;
        return o.httpUrl() != null && (o.rtmpUrl() == null || k % 2 == 1) ? "http-flv" : "rtmp";
    }

    private static Channel connect(EventLoopGroup group, URI url, PlayerStats stats, LoadOptions o,
                                   SendTimes sendTimes, Map<EventLoop, LatencyHistogram> latencies) {
        boolean http = url.getScheme().startsWith("http");
        boolean rtsp = url.getScheme().equals("rtsp");
        int port = port(url);
        Bootstrap b = bootstrap(group, o)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // RTP carries presentation times, not the publisher's RTMP timestamps: RTSP players are not timed
                        if (sendTimes != null && !rtsp) {   // one histogram per event loop: its players record there, unshared
                            stats.latency = sendTimes.cursor(
                                    latencies.computeIfAbsent(ch.eventLoop(), l -> new LatencyHistogram()));
                        }
                        if (rtsp) {
                            ch.pipeline().addLast(new RtspPlayHandler(stats, url));
                        } else if (http) {
                            ch.pipeline().addLast(new HttpFlvPlayHandler(stats, url.getHost() + ":" + port, url.getRawPath()));
                        } else {
                            RtmpPath p = RtmpPath.of(url);
                            ch.pipeline().addLast(new RtmpPlayHandler(stats, p.app(), p.tcUrl(), p.name()));
                        }
                    }
                });
        stats.startNanos = System.nanoTime();
        ChannelFuture f = b.connect(new java.net.InetSocketAddress(url.getHost(), port), localAddress(url, stats.id));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                stats.fail("connect: " + done.cause());
            }
        });
        return f.channel();
    }

    /** What an rtmp://host[:port]/app/name URL names: the app (which may hold slashes), the stream and the tcUrl. */
    record RtmpPath(String app, String name, String tcUrl) {
        static RtmpPath of(URI url) {
            String path = url.getRawPath().substring(1);
            int slash = path.lastIndexOf('/');
            String app = path.substring(0, slash);
            return new RtmpPath(app, path.substring(slash + 1), "rtmp://" + url.getHost() + ":" + port(url) + "/" + app);
        }
    }

    /**
     * Builds the summary lines; percentiles by sorting a reused array. With latencies, the
     * per event loop histograms are summed into a reused one: over the run for the last line,
     * over the interval since the previous line otherwise.
     */
    static final class Reporter {
        private final PlayerStats[] players;
        private final long start;
        private final long[] scratch;
        private final Collection<LatencyHistogram> latencies;
        private final LatencyHistogram total = new LatencyHistogram();
        private final LatencyHistogram previous = new LatencyHistogram();
        private final LatencyHistogram interval = new LatencyHistogram();
        private long rampEnd;
        private long lastBytes;
        private long lastNanos;
        private long bytesAtRampEnd;
        private long frozenBytes = -1;
        int failed;
        int withKeyframe;

        /**
         * Starts the summary at {@code start}.
         *
         * @param latencies the players' histograms, or {@code null} when the tool does not publish
         */
        Reporter(PlayerStats[] players, long start, Collection<LatencyHistogram> latencies) {
            this.players = players;
            this.start = start;
            this.latencies = latencies;
            this.scratch = new long[players.length];
            this.lastNanos = start;
        }

        void rampEnded(long now) {
            rampEnd = now;
            bytesAtRampEnd = totalBytes();
        }

        void freezeBytes() {
            frozenBytes = totalBytes();
        }

        private long totalBytes() {
            long sum = 0;
            for (PlayerStats p : players) {
                if (p != null) {
                    sum += p.bytes;
                }
            }
            return sum;
        }

        String line(String prefix, long now, boolean last) {
            int started = 0;
            int connected = 0;
            failed = 0;
            for (PlayerStats p : players) {
                if (p == null) {
                    continue;
                }
                started++;
                if (p.failed) {
                    failed++;
                } else if (p.connectedNanos != 0 && (last || !p.closed)) {
                    connected++;
                }
            }
            int n = 0;
            for (PlayerStats p : players) {
                if (p != null && p.firstKeyframeNanos != 0) {
                    scratch[n++] = p.firstKeyframeNanos - p.startNanos;
                }
            }
            withKeyframe = n;
            double[] ttfk = percentiles(scratch, n);
            n = 0;
            for (PlayerStats p : players) {
                if (p != null && p.firstMediaNanos != 0 && !p.failed) {
                    scratch[n++] = p.maxLagNanos;
                }
            }
            double[] lag = percentiles(scratch, n);
            n = 0;
            for (PlayerStats p : players) {
                if (p != null && p.firstMediaNanos != 0 && !p.failed) {
                    scratch[n++] = p.lagNanos;
                }
            }
            double[] lagNow = percentiles(scratch, n);
            long bytes = last && frozenBytes >= 0 ? frozenBytes : totalBytes();
            double mbps;
            double steadyMbps;
            if (last) {
                mbps = bytes * 8 / ((now - start) / 1e9) / 1e6;
                long window = now - (rampEnd == 0 ? start : rampEnd);
                steadyMbps = window > 0 ? (bytes - bytesAtRampEnd) * 8 / (window / 1e9) / 1e6 : 0;
            } else {
                mbps = (bytes - lastBytes) * 8 / ((now - lastNanos) / 1e9) / 1e6;
                steadyMbps = mbps;
            }
            lastBytes = bytes;
            lastNanos = now;
            return String.format(Locale.ROOT,
                    "%st=%.1fs players=%d connected=%d failed=%d keyframe=%d ttfk_p50_ms=%.1f ttfk_p99_ms=%.1f ttfk_max_ms=%.1f"
                            + " mbps=%.2f steady_mbps=%.2f bytes=%d maxlag_p50_ms=%.1f maxlag_p99_ms=%.1f maxlag_max_ms=%.1f"
                            + " lag_now_p99_ms=%.1f lag_now_max_ms=%.1f",
                    prefix, (now - start) / 1e9, started, connected, failed, withKeyframe,
                    ttfk[0], ttfk[1], ttfk[2], mbps, steadyMbps, bytes, lag[0], lag[1], lag[2], lagNow[1], lagNow[2])
                    + latency(last);
        }

        private String latency(boolean last) {
            if (latencies == null) {
                return "";
            }
            total.clear();
            for (LatencyHistogram h : latencies) {
                total.add(h);
            }
            LatencyHistogram h = total;
            if (!last) {
                interval.setToDifference(total, previous);
                previous.clear();
                previous.add(total);
                h = interval;
            }
            return String.format(Locale.ROOT, " lat_p50_ms=%.2f lat_p99_ms=%.2f lat_max_ms=%.2f lat_samples=%d",
                    h.percentileMillis(0.50), h.percentileMillis(0.99), h.count() == 0 ? Double.NaN : h.maxNanos() / 1e6,
                    h.count());
        }

        /** p50, p99 and max in milliseconds (nearest rank), NaN when empty. */
        private static double[] percentiles(long[] values, int n) {
            if (n == 0) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN};
            }
            Arrays.sort(values, 0, n);
            return new double[] {
                values[rank(n, 0.50)] / 1e6, values[rank(n, 0.99)] / 1e6, values[n - 1] / 1e6};
        }

        private static int rank(int n, double q) {
            return Math.max(0, Math.min(n - 1, (int) Math.ceil(q * n) - 1));
        }
    }
}
