package io.streamkit.rtmp.internal;

import io.streamkit.internal.engine.Engine;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import java.net.InetSocketAddress;

/**
 * The RTMP server as a module: the {@code "rtmp"} listener, and {@code "rtmps"} with TLS, both
 * under one connection limit. The RTMP client (pull and push) is {@link RtmpRelayModule}.
 */
public final class RtmpModule implements ProtocolModule {
    private final RtmpConfig config;

    /**
     * Creates the module.
     *
     * @param config the server's settings
     */
    public RtmpModule(RtmpConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "rtmp";
    }

    @Override
    public void start(ModuleContext context) throws Exception {
        RtmpServerInitializer plain = new RtmpServerInitializer((Engine) context.engine(), config,
                context.service(ClientRegistry.class).orElseThrow(), context.service(ServerGuard.class).orElseThrow());
        context.listen("rtmp", new InetSocketAddress(config.bindAddress(), config.port()), plain);
        if (config.tls() != null) {
            context.listen("rtmps", new InetSocketAddress(config.bindAddress(), config.tls().port()), plain.withTls());
        }
    }
}
