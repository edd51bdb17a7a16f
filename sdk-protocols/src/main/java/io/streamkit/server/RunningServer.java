package io.streamkit.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamkit.stream.StreamEngine;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running {@link MediaServer}: one event loop group shared by the engine and every protocol. */
final class RunningServer implements MediaServer {
    private static final Logger log = LoggerFactory.getLogger(RunningServer.class);

    private final EventLoopGroup loops;
    private final StreamEngine engine;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunningServer(EventLoopGroup loops, StreamEngine engine) {
        this.loops = loops;
        this.engine = engine;
    }

    static MediaServer start(StreamEngine.Builder engineBuilder, int ioThreads) {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(ioThreads,
                new DefaultThreadFactory("streamkit-io", true), NioIoHandler.newFactory());
        try {
            StreamEngine engine = engineBuilder.executor(loops).build();
            log.info("Streamkit started with {} I/O threads", ioThreads);
            return new RunningServer(loops, engine);
        } catch (RuntimeException | Error e) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    @Override
    public StreamEngine streams() {
        return engine;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        engine.close();
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        log.info("Streamkit stopped");
    }
}
