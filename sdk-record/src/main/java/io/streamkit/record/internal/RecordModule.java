package io.streamkit.record.internal;

import io.streamkit.http.spi.HttpMounts;
import io.streamkit.record.RecordConfig;
import io.streamkit.record.Recorder;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import java.util.Optional;

/**
 * Recording as a module: the {@link Recorder} service, the publish listener that starts the
 * recordings the configuration chooses, recovery of what a crash left, and, when the server
 * has an HTTP port, the playback routes.
 */
public final class RecordModule implements ProtocolModule {
    private final RecordConfig config;
    private RecordService service;

    /**
     * Creates the module.
     *
     * @param config the recorder's settings
     */
    public RecordModule(RecordConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "record";
    }

    @Override
    public void start(ModuleContext context) {
        RecordService recorder = new RecordService(config, context.engine(), context.allocator());
        service = recorder;
        context.provide(Recorder.class, recorder);
        context.events(recorder.listener());
        recorder.announceTo(context.announcer());
        context.metrics(recorder::metrics);
        Optional<HttpMounts> mounts = context.service(HttpMounts.class);
        if (config.playback() && mounts.isPresent()) {
            mounts.get().mount(new RecordingsRoute(recorder, context.engine(), context.blockingExecutor()));
        }
        recorder.recover();
    }

    @Override
    public void stop() {
        if (service != null) {
            service.close();
        }
    }
}
