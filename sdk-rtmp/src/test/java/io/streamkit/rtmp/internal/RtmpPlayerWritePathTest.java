package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamkit.engine.StreamEngine;
import io.streamkit.internal.engine.Engine;
import io.streamkit.rtmp.RtmpConfig;
import io.streamkit.server.internal.ClientLog;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.LoopPlayerOutput;
import io.streamkit.server.internal.MemoryBudget;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where an RTMP player's media bytes start in the RTMP port's real pipeline: at the first handler,
 * past the idle handler and the chunk encoder (the frames are chunked already), which with epoll
 * lets them go straight to the socket.
 */
class RtmpPlayerWritePathTest {
    private StreamEngine engine;
    private EmbeddedChannel ch;

    @BeforeEach
    void connect() {
        engine = Engine.builder().build();
        RtmpServerInitializer init = new RtmpServerInitializer((Engine) engine, RtmpConfig.builder(0).build(),
                new ClientRegistry(), new ServerGuard(new ClientLog(0, 0), MemoryBudget.unlimited()));
        ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                init.init(c, new InetSocketAddress("192.0.2.7", 40_000));
            }
        });
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
        engine.close();
    }

    @Test
    void mediaBytesStartAtTheFirstHandler() {
        assertInstanceOf(IdleTimeoutHandler.class, ch.pipeline().first(), "pipeline " + ch.pipeline().names());
        ChannelHandlerContext ctx = ch.pipeline().context(RtmpConnectionHandler.class);
        RtmpPlayer player = new RtmpPlayer(ctx, 1, RtmpConfig.DEFAULT_CHUNK_SIZE, StreamKey.of("live", "path"), null,
                0, false, RtmpPeerCapabilities.of(Map.of()), () -> { });
        LoopPlayerOutput output = (LoopPlayerOutput) player.output();
        assertTrue(output.startsAtFirstHandler(), "bytes start past " + ch.pipeline().names());
        output.abandon();
    }
}
