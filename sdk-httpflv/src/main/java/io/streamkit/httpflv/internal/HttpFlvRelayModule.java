package io.streamkit.httpflv.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.streamkit.httpflv.HttpFlvClientConfig;
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import io.streamkit.server.spi.RelayScheme;
import io.streamkit.stream.StreamKey;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP-FLV pull client as a module: registers the {@code http} and {@code https} relay
 * schemes, so that {@code MediaServer.pull("http://origin/live/cam1.flv", key)} pulls from an
 * HTTP-FLV origin whether or not this server serves HTTP itself, and closes its pullers when the
 * server stops. HTTP-FLV only pulls: the schemes' {@link RelayScheme#pusher} refuses.
 *
 * <p>{@code https://} pullers share one TLS client context, made at the first of them: the
 * JVM's default trust store, host names verified ({@code HTTPS} endpoint identification).
 */
public final class HttpFlvRelayModule implements ProtocolModule {
    private static final Logger log = LoggerFactory.getLogger(HttpFlvRelayModule.class);

    private final HttpFlvClientConfig settings;
    private final Set<HttpFlvPuller> pullers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile ModuleContext context;
    private volatile SslContext tls;

    /**
     * Creates the module.
     *
     * @param settings the pullers' timeouts and limits; {@link HttpFlvClientConfig#defaults()} suits live streams
     */
    public HttpFlvRelayModule(HttpFlvClientConfig settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Returns the module's name.
     *
     * @return {@code "http-flv-relay"}
     */
    @Override
    public String name() {
        return "http-flv-relay";
    }

    /**
     * Registers the {@code http} and {@code https} relay schemes.
     *
     * @param context the server's parts
     * @throws IllegalArgumentException when another module registered either scheme
     */
    @Override
    public void start(ModuleContext context) {
        this.context = context;
        RelayScheme scheme = new RelayScheme() {
            @Override
            public Puller puller(String url, StreamKey localKey) {
                return HttpFlvRelayModule.this.puller(url, localKey);
            }

            @Override
            public Pusher pusher(StreamKey localKey, String url) {
                throw new UnsupportedOperationException("HTTP-FLV only pulls");
            }
        };
        context.relayScheme("http", scheme);
        context.relayScheme("https", scheme);
    }

    /**
     * Creates a puller, registered so that it closes with the server; nothing is sent until
     * its {@code start()}.
     *
     * @param url {@code http[s]://host[:port]/path[?query]}
     * @param localKey the local stream to publish as
     * @return the puller
     * @throws IllegalArgumentException when the URL is not a usable {@code http://} or {@code https://} URL
     * @throws IllegalStateException when the module has not started or the server is stopped
     */
    Puller puller(String url, StreamKey localKey) {
        HttpFlvTarget target = HttpFlvTarget.parse(url);
        Objects.requireNonNull(localKey, "localKey");
        ModuleContext c = context;
        if (c == null) {
            throw new IllegalStateException("the " + name() + " module has not started");
        }
        if (stopped.get()) {
            throw new IllegalStateException("the server is stopped");
        }
        HttpFlvPuller puller = new HttpFlvPuller(c.loops().next(), c.blockingExecutor(), c.engine(), settings,
                target.tls() ? tls() : null, target, localKey, pullers::remove);
        pullers.add(puller);
        if (stopped.get()) {   // stop() ran between the check and the add, and missed it
            puller.close();
            throw new IllegalStateException("the server is stopped");
        }
        return puller;
    }

    /** The shared TLS client context, made at the first {@code https://} puller. */
    private SslContext tls() {
        SslContext t = tls;
        if (t == null) {
            synchronized (this) {
                t = tls;
                if (t == null) {
                    try {
                        t = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
                    } catch (SSLException e) {
                        throw new IllegalStateException("cannot set up TLS for https:// pulls: " + e.getMessage(), e);
                    }
                    tls = t;
                }
            }
        }
        return t;
    }

    /** Closes every puller; their local publishers close with them. Idempotent. */
    @Override
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        for (HttpFlvPuller puller : List.copyOf(pullers)) {
            try {
                puller.close();
            } catch (RuntimeException e) {
                log.warn("closing {} failed", puller, e);
            }
        }
    }
}
