package io.streamkit.examples;

import io.streamkit.hook.PlayEvent;
import io.streamkit.hook.ServerListener;
import io.streamkit.hook.SkipEvent;
import io.streamkit.hook.StreamEvent;
import io.streamkit.record.RecordFailure;
import io.streamkit.record.RecordFormat;
import io.streamkit.record.RecordListener;
import io.streamkit.record.RecordSpec;
import io.streamkit.record.RecordedFile;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.server.MediaServer;
import io.streamkit.transport.Transport;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's demo server: RTMP on port 1935, RTSP on port 8554 (UDP players from ports
 * 8000-8001), HTTP-FLV, WebSocket-FLV, HLS, the API and metrics on port 8080; logs every publish and play to the console; Ctrl-C stops it.
 *
 * <p>Run it with {@code ./mvnw -q -DskipTests install && ./mvnw -q -pl sdk-examples exec:java}.
 * Options: {@code --rtmp-port N} (default 1935), {@code --http-port N} (default 8080),
 * {@code --rtsp-port N} (default 8554), {@code --rtsp-udp-port N} (the RTP port of RTSP players over
 * UDP, RTCP the next; default 8000, 0 for a free pair, -1 for none),
 * {@code --write-batch MS} (players' write batch window, default 350, 0 for none),
 * {@code --transport auto|epoll|io_uring|nio} (default auto), {@code --max-connections-per-address N}
 * (RTMP's and HTTP's, default 1000 each), {@code --no-hls} (no HLS
 * segmenting), {@code --quiet} (no log line per connection and play, only per stream) and
 * {@code --proxy-protocol} (both ports expect the PROXY protocol header of a load balancer
 * such as HAProxy with {@code send-proxy}, and see the clients it names), {@code --bind ADDRESS}
 * (listen on one local address only, such as 127.0.0.1; default every address) and
 * {@code --api-token TOKEN} (at least 16 characters: the API's kicks, and reading the API and
 * the metrics, need {@code Authorization: Bearer TOKEN}), {@code --record-dir DIR} (where every
 * stream of app {@code rec} is recorded; default {@code recordings} under the working directory),
 * {@code --record-format mp4|flv|hls} (default mp4), {@code --record-rotate SECONDS} (a new file
 * at the first keyframe after that long; default 3600), {@code --no-record}, {@code --hook-url URL}
 * (every event POSTed to URL in SRS's hook dialect, publish and play decided by its answer) and
 * {@code --auth-url URL} (publish and play decided by a GET of URL in the plain dialect),
 * {@code --forward URL} (every published stream pushed to that server under the same app and
 * name, such as {@code rtmp://10.0.0.2:1935} or {@code rtmps://host}; repeatable), {@code --edge-of URL}
 * (an edge of that origin: a stream a player asks for and this server lacks is pulled from it,
 * and streams published here are forwarded to it), {@code --redis URL} (a cluster on Redis, such
 * as {@code redis://10.0.0.5:6379}: this server claims the streams published to it, and pulls
 * the streams it lacks from the server that claimed them) and {@code --advertise URL} (the URL
 * other servers pull this one's streams from, for {@code --redis}; default
 * {@code rtmp://<this host's address>:<rtmp port>}); each protocol starts
 * here as it lands (see the README's feature table). {@code --no-hls} and {@code --quiet} make
 * a fan-out benchmark do what the server it is compared with does.
 */
public final class DemoServer {
    private static final Logger log = LoggerFactory.getLogger(DemoServer.class);

    private DemoServer() {
    }

    /**
     * Starts the demo server and waits for Ctrl-C.
     *
     * @param args {@code --rtmp-port N}, {@code --http-port N}, {@code --write-batch MS}, {@code --transport T},
     *     {@code --max-connections-per-address N}, {@code --no-hls}, {@code --quiet}, {@code --proxy-protocol},
     *     {@code --bind ADDRESS}, {@code --api-token TOKEN}, {@code --record-dir DIR},
     *     {@code --record-format mp4|flv|hls}, {@code --record-rotate SECONDS}, {@code --no-record},
     *     {@code --hook-url URL}, {@code --auth-url URL}, {@code --forward URL}, {@code --edge-of URL},
     *     {@code --redis URL}, {@code --advertise URL}
     * @throws InterruptedException if interrupted while waiting
     * @throws java.net.UnknownHostException when {@code --bind} names no address of this machine
     */
    public static void main(String[] args) throws InterruptedException, java.net.UnknownHostException {
        MediaServer server = start(args);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "demo-shutdown"));
        log.info("Demo server running; Ctrl-C stops it");
        stopped.await();
    }

    /**
     * Starts the demo server as {@link #main} does, without waiting: for tests of the README's
     * demo command.
     *
     * @param args the options {@link #main} takes
     * @return the running server, which the caller closes
     * @throws java.net.UnknownHostException when {@code --bind} names no address of this machine
     */
    static MediaServer start(String... args) throws java.net.UnknownHostException {
        int rtmpPort = 1935;
        int httpPort = 8080;
        int rtspPort = 8554;
        int rtspUdpPort = 8000;
        Duration writeBatch = Duration.ofMillis(RtmpConfig.DEFAULT_WRITE_BATCH_MILLIS);
        Transport transport = Transport.AUTO;
        boolean hls = true;
        boolean quiet = false;
        int perAddress = RtmpConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        boolean proxyProtocol = false;
        java.net.InetAddress bind = null;
        String apiToken = null;
        java.nio.file.Path recordDir = java.nio.file.Path.of("recordings");
        RecordFormat recordFormat = RecordFormat.MP4;
        Duration recordRotate = RecordSpec.DEFAULT_ROTATE_AFTER;
        String hookUrl = null;
        String authUrl = null;
        java.util.List<String> forwards = new java.util.ArrayList<>();
        String edgeOf = null;
        String redisUrl = null;
        String advertise = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rtmp-port" -> rtmpPort = port(args, ++i);
                case "--http-port" -> httpPort = port(args, ++i);
                case "--rtsp-port" -> rtspPort = port(args, ++i);
                case "--rtsp-udp-port" -> rtspUdpPort = Integer.parseInt(value(args, ++i));
                case "--write-batch" -> writeBatch = Duration.ofMillis(Long.parseLong(value(args, ++i)));
                case "--transport" -> transport = Transport.valueOf(value(args, ++i).toUpperCase(Locale.ROOT));
                case "--max-connections-per-address" -> perAddress = Integer.parseInt(value(args, ++i));
                case "--no-hls" -> hls = false;
                case "--quiet" -> quiet = true;
                case "--proxy-protocol" -> proxyProtocol = true;
                case "--bind" -> bind = java.net.InetAddress.getByName(value(args, ++i));
                case "--api-token" -> apiToken = value(args, ++i);
                case "--record-dir" -> recordDir = java.nio.file.Path.of(value(args, ++i));
                case "--record-format" -> recordFormat = RecordFormat.valueOf(value(args, ++i).toUpperCase(Locale.ROOT));
                case "--record-rotate" -> recordRotate = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                case "--no-record" -> recordDir = null;
                case "--hook-url" -> hookUrl = value(args, ++i);
                case "--auth-url" -> authUrl = value(args, ++i);
                case "--forward" -> forwards.add(value(args, ++i));
                case "--edge-of" -> edgeOf = value(args, ++i);
                case "--redis" -> redisUrl = value(args, ++i);
                case "--advertise" -> advertise = value(args, ++i);
                default -> {
                    System.err.println("unknown option " + args[i] + "; usage: DemoServer [--rtmp-port N] [--http-port N]"
                            + " [--rtsp-port N] [--rtsp-udp-port N]"
                            + " [--write-batch MS] [--transport auto|epoll|io_uring|nio] [--max-connections-per-address N]"
                            + " [--no-hls] [--quiet] [--proxy-protocol] [--bind ADDRESS] [--api-token TOKEN]"
                            + " [--record-dir DIR] [--record-format mp4|flv|hls] [--record-rotate SECONDS] [--no-record]"
                            + " [--hook-url URL] [--auth-url URL] [--forward URL]... [--edge-of URL] [--redis URL]"
                            + " [--advertise URL]");
                    System.exit(2);
                }
            }
        }
        Duration batch = writeBatch;
        int addressLimit = perAddress;
        boolean proxied = proxyProtocol;
        java.net.InetAddress address = bind;
        String token = apiToken;
        int udp = rtspUdpPort;
        MediaServer.Builder builder = MediaServer.builder()
                .transport(transport)
                .rtmp(rtmpPort, r -> r.writeBatch(batch).maxConnectionsPerAddress(addressLimit).proxyProtocol(proxied)
                        .bindAddress(address))
                .rtsp(rtspPort, r -> r.maxConnectionsPerAddress(addressLimit).bindAddress(address)
                        .udpPort(udp))
                .http(httpPort, h -> {
                    h.writeBatch(batch).maxConnectionsPerAddress(addressLimit).proxyProtocol(proxied).bindAddress(address);
                    if (token != null) {
                        h.apiToken(token).tokenForReads(true);
                    }
                })
                .listener(new ConsoleListener(quiet));
        if (hls) {
            builder.hls();
        }
        if (recordDir != null) {
            java.nio.file.Path dir = recordDir;
            RecordSpec spec = RecordSpec.builder(recordFormat).rotateAfter(recordRotate).build();
            builder.record(r -> r.root(dir).defaultSpec(spec).recordApp("rec", spec).listener(new RecordListener() {
                @Override
                public void onFinished(RecordedFile file) {
                    log.info("recorded {}", file);
                }

                @Override
                public void onFailed(RecordFailure failure) {
                    log.warn("recording failed: {}", failure);
                }
            }));
        }
        if (hookUrl != null || authUrl != null) {
            String hooks = hookUrl;
            String auth = authUrl;
            builder.webhooks(w -> {
                if (hooks != null) {
                    w.srs(hooks);
                }
                if (auth != null) {
                    w.plain(auth);
                }
            });
        }
        io.streamkit.relay.StreamDirectory directory = redisUrl == null ? null
                : io.streamkit.redis.RedisStreamDirectory.connect(redisUrl);
        String self = advertise != null ? advertise : "rtmp://" + advertised(bind) + ":" + rtmpPort;
        String origin = edgeOf;
        builder.relays(r -> {
            forwards.forEach(url -> r.forward(io.streamkit.cluster.ForwardRule.to(url)));
            if (origin != null) {
                r.edge(origin);
            }
            if (directory != null) {
                r.edge(directory).origin(directory, self);
            }
        });
        if (directory != null) {
            // a module of the application's that owns the Redis client: modules stop in reverse, and the
            // relays' module starts after the application's, so it releases its claims before this closes
            builder.module(new io.streamkit.server.spi.ProtocolModule() {
                @Override
                public String name() {
                    return "redis-directory";
                }

                @Override
                public void start(io.streamkit.server.spi.ModuleContext context) {
                }

                @Override
                public void stop() {
                    directory.close();
                }
            });
        }
        MediaServer server = builder.start();
        int port = server.rtmpPort().orElseThrow();
        log.info("Publish: ffmpeg -re -i input.mp4 -c copy -f flv rtmp://127.0.0.1:{}/live/demo  (OBS: server rtmp://127.0.0.1:{}/live, key demo)", port, port);
        int http = server.httpPort().orElseThrow();
        int rtsp = server.port("rtsp").orElseThrow();
        log.info("         ffmpeg -re -i input.mp4 -c copy -f rtsp rtsp://127.0.0.1:{}/live/demo  (RTSP, ANNOUNCE and RECORD)", rtsp);
        log.info("Play:    ffplay rtmp://127.0.0.1:{}/live/demo", port);
        log.info("         ffplay -rtsp_transport tcp rtsp://127.0.0.1:{}/live/demo   (RTSP; udp too)", rtsp);
        log.info("         ffplay http://127.0.0.1:{}/live/demo.flv   (HTTP-FLV; ws:// for WebSocket-FLV)", http);
        if (hls) {
            log.info("         ffplay http://127.0.0.1:{}/live/demo.m3u8  (HLS)", http);
        }
        if (recordDir != null) {
            log.info("Record:  publish to rtmp://127.0.0.1:{}/rec/NAME: files under {}, listed at http://127.0.0.1:{}/api/recordings",
                    port, recordDir.toAbsolutePath(), http);
        }
        log.info("API:     curl {}http://127.0.0.1:{}/api/streams   metrics: http://127.0.0.1:{}/metrics",
                token == null ? "" : "-H 'Authorization: Bearer <token>' ", http, http);
        if (hookUrl != null) {
            log.info("Hooks:   every event POSTed to {} (SRS's dialect; publish and play wait for its 0)", hookUrl);
        }
        if (authUrl != null) {
            log.info("Auth:    publish and play decided by GET {}?path=/app/name&type=...&role=...", authUrl);
        }
        forwards.forEach(url -> log.info("Forward: every published stream to {}/APP/NAME", url.replaceAll("/+$", "")));
        if (origin != null) {
            log.info("Edge:    streams this server lacks are pulled from {}; streams published here go there too", origin);
        }
        if (directory != null) {
            log.info("Cluster: streams published here are claimed as {} in {}; streams this server lacks are pulled"
                    + " from the server that claimed them", self, directory);
        }
        log.info("Relays:  curl {}http://127.0.0.1:{}/api/relays   (POST /api/relays/push/APP/NAME?url=rtmp://... to add one)",
                token == null ? "" : "-H 'Authorization: Bearer <token>' ", http);
        if (proxied) {
            log.info("Both ports expect the PROXY protocol header first (v1 or v2): connect through the load balancer");
        }
        return server;
    }

    /** The address other servers reach this one at: the bound address, else this host's. */
    private static String advertised(java.net.InetAddress bind) {
        if (bind != null && !bind.isAnyLocalAddress()) {
            return bind.getHostAddress();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int port(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a port number");
        }
        int port = Integer.parseInt(args[i]);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        return port;
    }

    /** Logs the server's events, one line each; when quiet, only streams' and skips. */
    static final class ConsoleListener extends ServerListener {
        private final boolean quiet;

        ConsoleListener(boolean quiet) {
            this.quiet = quiet;
        }

        @Override
        public void onConnect(io.streamkit.hook.ConnectionEvent e) {
            if (!quiet) {
                log.info("connect #{} via {} from {}", e.id(), e.protocol(), e.remoteAddress());
            }
        }

        @Override
        public void onDisconnect(io.streamkit.hook.ConnectionEvent e) {
            if (!quiet) {
                log.info("disconnect #{}", e.id());
            }
        }

        @Override
        public void onPublish(StreamEvent e) {
            log.info("publish {} via {} from {} (connection #{}{})", e.key(), e.protocol(), e.remoteAddress(),
                    e.connectionId(), e.attributes().isEmpty() ? "" : ", " + e.attributes());
        }

        @Override
        public void onUnpublish(StreamEvent e) {
            log.info("unpublish {}", e.key());
        }

        @Override
        public void onPlay(PlayEvent e) {
            if (quiet) {
                return;
            }
            if (e.remoteAddress() == null) {   // a subscriber inside the server, such as the HLS segmenter
                log.info("subscribe {} by {} (#{})", e.key(), e.protocol(), e.subscriptionId());
            } else {
                log.info("play {} via {} from {} (connection #{}, subscription #{})", e.key(), e.protocol(), e.remoteAddress(),
                        e.connectionId(), e.subscriptionId());
            }
        }

        @Override
        public void onStop(PlayEvent e) {
            if (quiet) {
                return;
            }
            log.info("stop {} (connection #{}, subscription #{}): {}", e.key(), e.connectionId(), e.subscriptionId(),
                    e.reason());
        }

        @Override
        public void onSkip(SkipEvent e) {
            log.info("player #{} of {} fell behind and skipped to a keyframe ({} times)", e.subscriptionId(), e.key(), e.skips());
        }
    }
}
