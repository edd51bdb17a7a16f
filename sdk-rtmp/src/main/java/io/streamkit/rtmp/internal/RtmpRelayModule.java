package io.streamkit.rtmp.internal;

import io.netty.channel.EventLoopGroup;
import io.streamkit.engine.StreamEngine;
import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.rtmp.RtmpClientConfig;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import io.streamkit.server.spi.RelayScheme;
import io.streamkit.stream.StreamKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP client as a module: registers the {@code rtmp} and {@code rtmps} relay schemes, so that
 * {@code MediaServer.pull} and {@code push} reach other servers over RTMP whether or not this
 * server serves RTMP itself, and closes its pullers and pushers when the server stops.
 */
public final class RtmpRelayModule implements ProtocolModule, RtmpClientHost {
    private static final Logger log = LoggerFactory.getLogger(RtmpRelayModule.class);

    private final RtmpClientConfig config;
    private final Set<AutoCloseable> relays = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile ModuleContext context;

    /**
     * Creates the module.
     *
     * @param config the client's limits, timeouts and reconnect backoff
     */
    public RtmpRelayModule(RtmpClientConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "rtmp-relay";
    }

    @Override
    public void start(ModuleContext context) {
        this.context = context;
        RelayScheme relays = new RelayScheme() {
            @Override
            public Puller puller(String url, StreamKey localKey) {
                return RtmpPuller.create(RtmpRelayModule.this, url, localKey);
            }

            @Override
            public Pusher pusher(StreamKey localKey, String url) {
                return RtmpPusher.create(RtmpRelayModule.this, localKey, url);
            }
        };
        context.relayScheme("rtmp", relays);
        context.relayScheme("rtmps", relays);
    }

    @Override
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        for (AutoCloseable relay : List.copyOf(relays)) {
            try {
                relay.close();
            } catch (Exception e) {
                log.warn("closing relay {} failed", relay, e);
            }
        }
    }

    @Override
    public EventLoopGroup loops() {
        return context.loops();
    }

    @Override
    public StreamEngine streams() {
        return context.engine();
    }

    @Override
    public RtmpClientConfig rtmpClientConfig() {
        return config;
    }

    @Override
    public void register(AutoCloseable relay) {
        if (stopped.get()) {
            throw new IllegalStateException("the server is stopped");
        }
        relays.add(relay);
    }

    @Override
    public void unregister(AutoCloseable relay) {
        relays.remove(relay);
    }
}
