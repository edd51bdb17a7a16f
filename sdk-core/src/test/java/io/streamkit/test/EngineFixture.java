package io.streamkit.test;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.internal.engine.EngineBuilder;
import io.streamkit.stream.StreamPolicy;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** An engine on its own two executor threads, closed with everything it holds. */
public final class EngineFixture implements AutoCloseable {
    public final EventExecutorGroup loops = new DefaultEventExecutorGroup(2);
    public final StreamEngine engine;

    public EngineFixture(StreamPolicy policy) {
        this(b -> b.policy(policy));
    }

    public EngineFixture(UnaryOperator<EngineBuilder> config) {
        engine = config.apply(Engine.builder().executor(loops)).build();
    }

    @Override
    public void close() {
        engine.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
