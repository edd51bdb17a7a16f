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
 * and {@code MediaServer.push(key, "rtsp://server/app/name")} with the relays' pulls and pushes
 * play IP cameras and feed RTSP servers, whether or not this server serves RTSP itself; its
 * relays close when the server stops.
 */
public final class RtspRelayModule implements ProtocolModule {
    private final Set<RtspRelay> relays = ConcurrentHashMap.newKeySet();
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
                return RtspRelayModule.this.pusher(url, localKey);
            }
        });
    }

    Puller puller(String url, StreamKey localKey) {
        RtspUrl target = RtspUrl.parse(url);
        ModuleContext c = started();
        return register(new RtspRelay(c.loops().next(), c.blockingExecutor(), target, Objects.requireNonNull(localKey, "localKey"),
                "pull", events -> new RtspPullHandler(target, options -> c.engine().publish(localKey, options),
                        RtspConfig.DEFAULT_MAX_ACCESS_UNIT_SIZE, events), relays::remove));
    }

    Pusher pusher(String url, StreamKey localKey) {
        RtspUrl target = RtspUrl.parse(url);
        if (target.udp()) {
            throw new IllegalArgumentException("a push records over TCP; #transport=udp is for pulls: " + target.display());
        }
        ModuleContext c = started();
        return register(new RtspRelay(c.loops().next(), c.blockingExecutor(), target, Objects.requireNonNull(localKey, "localKey"),
                "push", events -> new RtspPushHandler(target, c.engine(), localKey, events), relays::remove));
    }

    private ModuleContext started() {
        ModuleContext c = context;
        if (c == null) {
            throw new IllegalStateException("the " + name() + " module has not started");
        }
        if (stopped.get()) {
            throw new IllegalStateException("the server is stopped");
        }
        return c;
    }

    private RtspRelay register(RtspRelay relay) {
        relays.add(relay);
        if (stopped.get()) {   // stop() ran between the check and the add, and missed it
            relay.close();
            throw new IllegalStateException("the server is stopped");
        }
        return relay;
    }

    /** Closes every relay; pulls' local publishers close with them. Idempotent. */
    @Override
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        for (RtspRelay relay : List.copyOf(relays)) {
            relay.close();
        }
    }
}
