package io.streamkit.server;

import io.streamkit.engine.StreamEngine;
import io.streamkit.hls.internal.HlsModule;
import io.streamkit.hook.AuthHandler;
import io.streamkit.hook.ServerListener;
import io.streamkit.http.internal.HttpModule;
import io.streamkit.httpflv.internal.HttpFlvModule;
import io.streamkit.internal.engine.Engine;
import io.streamkit.internal.engine.EngineBuilder;
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.rtmp.internal.RtmpModule;
import io.streamkit.rtmp.internal.RtmpRelayModule;
import io.streamkit.server.spi.ProtocolModule;
import io.streamkit.stream.StreamKey;
import io.streamkit.stream.StreamPolicy;
import io.streamkit.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A live-streaming server running inside the application's process.
 *
 * <pre>{@code
 * try (MediaServer server = MediaServer.builder()
 *         .onPublish(req -> tokens.check(req))
 *         .start()) {
 *     Publisher pub = server.streams().publish(StreamKey.of("live", "cam1"));
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link Builder#start()} binds everything the builder asked for or, on any failure,
 * closes what it had bound and throws with the cause. The handle is {@link AutoCloseable}:
 * {@link #close()} stops accepting, ends every stream (players are told it ended) and
 * releases every buffer. RTMP is served with {@link Builder#rtmp(int)}; HTTP-FLV,
 * WebSocket-FLV, the JSON API under {@code /api/}, Prometheus metrics at {@code /metrics}
 * and the application's own routes with {@link Builder#http(int, java.util.function.Consumer)}
 * (see {@link io.streamkit.http.HttpConfig}); HLS with {@link Builder#hls()}.
 * {@link #pull} and {@link #push} relay streams from and to other servers over the same
 * event loops.
 */
public interface MediaServer extends AutoCloseable {

    /**
     * Starts configuring a server.
     *
     * @return a builder with the defaults
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the server's streams, where application code publishes and subscribes
     * exactly as the protocols do.
     *
     * @return the engine behind this server
     */
    StreamEngine streams();

    /**
     * Returns the port a listener is bound to, by the name its module declared it under:
     * {@code "rtmp"}, {@code "rtmps"}, {@code "http"}, {@code "https"}, or an application
     * module's own. The one the system chose when the configuration asked for port 0.
     *
     * @param listener the listener's name
     * @return the bound port, or empty when the server has no such listener
     */
    java.util.OptionalInt port(String listener);

    /**
     * Returns the port the RTMP server listens on, the one the system chose when the
     * builder asked for port 0.
     *
     * @return the bound port, or empty when RTMP was not enabled
     */
    default java.util.OptionalInt rtmpPort() {
        return port("rtmp");
    }

    /**
     * Returns the port the RTMPS server listens on.
     *
     * @return the bound port, or empty when RTMPS was not enabled ({@code r.tls(...)} in the RTMP options)
     */
    default java.util.OptionalInt rtmpsPort() {
        return port("rtmps");
    }

    /**
     * Returns the port the HTTP server (HTTP-FLV, WebSocket-FLV, API, metrics) listens on.
     *
     * @return the bound port, or empty when HTTP was not enabled
     */
    default java.util.OptionalInt httpPort() {
        return port("http");
    }

    /**
     * Returns the port the HTTPS server listens on.
     *
     * @return the bound port, or empty when HTTPS was not enabled ({@code h.tls(...)} in the HTTP options)
     */
    default java.util.OptionalInt httpsPort() {
        return port("https");
    }

    /**
     * Lists the server's client connections now: RTMP connections, HTTP-FLV and WebSocket-FLV
     * players, and the connections of modules that register theirs. HLS viewers, who hold no
     * connection, are not listed.
     *
     * @return snapshots, oldest connection first
     */
    java.util.List<ClientInfo> clients();

    /**
     * Closes a client's connection, from any thread: a publisher's stream ends after its
     * reconnect grace, a player's subscription ends.
     *
     * @param id the connection's id, from {@link #clients()}
     * @return whether such a connection was open
     */
    boolean kick(long id);

    /**
     * Creates a puller that plays a remote stream into a local one, on this server's event
     * loops. Nothing is sent until {@link Puller#start()}; the puller closes with the server.
     *
     * <p>For {@code rtmp://}: simple handshake, {@code connect}, {@code createStream},
     * {@code play}; the remote stream's media becomes the local publisher's (protocol
     * {@code "rtmp-pull"}) without copying payloads. One connection, no reconnect: when the
     * remote stream ends or the connection drops, the local publisher closes (its players wait
     * out the stream's reconnect grace) and the puller is done. A server that refuses or breaks
     * the protocol fails {@link Puller#start()} with an {@link io.streamkit.rtmp.RtmpProtocolException}
     * carrying its description. Limits and timeouts: {@link Builder#rtmpClient}.
     *
     * @param url the remote stream, {@code rtmp://host[:port]/app/name[?query]}
     * @param localKey the local stream to publish as
     * @return the puller
     * @throws IllegalArgumentException when the URL's scheme is not supported ({@code rtmp://}
     *     and {@code rtmps://}, and the schemes of added modules) or the URL lacks a host, app or name
     * @throws IllegalStateException when the server is stopped
     */
    Puller pull(String url, StreamKey localKey);

    /**
     * Creates a pusher that publishes a local stream to a remote server, reconnecting with
     * backoff, on this server's event loops. Nothing happens until {@link Pusher#start()}; the
     * pusher closes with the server. For {@code rtmp://}: it waits for the local stream,
     * publishes it with {@code publish}, and reconnects with the backoff of
     * {@link Builder#rtmpClient} when the connection drops.
     *
     * @param localKey the local stream to send
     * @param url the remote stream, {@code rtmp://host[:port]/app/name[?query]}
     * @return the pusher
     * @throws IllegalArgumentException when the URL's scheme is not supported ({@code rtmp://}
     *     and {@code rtmps://}, and the schemes of added modules) or the URL lacks a host, app or name
     * @throws IllegalStateException when the server is stopped
     */
    Pusher push(StreamKey localKey, String url);

    /**
     * Returns the server's recorder, to start and stop recordings and list what was recorded.
     *
     * @return the recorder, or empty when the builder did not turn recording on ({@link Builder#record})
     */
    java.util.Optional<io.streamkit.record.Recorder> recorder();

    /**
     * Returns the server's relays: forwards, pushes and pulls, on-demand pulls; add and remove
     * pushes and pulls at runtime, reconnecting ones unlike {@link #pull} and {@link #push}.
     *
     * @return the relays, or empty when the builder did not configure them ({@link Builder#relays})
     */
    java.util.Optional<io.streamkit.cluster.Relays> relays();

    /**
     * Records a stream until stopped: at once if it is live, else from its next publish, and
     * through every republish. The same as {@code recorder().orElseThrow().start(key, spec)}.
     *
     * @param key the stream
     * @param spec how to record it
     * @return the recording, whose {@code stop()} ends it
     * @throws IllegalStateException when recording is off ({@link Builder#record})
     */
    default io.streamkit.record.Recording record(StreamKey key, io.streamkit.record.RecordSpec spec) {
        return recorder().orElseThrow(() -> new IllegalStateException(
                "recording is off: turn it on with MediaServer.builder().record(r -> ...)")).start(key, spec);
    }

    /**
     * Stops the server: stops accepting, closes its pullers and pushers, ends every stream with
     * {@link io.streamkit.stream.EndReason#SHUTDOWN}, and stops its threads. Idempotent;
     * returns when the threads have stopped or after a few seconds.
     */
    @Override
    void close();

    /**
     * Configures a {@link MediaServer}. Setters check their argument at once; no system
     * properties or statics are read, so two servers in one JVM may differ.
     */
    final class Builder {
        /** Default I/O threads: one per core, the shape every event-loop server takes. */
        public static final int DEFAULT_IO_THREADS = Runtime.getRuntime().availableProcessors();

        /** The HTTP port {@link #hls()} opens when no {@link #http(int)} was given: the usual alternative HTTP port. */
        public static final int DEFAULT_HTTP_PORT = 8080;

        private final EngineBuilder engine = Engine.builder();
        private int ioThreads = DEFAULT_IO_THREADS;
        private Transport transport = Transport.AUTO;
        private io.netty.buffer.ByteBufAllocator allocator = io.netty.buffer.PooledByteBufAllocator.DEFAULT;
        private io.streamkit.rtmp.RtmpConfig rtmp;
        private io.streamkit.rtsp.RtspConfig rtsp;
        private io.streamkit.http.HttpConfig http;
        private io.streamkit.hls.HlsConfig hls;
        private io.streamkit.record.RecordConfig record;
        private io.streamkit.rtmp.RtmpClientConfig rtmpClient = io.streamkit.rtmp.RtmpClientConfig.defaults();
        private ServerLimits limits = ServerLimits.defaults();
        private final List<ProtocolModule> modules = new ArrayList<>();
        private AuthHandler onPublish = AuthHandler.allowAll();
        private AuthHandler onPlay = AuthHandler.allowAll();
        private java.time.Duration authTimeout = java.time.Duration.ofSeconds(StreamEngine.DEFAULT_AUTH_TIMEOUT_SECONDS);
        private io.streamkit.webhook.WebhookConfig webhooks;
        private io.streamkit.cluster.RelayConfig relays;
        private io.streamkit.httpflv.HttpFlvClientConfig httpFlvClient = io.streamkit.httpflv.HttpFlvClientConfig.defaults();

        Builder() {
        }

        /**
         * Serves RTMP on a port, with the default settings.
         *
         * @param port the TCP port; 0 picks a free one, reported by {@link MediaServer#rtmpPort()}
         * @return this builder
         */
        public Builder rtmp(int port) {
            return rtmp(port, r -> { });
        }

        /**
         * Serves RTMP on a port: {@code .rtmp(1935, r -> r.chunkSize(4096).maxMessageSize(8 << 20))}.
         *
         * @param port the TCP port; 0 picks a free one
         * @param options changes to the defaults of {@link io.streamkit.rtmp.RtmpConfig}
         * @return this builder
         */
        public Builder rtmp(int port, java.util.function.Consumer<io.streamkit.rtmp.RtmpConfig.Builder> options) {
            io.streamkit.rtmp.RtmpConfig.Builder b = io.streamkit.rtmp.RtmpConfig.builder(port);
            Objects.requireNonNull(options, "options").accept(b);
            this.rtmp = b.build();
            return this;
        }

        /**
         * Serves RTSP on a port, with the default settings: players over TCP interleaved and UDP
         * (from a free even port and the next), publishers with ANNOUNCE and RECORD over TCP, at
         * {@code rtsp://host:port/{app}/{name}}.
         *
         * @param port the TCP port (8554 by convention); 0 picks a free one, reported by {@link MediaServer#port(String)} as {@code "rtsp"}
         * @return this builder
         */
        public Builder rtsp(int port) {
            return rtsp(port, r -> { });
        }

        /**
         * Serves RTSP on a port: {@code .rtsp(8554, r -> r.udpPort(8000).sessionTimeout(Duration.ofSeconds(30)))}.
         *
         * @param port the TCP port; 0 picks a free one
         * @param options changes to the defaults of {@link io.streamkit.rtsp.RtspConfig}
         * @return this builder
         */
        public Builder rtsp(int port, java.util.function.Consumer<io.streamkit.rtsp.RtspConfig.Builder> options) {
            io.streamkit.rtsp.RtspConfig.Builder b = io.streamkit.rtsp.RtspConfig.builder(port);
            Objects.requireNonNull(options, "options").accept(b);
            this.rtsp = b.build();
            return this;
        }

        /**
         * Serves HTTP on a port, with the default settings: HTTP-FLV and WebSocket-FLV at
         * {@code /{app}/{name}.flv}.
         *
         * @param port the TCP port; 0 picks a free one, reported by {@link MediaServer#httpPort()}
         * @return this builder
         */
        public Builder http(int port) {
            return http(port, h -> { });
        }

        /**
         * Serves HTTP on a port: {@code .http(8080, h -> h.corsOrigin("https://player.example"))}.
         *
         * @param port the TCP port; 0 picks a free one
         * @param options changes to the defaults of {@link io.streamkit.http.HttpConfig}
         * @return this builder
         */
        public Builder http(int port, java.util.function.Consumer<io.streamkit.http.HttpConfig.Builder> options) {
            io.streamkit.http.HttpConfig.Builder b = io.streamkit.http.HttpConfig.builder(port);
            Objects.requireNonNull(options, "options").accept(b);
            this.http = b.build();
            return this;
        }

        /**
         * Gives every stream an HLS rendition (MPEG-TS segments, live playlists from memory) at
         * {@code /{app}/{name}.m3u8} on the HTTP port, with the default settings. Without an
         * {@link #http(int)} call, HTTP opens on port {@value #DEFAULT_HTTP_PORT} of every
         * address, with the JSON API and {@code /metrics} (see {@link io.streamkit.http.HttpConfig}
         * to bind one address, switch those off or protect them with a token), and the start
         * logs that it did.
         *
         * @return this builder
         */
        public Builder hls() {
            return hls(h -> { });
        }

        /**
         * Gives every stream an HLS rendition: {@code .hls(h -> h.segmentDuration(Duration.ofSeconds(4)).onDemand(true))}.
         *
         * @param options changes to the defaults of {@link io.streamkit.hls.HlsConfig}
         * @return this builder
         */
        public Builder hls(java.util.function.Consumer<io.streamkit.hls.HlsConfig.Builder> options) {
            io.streamkit.hls.HlsConfig.Builder b = io.streamkit.hls.HlsConfig.builder();
            Objects.requireNonNull(options, "options").accept(b);
            this.hls = b.build();
            return this;
        }

        /**
         * Turns recording on: {@code .record(r -> r.root(Path.of("recordings")).recordApp("rec",
         * RecordSpec.mp4()).listener(myListener))}. Nothing is recorded until a rule, the publish
         * decision's {@code record} attribute, {@link MediaServer#record} or the API says so; with an
         * HTTP port, recordings are listed at {@code /api/recordings} and served at
         * {@code /recordings/}. See {@link io.streamkit.record.RecordConfig}.
         *
         * @param options changes to the defaults of {@link io.streamkit.record.RecordConfig}
         * @return this builder
         */
        public Builder record(java.util.function.Consumer<io.streamkit.record.RecordConfig.Builder> options) {
            io.streamkit.record.RecordConfig.Builder b = io.streamkit.record.RecordConfig.builder();
            Objects.requireNonNull(options, "options").accept(b);
            this.record = b.build();
            return this;
        }

        /**
         * Sets the RTMP client's limits, timeouts and reconnect backoff for every puller and
         * pusher of this server: {@code .rtmpClient(c -> c.connectTimeout(Duration.ofSeconds(5)))}.
         *
         * @param options changes to the defaults of {@link io.streamkit.rtmp.RtmpClientConfig}
         * @return this builder
         */
        public Builder rtmpClient(java.util.function.Consumer<io.streamkit.rtmp.RtmpClientConfig.Builder> options) {
            io.streamkit.rtmp.RtmpClientConfig.Builder b = io.streamkit.rtmp.RtmpClientConfig.builder();
            Objects.requireNonNull(options, "options").accept(b);
            this.rtmpClient = b.build();
            return this;
        }

        /**
         * Calls a backend over HTTP: publish and play decisions asked before the client is
         * answered (after {@link #onPublish}/{@link #onPlay}, which must allow first), and every
         * event sent, in SRS's dialect or a plain one:
         * {@code .webhooks(w -> w.srs("http://127.0.0.1:8085/api/v1/hooks"))}. See
         * {@link io.streamkit.webhook.WebhookConfig}.
         *
         * @param options sets the targets and limits on a builder that starts from the defaults
         * @return this builder
         */
        public Builder webhooks(java.util.function.Consumer<io.streamkit.webhook.WebhookConfig.Builder> options) {
            io.streamkit.webhook.WebhookConfig.Builder b = io.streamkit.webhook.WebhookConfig.builder();
            Objects.requireNonNull(options, "options").accept(b);
            this.webhooks = b.build();
            return this;
        }

        /**
         * Sets the HTTP-FLV relay client's timeouts and limits for every {@code http://} and
         * {@code https://} pull of this server:
         * {@code .httpFlvClient(c -> c.startTimeout(Duration.ofSeconds(5)))}. See
         * {@link io.streamkit.httpflv.HttpFlvClientConfig}.
         *
         * @param options sets the limits on a builder that starts from the defaults
         * @return this builder
         */
        public Builder httpFlvClient(java.util.function.Consumer<io.streamkit.httpflv.HttpFlvClientConfig.Builder> options) {
            io.streamkit.httpflv.HttpFlvClientConfig.Builder b = io.streamkit.httpflv.HttpFlvClientConfig.builder();
            Objects.requireNonNull(options, "options").accept(b);
            this.httpFlvClient = b.build();
            return this;
        }

        /**
         * Turns relays on: forwarding rules, static and on-demand pulls, and the server's place
         * in a cluster (an origin claiming its streams in a stream directory, an edge pulling
         * from origins); the {@link MediaServer#relays()} handle and {@code /api/relays} add and
         * remove pushes and pulls at runtime:
         * {@code .relays(r -> r.forward(ForwardRule.to("rtmp://backup:1935")))}. See
         * {@link io.streamkit.cluster.RelayConfig}.
         *
         * @param options sets the rules and limits on a builder that starts from the defaults
         * @return this builder
         */
        public Builder relays(java.util.function.Consumer<io.streamkit.cluster.RelayConfig.Builder> options) {
            io.streamkit.cluster.RelayConfig.Builder b = io.streamkit.cluster.RelayConfig.builder();
            Objects.requireNonNull(options, "options").accept(b);
            this.relays = b.build();
            return this;
        }

        /**
         * Sets the check every publish request passes, whatever its protocol.
         *
         * @param handler the check; the default allows all
         * @return this builder
         */
        public Builder onPublish(AuthHandler handler) {
            this.onPublish = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Sets the check every play request passes, whatever its protocol.
         *
         * @param handler the check; the default allows all
         * @return this builder
         */
        public Builder onPlay(AuthHandler handler) {
            this.onPlay = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Adds a lifecycle listener.
         *
         * @param listener called on event loops; must be fast
         * @return this builder
         */
        public Builder listener(ServerListener listener) {
            engine.listener(listener);
            return this;
        }

        /**
         * Sets one stream policy for every stream.
         *
         * @param policy conflicts, reconnect grace, play wait, GOP cache
         * @return this builder
         */
        public Builder policy(StreamPolicy policy) {
            engine.policy(policy);
            return this;
        }

        /**
         * Chooses a stream policy per stream.
         *
         * @param policy from stream key to policy
         * @return this builder
         */
        public Builder policy(Function<StreamKey, StreamPolicy> policy) {
            engine.policy(policy);
            return this;
        }

        /**
         * Sets how long the application's publish and play checks may take: a check that has
         * not answered by then denies, and the client is refused.
         *
         * @param timeout above zero; default {@value StreamEngine#DEFAULT_AUTH_TIMEOUT_SECONDS} s
         * @return this builder
         */
        public Builder authTimeout(java.time.Duration timeout) {
            engine.authTimeout(timeout);
            this.authTimeout = timeout;
            return this;
        }

        /**
         * Sets how many streams the server keeps at once (live, in their reconnect grace, or
         * awaited by players); a publish or play of one more is refused.
         *
         * @param max at least 1; default {@value StreamEngine#DEFAULT_MAX_STREAMS}
         * @return this builder
         */
        public Builder maxStreams(int max) {
            engine.maxStreams(max);
            return this;
        }

        /**
         * Sets how many frames may wait for one event loop before its players of a stream skip to
         * the next keyframe; a bound on what a stalled loop holds.
         *
         * @param frames at least 16; default {@value StreamEngine#DEFAULT_LOOP_BACKLOG}
         * @return this builder
         */
        public Builder loopBacklog(int frames) {
            engine.loopBacklog(frames);
            return this;
        }

        /**
         * Sets the number of I/O threads (Netty event loops) shared by every protocol and the engine.
         *
         * @param threads at least 1; default {@link #DEFAULT_IO_THREADS}, one per core
         * @return this builder
         */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads " + threads + " must be at least 1");
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * Chooses the socket layer of the server's event loops, which its relays' connections share.
         *
         * @param transport default {@link Transport#AUTO}: epoll on Linux, NIO elsewhere
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = java.util.Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Sets the allocator of every connection's buffers (ingest, chunk headers, derived views).
         * The default, Netty's pooled allocator, recycles the duplicates and slices that players
         * write on its event loops, which is what makes a player cost no garbage per frame.
         *
         * @param allocator default {@link io.netty.buffer.PooledByteBufAllocator#DEFAULT}
         * @return this builder
         */
        public Builder allocator(io.netty.buffer.ByteBufAllocator allocator) {
            this.allocator = java.util.Objects.requireNonNull(allocator, "allocator");
            return this;
        }

        /**
         * Sets the limits that hold across protocols: the memory budget of unfinished input
         * (server-wide and per client address) and the rate of log lines about clients' mistakes:
         * {@code .limits(l -> l.memoryBudget(256L << 20).logLinesPerSecond(5))}. See
         * {@link ServerLimits} for the defaults and why.
         *
         * @param options sets the limits on a builder that starts from the defaults
         * @return this builder
         */
        public Builder limits(java.util.function.Consumer<ServerLimits.Builder> options) {
            ServerLimits.Builder b = ServerLimits.builder();
            options.accept(b);
            this.limits = b.build();
            return this;
        }

        /**
         * Adds a protocol, output or relay client of the application's own (or one Streamkit
         * ships that has no sugar here). Modules start in the order added, after Streamkit's
         * own from this builder's other methods, so they find the HTTP port's mounts; see
         * {@link ProtocolModule}.
         *
         * @param module the module, whose name no other module of this server has
         * @return this builder
         */
        public Builder module(ProtocolModule module) {
            modules.add(Objects.requireNonNull(module, "module"));
            return this;
        }

        /**
         * Starts the server.
         *
         * @return the running server
         * @throws IllegalStateException when something could not be started; what had started is stopped
         */
        public MediaServer start() {
            io.streamkit.http.HttpConfig httpConfig = http;
            if (http == null && hls != null) {
                httpConfig = io.streamkit.http.HttpConfig.builder(DEFAULT_HTTP_PORT).build();
                org.slf4j.LoggerFactory.getLogger(MediaServer.class).info("HLS opens HTTP on port {} of every address"
                        + " (with the JSON API and /metrics): no .http(port) was given", DEFAULT_HTTP_PORT);
            }
            List<ProtocolModule> all = new ArrayList<>();
            if (httpConfig != null) {
                all.add(new HttpModule(httpConfig));
            }
            if (rtmp != null) {
                all.add(new RtmpModule(rtmp));
            }
            if (rtsp != null) {
                all.add(new io.streamkit.rtsp.internal.RtspModule(rtsp));
            }
            all.add(new RtmpRelayModule(rtmpClient));
            all.add(new io.streamkit.httpflv.internal.HttpFlvRelayModule(httpFlvClient));
            all.add(new io.streamkit.rtsp.internal.RtspRelayModule());
            if (httpConfig != null) {
                all.add(new HttpFlvModule(httpConfig.writeBatch(), httpConfig.absoluteTime()));
            }
            if (hls != null) {
                all.add(new HlsModule(hls));
            }
            if (record != null) {
                all.add(new io.streamkit.record.internal.RecordModule(record));
            }
            AuthHandler publishCheck = onPublish;
            AuthHandler playCheck = onPlay;
            if (webhooks != null) {
                if (webhooks.timeout().multipliedBy(2).compareTo(authTimeout) >= 0) {
                    throw new IllegalStateException("webhook timeout of " + webhooks.timeout().toMillis() + " ms: a"
                            + " decision may wait twice that, which the auth timeout of " + authTimeout.toMillis()
                            + " ms does not allow; lower the webhook timeout or raise authTimeout");
                }
                io.streamkit.webhook.internal.WebhookModule hooks = new io.streamkit.webhook.internal.WebhookModule(webhooks);
                publishCheck = publishCheck.andThen(hooks.decisions());
                playCheck = playCheck.andThen(hooks.decisions());
                all.add(hooks);
            }
            engine.onPublish(publishCheck).onPlay(playCheck);
            all.addAll(modules);
            if (relays != null) {
                all.add(new io.streamkit.cluster.internal.RelayModule(relays));   // last: every scheme is registered
            }
            return RunningServer.start(engine, ioThreads, transport, allocator, all, limits);
        }
    }
}
