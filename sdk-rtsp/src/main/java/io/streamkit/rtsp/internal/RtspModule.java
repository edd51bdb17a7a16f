package io.streamkit.rtsp.internal;

import io.streamkit.internal.engine.Engine;
import io.streamkit.rtsp.RtspConfig;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import java.net.InetSocketAddress;

/**
 * The RTSP server as a module: the {@code "rtsp"} listener and, unless turned off, the UDP port
 * pair of players over UDP, bound when the module starts and closed when it stops.
 */
public final class RtspModule implements ProtocolModule {
    private final RtspConfig config;
    private RtspUdp udp;

    /**
     * Creates the module.
     *
     * @param config the server's settings
     */
    public RtspModule(RtspConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "rtsp";
    }

    @Override
    public void start(ModuleContext context) throws Exception {
        if (config.udpPort() != RtspConfig.NO_UDP) {
            udp = RtspUdp.bind(context.loops(), config.bindAddress(), config.udpPort());
        }
        RtspServerInitializer initializer = new RtspServerInitializer((Engine) context.engine(), config,
                context.service(ClientRegistry.class).orElseThrow(), context.service(ServerGuard.class).orElseThrow(), udp);
        InetSocketAddress address = config.bindAddress() == null ? new InetSocketAddress(config.port())
                : new InetSocketAddress(config.bindAddress(), config.port());
        context.listen("rtsp", address, initializer);
    }

    /**
     * Returns the RTP port of players over UDP, once started.
     *
     * @return the port, or -1 when UDP is off
     */
    public int udpPort() {
        return udp == null ? -1 : udp.rtpPort();
    }

    @Override
    public void stop() {
        if (udp != null) {
            udp.close();
            udp = null;
        }
    }
}
