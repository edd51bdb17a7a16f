package io.streamkit.httpflv.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamkit.http.HttpConfig;
import io.streamkit.http.internal.HttpServerInitializer;
import io.streamkit.server.internal.ClientLog;
import io.streamkit.server.internal.IdleTimeoutHandler;
import io.streamkit.server.internal.LoopPlayerOutput;
import io.streamkit.server.internal.MemoryBudget;
import io.streamkit.server.internal.ServerGuard;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where an HTTP-FLV player's bytes start in the HTTP port's real pipeline: for a plain HTTP body
 * at the first handler (past the idle handler and the HTTP codec, which would only pass them on),
 * which with epoll lets them go straight to the socket as RTMP players' do. This was silently lost
 * once, when the idle handler was put in front of the codec and players' bytes still started at
 * the codec; nothing but throughput showed it. A WebSocket player's tags carry their message
 * header, so they start there too.
 */
class FlvPlayerWritePathTest {
    private EmbeddedChannel ch;

    @BeforeEach
    void connect() {
        HttpServerInitializer init = new HttpServerInitializer(HttpConfig.builder(0).build(), List.of(), Map.of(),
                new ServerGuard(new ClientLog(0, 0), MemoryBudget.unlimited()));
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
    }

    @Test
    void theIdleHandlerIsFirstInTheHttpPipeline() {
        assertInstanceOf(IdleTimeoutHandler.class, ch.pipeline().first(), "pipeline " + ch.pipeline().names());
    }

    @Test
    void everyFramingsTagsStartAtTheFirstHandler() {
        for (FlvPlayer.Framing framing : FlvPlayer.Framing.values()) {
            FlvPlayer player = new FlvPlayer(ch, framing, () -> { }, () -> { }, null, false);
            LoopPlayerOutput output = (LoopPlayerOutput) player.output();
            assertTrue(output.startsAtFirstHandler(), framing + ": bytes start past " + ch.pipeline().names());
            output.abandon();
        }
    }
}
