package io.streamkit.httpflv.internal;

import io.streamkit.http.spi.HttpMounts;
import io.streamkit.internal.engine.Engine;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import java.time.Duration;

/** HTTP-FLV and WebSocket-FLV as a module: mounts {@code /{app}/{name}.flv} on the HTTP port. */
public final class HttpFlvModule implements ProtocolModule {
    private final Duration writeBatch;
    private final boolean absoluteTime;

    /**
     * Creates the module.
     *
     * @param writeBatch players' write batch window; zero flushes every engine batch
     * @param absoluteTime whether players see the stream's clock rather than a timeline of their own from 0
     */
    public HttpFlvModule(Duration writeBatch, boolean absoluteTime) {
        this.writeBatch = writeBatch;
        this.absoluteTime = absoluteTime;
    }

    @Override
    public String name() {
        return "http-flv";
    }

    @Override
    public void start(ModuleContext context) {
        HttpMounts mounts = context.service(HttpMounts.class).orElseThrow(() ->
                new IllegalStateException("HTTP-FLV needs the HTTP port: add .http(port) before it"));
        mounts.mount(new HttpFlvService((Engine) context.engine(), context.service(ClientRegistry.class).orElseThrow(),
                writeBatch, absoluteTime, context.service(io.streamkit.server.internal.ServerGuard.class)
                        .orElse(io.streamkit.server.internal.ServerGuard.lenient()).log()));
    }
}
