package io.streamkit.rtsp.internal;

import io.streamkit.relay.Puller;
import io.streamkit.relay.Pusher;
import io.streamkit.rtsp.RtspConfig;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import io.streamkit.server.spi.RelayScheme;
import io.streamkit.stream.StreamKey;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The RTSP client as a module: registers the {@code rtsp} relay scheme, so that
 * {@code MediaServer.pull("rtsp://camera/stream", key)} and the relays' pulls play IP cameras
 * whether or not this server serves RTSP itself, and closes its pullers when the server stops.
 * It pulls only, for now: the scheme's {@link RelayScheme#pusher} refuses.
 */
public final class RtspRelayModule implements ProtocolModule {
    private final Set<RtspPuller> pullers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile ModuleContext context;

    /** Creates the module. */
    public RtspRelayModule() {
    }

    @Override
    public String name() {
        return "rtsp-relay";
    }

    @Override
    public void start(ModuleContext context) {
        this.context = context;
        context.relayScheme("rtsp", new RelayScheme() {
            @Override
            public Puller puller(String url, StreamKey localKey) {
                return RtspRelayModule.this.puller(url, localKey);
            }

            @Override
            public Pusher pusher(StreamKey localKey, String url) {
                throw new UnsupportedOperationException("the RTSP client only pulls, for now");
            }
        });
    }

    Puller puller(String url, StreamKey localKey) {
        RtspUrl target = RtspUrl.parse(url);
        Objects.requireNonNull(localKey, "localKey");
        ModuleContext c = context;
        if (c == null) {
            throw new IllegalStateException("the " + name() + " module has not started");
        }
        if (stopped.get()) {
            throw new IllegalStateException("the server is stopped");
        }
        RtspPuller puller = new RtspPuller(c.loops().next(), c.blockingExecutor(), c.engine(), target, localKey,
                RtspConfig.DEFAULT_MAX_ACCESS_UNIT_SIZE, pullers::remove);
        pullers.add(puller);
        if (stopped.get()) {
            puller.close();
            throw new IllegalStateException("the server is stopped");
        }
        return puller;
    }

    /** Closes every puller; their local publishers close with them. Idempotent. */
    @Override
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        for (RtspPuller puller : List.copyOf(pullers)) {
            puller.close();
        }
    }
}
