package io.streamkit.hls.internal;

import io.streamkit.hls.HlsConfig;
import io.streamkit.http.spi.HttpMounts;
import io.streamkit.internal.engine.Engine;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;

/**
 * HLS as a module: a segmenter per stream (started by the engine's publish events, or by the
 * first playlist request when on demand) and the {@code .m3u8} and {@code .ts} mount.
 */
public final class HlsModule implements ProtocolModule {
    private final HlsConfig config;
    private HlsService service;

    /**
     * Creates the module.
     *
     * @param config the segmenter's and playlists' settings
     */
    public HlsModule(HlsConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "hls";
    }

    @Override
    public void start(ModuleContext context) {
        HttpMounts mounts = context.service(HttpMounts.class).orElseThrow(() ->
                new IllegalStateException("HLS needs the HTTP port: add .http(port) before it"));
        HlsService hls = new HlsService(config, context.loops());
        hls.start((Engine) context.engine(),
                context.service(io.streamkit.server.internal.ClientRegistry.class).orElse(null), context.announcer(),
                context.service(io.streamkit.server.internal.ServerGuard.class)
                        .orElse(io.streamkit.server.internal.ServerGuard.lenient()).log());
        context.events(hls.listener());
        context.onTerminated(hls::release);
        mounts.mount(new HlsRoute(hls));
        service = hls;
    }

    @Override
    public void stop() {
        if (service != null) {
            service.close();
        }
    }
}
