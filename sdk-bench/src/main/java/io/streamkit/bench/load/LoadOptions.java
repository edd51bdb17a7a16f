package io.streamkit.bench.load;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** The load tool's command line, checked at once. */
record LoadOptions(URI rtmpUrl, URI httpUrl, double httpShare, int players, double rate, int durationSeconds,
                   int threads, int reportSeconds, Path csv, int connectTimeoutMillis, Path publish,
                   int warmupPlayers, URI rtspUrl, double rtspShare) {

    static final String USAGE = """
            usage: LoadTool --url rtmp://host:port/app/name [--url http://host:port/app/name.flv]
                            [--url rtsp://host:port/app/name]
                            [--http-share F]   fraction of players on HTTP-FLV, 0-1 (default: 0.5 with both
                                               URLs, otherwise all players on the one given); of the
                                               players not on RTSP
                            [--rtsp-share F]   fraction of players on RTSP (TCP interleaved), 0-1 (default:
                                               1 / the number of URLs given with an rtsp:// one, else 0)
                            [--players N]      default 100
                            [--rate R]         players started per second, default 200
                            [--duration S]     seconds from the first connect to the end, default 30
                            [--threads T]      client event loop threads (NIO), default 1
                            [--report S]       seconds between summary lines, default 5
                            [--csv FILE]       one line per player at the end
                            [--connect-timeout MS] default 5000
                            [--warmup-players K] before the measured ramp, K unmeasured players play
                                               until each has a keyframe (at most 5 s) and 2 s more,
                                               then leave: the tool's own JIT warm-up stays out of
                                               the connect and first-keyframe times; default 0
                            [--publish FILE.flv] publish FILE to the rtmp:// URL in real time, looped, with
                                               the tool's own RTMP client, before the players start; the
                                               summary lines then add lat_p50_ms lat_p99_ms lat_max_ms
                                               lat_samples: per video frame received, the time from just
                                               before the publisher wrote it to the player having all of
                                               it. Counted per player from 2 s after its first keyframe
                                               (frames sent earlier, GOP cache included, never count);
                                               periodic lines over their interval, FINAL over the run.
                                               The run fails (status 1) if the publisher's connection
                                               fails or closes.""";

    static LoadOptions parse(String[] args) {
        URI rtmp = null;
        URI http = null;
        Double share = null;
        int players = 100;
        double rate = 200;
        int duration = 30;
        int threads = 1;
        int report = 5;
        Path csv = null;
        int connectTimeout = 5000;
        Path publish = null;
        int warmupPlayers = 0;
        URI rtsp = null;
        Double rtspShare = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--url" -> {
                    URI u = URI.create(v);
                    if ("rtmp".equals(u.getScheme())) {
                        rtmp = checkPath(u, 2);
                    } else if ("http".equals(u.getScheme())) {
                        if (!u.getPath().endsWith(".flv")) {
                            throw new IllegalArgumentException("HTTP-FLV URL " + v + " must end in .flv");
                        }
                        http = checkPath(u, 2);
                    } else if ("rtsp".equals(u.getScheme())) {
                        rtsp = checkPath(u, 2);
                    } else {
                        throw new IllegalArgumentException("URL " + v + ": only rtmp://, http:// and rtsp:// are supported");
                    }
                }
                case "--http-share" -> share = range(a, Double.parseDouble(v), 0, 1);
                case "--rtsp-share" -> rtspShare = range(a, Double.parseDouble(v), 0, 1);
                case "--players" -> players = (int) range(a, Integer.parseInt(v), 1, 1_000_000);
                case "--rate" -> rate = range(a, Double.parseDouble(v), 0.001, 1_000_000);
                case "--duration" -> duration = (int) range(a, Integer.parseInt(v), 1, 86_400);
                case "--threads" -> threads = (int) range(a, Integer.parseInt(v), 1, 1024);
                case "--report" -> report = (int) range(a, Integer.parseInt(v), 1, 3600);
                case "--csv" -> csv = Path.of(v);
                case "--connect-timeout" -> connectTimeout = (int) range(a, Integer.parseInt(v), 1, 600_000);
                case "--warmup-players" -> warmupPlayers = (int) range(a, Integer.parseInt(v), 0, 1000);
                case "--publish" -> {
                    publish = Path.of(v);
                    if (!Files.isReadable(publish) || Files.isDirectory(publish)) {
                        throw new IllegalArgumentException("--publish " + v + ": not a readable file");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (rtmp == null && http == null && rtsp == null) {
            throw new IllegalArgumentException("give at least one --url");
        }
        int urls = (rtmp != null ? 1 : 0) + (http != null ? 1 : 0) + (rtsp != null ? 1 : 0);
        double r = rtspShare != null ? rtspShare : rtsp != null ? 1.0 / urls : 0;
        if (r > 0 && rtsp == null) {
            throw new IllegalArgumentException("--rtsp-share " + r + " needs an rtsp:// --url");
        }
        double s = share != null ? share : rtmp != null && http != null ? 0.5 : http != null ? 1 : 0;
        if (r < 1) {   // some players are not on RTSP
            if (s > 0 && http == null) {
                throw new IllegalArgumentException("--http-share " + s + " needs an http:// --url");
            }
            if (s < 1 && rtmp == null) {
                throw new IllegalArgumentException("--http-share " + s + " needs an rtmp:// --url"
                        + (rtsp != null ? " (or --rtsp-share 1)" : ""));
            }
        }
        if (publish != null && rtmp == null) {
            throw new IllegalArgumentException("--publish needs an rtmp:// --url to publish to");
        }
        return new LoadOptions(rtmp, http, s, players, rate, duration, threads, report, csv, connectTimeout, publish,
                warmupPlayers, rtsp, r);
    }

    /**
     * The protocol of player {@code i}: {@code rtsp}, {@code http-flv} or {@code rtmp}, spread
     * evenly through the ramp (Bresenham-style: player i takes RTSP when the running share says
     * so, and of the others HTTP-FLV when their running share says so).
     */
    String protocol(int i) {
        if (Math.floor((i + 1) * rtspShare) > Math.floor(i * rtspShare)) {
            return "rtsp";
        }
        int j = i - (int) Math.floor(i * rtspShare);   // players before i not on RTSP
        return Math.floor((j + 1) * httpShare) > Math.floor(j * httpShare) ? "http-flv" : "rtmp";
    }

    /** The URL of a protocol {@link #protocol} names. */
    URI url(String protocol) {
        return switch (protocol) {
            case "rtsp" -> rtspUrl;
            case "http-flv" -> httpUrl;
            default -> rtmpUrl;
        };
    }

    private static URI checkPath(URI u, int segments) {
        String path = u.getRawPath();
        if (u.getHost() == null || path == null || path.length() < 2 || path.substring(1).split("/").length < segments) {
            throw new IllegalArgumentException("URL " + u + " needs a host and a path /app/name");
        }
        return u;
    }

    private static double range(String option, double v, double min, double max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(option + " " + v + " outside " + min + "-" + max);
        }
        return v;
    }
}
